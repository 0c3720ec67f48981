package io.ember.core.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.core.function.FilterFunction;
import io.ember.core.function.MapFunction;
import io.ember.core.job.JobFailedException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

final class TransformationsTest {

    private final InProcessJobRunner runner = new InProcessJobRunner();

    private static List<Integer> randomInts(Random random) {
        return IntStream.range(0, random.nextInt(400)).mapToObj(i -> random.nextInt(2001) - 1000).toList();
    }

    private Dataset<Integer> dataset(Random random, List<Integer> data) {
        return Sources.parallelize(runner, data, 1 + random.nextInt(12));
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 42, 2024})
    void mapMatchesAStreamMapAndKeepsPartitions(long seed) {
        Random random = new Random(seed);
        List<Integer> data = randomInts(random);
        Dataset<Integer> source = dataset(random, data);

        Dataset<String> mapped = source.map(x -> "v" + (x * 31 + 7));

        assertEquals(data.stream().map(x -> "v" + (x * 31 + 7)).toList(), mapped.collect());
        assertEquals(source.numPartitions(), mapped.numPartitions());
        List<List<Integer>> before = Partitions.of(source);
        List<List<String>> after = Partitions.of(mapped);
        for (int p = 0; p < before.size(); p++) {
            assertEquals(before.get(p).size(), after.get(p).size(), "partition " + p);
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 42, 2024})
    void filterMatchesAStreamFilter(long seed) {
        Random random = new Random(seed);
        List<Integer> data = randomInts(random);

        List<Integer> kept = dataset(random, data).filter(x -> x % 3 == 0).collect();

        assertEquals(data.stream().filter(x -> x % 3 == 0).toList(), kept);
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 42, 2024})
    void flatMapMatchesAStreamFlatMapIncludingEmptyResults(long seed) {
        Random random = new Random(seed);
        List<Integer> data = randomInts(random);

        List<Integer> flattened = dataset(random, data)
                .flatMap(x -> Collections.nCopies(Math.floorMod(x, 4), x).iterator())
                .collect();

        assertEquals(data.stream().flatMap(x -> Collections.nCopies(Math.floorMod(x, 4), x).stream()).toList(),
                flattened);
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 42, 2024})
    void mapPartitionsSeesExactlyEachParallelizedSlice(long seed) {
        Random random = new Random(seed);
        List<Integer> data = randomInts(random);
        int slices = 1 + random.nextInt(12);

        List<Long> sums = Sources.parallelize(runner, data, slices).mapPartitions(records -> {
            long sum = 0;
            while (records.hasNext()) {
                sum += records.next();
            }
            return List.of(sum).iterator();
        }).collect();

        List<Long> expected = Partitions.slices(data, slices).stream()
                .map(slice -> slice.stream().mapToLong(Integer::longValue).sum())
                .toList();
        assertEquals(expected, sums);
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 42, 2024})
    void mapPartitionsWithIndexPassesEachPartitionsIndex(long seed) {
        Random random = new Random(seed);
        List<Integer> data = randomInts(random);
        int slices = 1 + random.nextInt(12);

        List<Pair<Integer, Integer>> tagged = Sources.parallelize(runner, data, slices)
                .mapPartitionsWithIndex((partition, records) -> {
                    List<Pair<Integer, Integer>> out = new ArrayList<>();
                    records.forEachRemaining(record -> out.add(new Pair<>(partition, record)));
                    return out.iterator();
                })
                .collect();

        List<Pair<Integer, Integer>> expected = new ArrayList<>();
        List<List<Integer>> expectedSlices = Partitions.slices(data, slices);
        for (int p = 0; p < slices; p++) {
            for (Integer record : expectedSlices.get(p)) {
                expected.add(new Pair<>(p, record));
            }
        }
        assertEquals(expected, tagged);
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 42, 2024})
    void keyByPairsEachRecordWithItsKey(long seed) {
        Random random = new Random(seed);
        List<Integer> data = randomInts(random);

        List<Pair<Integer, Integer>> pairs = dataset(random, data).keyBy(x -> Math.floorMod(x, 5)).collect();

        assertEquals(data.stream().map(x -> new Pair<>(Math.floorMod(x, 5), x)).toList(), pairs);
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 42, 2024})
    void chainedTransformationsMatchTheSameStreamPipeline(long seed) {
        Random random = new Random(seed);
        List<Integer> data = randomInts(random);

        List<String> result = dataset(random, data)
                .filter(x -> x > -500)
                .map(x -> x * 2L)
                .flatMap(x -> List.of(x, -x).iterator())
                .filter(x -> x % 3 != 0)
                .map(String::valueOf)
                .collect();

        assertEquals(data.stream().filter(x -> x > -500).map(x -> x * 2L).flatMap(x -> List.of(x, -x).stream())
                .filter(x -> x % 3 != 0).map(String::valueOf).toList(), result);
    }

    @Test
    void transformationsAreLazy() {
        LazinessProbe.CALLS.set(0);
        Dataset<Integer> mapped = Sources.parallelize(runner, List.of(1, 2, 3), 2).map(LazinessProbe::touch);

        assertEquals(0, LazinessProbe.CALLS.get());
        assertTrue(runner.jobs().isEmpty());
        mapped.count();
        assertEquals(3, LazinessProbe.CALLS.get());
    }

    @Test
    void wildcardsLetFunctionsOfSupertypesApply() {
        MapFunction<Object, String> describe = value -> "<" + value + ">";
        FilterFunction<Number> positive = n -> n.doubleValue() > 0;
        Dataset<Integer> numbers = Sources.parallelize(runner, List.of(-1, 2, 3), 2);

        Dataset<CharSequence> described = numbers.filter(positive).map(describe);

        assertEquals(List.of("<2>", "<3>"), described.collect());
    }

    @Test
    void aNullIteratorFromFlatMapFailsNamingTheOperation() {
        Dataset<Integer> broken = Sources.parallelize(runner, List.of(1), 1).flatMap(x -> (Iterator<Integer>) null);

        JobFailedException failure = assertThrows(JobFailedException.class, broken::collect);

        assertTrue(failure.getCause() instanceof NullPointerException);
        assertTrue(failure.getCause().getMessage().contains("flatMap function returned null"),
                failure.getCause().getMessage());
    }

    @Test
    void toStringNamesTheParent() {
        Dataset<Integer> source = Sources.parallelize(runner, List.of(1, 2, 3), 8);
        Dataset<Integer> mapped = source.map(x -> x + 1);

        assertEquals("MapPartitionsDataset[id=" + mapped.id() + ", partitions=8, parent=" + source.id() + "]",
                mapped.toString());
        assertEquals("ParallelizedDataset[id=" + source.id() + ", partitions=8, records=3]", source.toString());
    }

    @Test
    void eachTransformationGetsAFreshId() {
        Dataset<Integer> source = Sources.parallelize(runner, List.of(1), 1);
        List<Integer> ids = List.of(source.id(), source.map(x -> x).id(), source.filter(x -> true).id(),
                source.keyBy(x -> x).id());

        assertEquals(ids.size(), ids.stream().collect(Collectors.toSet()).size());
    }

    /** Counts calls of a mapping function; everything runs in-process, so a static counter works. */
    static final class LazinessProbe {
        static final AtomicInteger CALLS = new AtomicInteger();

        static Integer touch(Integer value) {
            CALLS.incrementAndGet();
            return value;
        }
    }
}
