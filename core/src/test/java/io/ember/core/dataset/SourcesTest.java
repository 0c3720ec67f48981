package io.ember.core.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.core.serialization.JavaSerializer;
import io.ember.core.serialization.PayloadFilter;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

final class SourcesTest {

    private final InProcessJobRunner runner = new InProcessJobRunner();

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 42, 2024})
    void parallelizeCutsTheListIntoContiguousNearEqualSlices(long seed) {
        Random random = new Random(seed);
        List<Integer> data = IntStream.range(0, random.nextInt(300)).mapToObj(i -> random.nextInt()).toList();
        int slices = 1 + random.nextInt(40);

        Dataset<Integer> dataset = Sources.parallelize(runner, data, slices);

        assertEquals(slices, dataset.numPartitions());
        List<List<Integer>> partitions = Partitions.of(dataset);
        assertEquals(Partitions.slices(data, slices), partitions);
        int smallest = partitions.stream().mapToInt(List::size).min().orElseThrow();
        int largest = partitions.stream().mapToInt(List::size).max().orElseThrow();
        assertTrue(largest - smallest <= 1, "slices differ by more than one: " + partitions);
    }

    @Test
    void parallelizeWithMoreSlicesThanElementsLeavesSomeEmpty() {
        List<List<String>> partitions = Partitions.of(Sources.parallelize(runner, List.of("a", "b"), 5));

        assertEquals(List.of(List.of(), List.of(), List.of("a"), List.of(), List.of("b")), partitions);
    }

    @Test
    void parallelizeCopiesTheList() {
        List<Integer> data = new ArrayList<>(List.of(1, 2));
        Dataset<Integer> dataset = Sources.parallelize(runner, data, 1);

        data.add(3);

        assertEquals(List.of(1, 2), dataset.collect());
    }

    @Test
    void parallelizeKeepsNullElements() {
        List<String> data = new ArrayList<>();
        data.add(null);
        data.add("x");

        assertEquals(data, Sources.parallelize(runner, data, 2).collect());
    }

    @Test
    void parallelizeRefusesFewerThanOneSlice() {
        IllegalArgumentException failure = assertThrows(IllegalArgumentException.class,
                () -> Sources.parallelize(runner, List.of(1), 0));

        assertTrue(failure.getMessage().contains("0"), failure.getMessage());
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 42, 2024})
    void rangeCutsTheLongsIntoContiguousNearEqualRanges(long seed) {
        Random random = new Random(seed);
        long start = random.nextInt(2000) - 1000;
        long end = start + random.nextInt(500);
        int slices = 1 + random.nextInt(30);

        Dataset<Long> range = Sources.range(runner, start, end, slices);

        assertEquals(slices, range.numPartitions());
        List<List<Long>> partitions = Partitions.of(range);
        assertEquals(LongStream.range(start, end).boxed().toList(),
                partitions.stream().flatMap(List::stream).toList());
        int smallest = partitions.stream().mapToInt(List::size).min().orElseThrow();
        int largest = partitions.stream().mapToInt(List::size).max().orElseThrow();
        assertTrue(largest - smallest <= 1, "ranges differ by more than one: " + partitions);
    }

    @Test
    void rangeEndingAtLongMaxValueStopsJustBeforeIt() {
        List<Long> values = Sources.range(runner, Long.MAX_VALUE - 5, Long.MAX_VALUE, 3).collect();

        assertEquals(LongStream.range(Long.MAX_VALUE - 5, Long.MAX_VALUE).boxed().toList(), values);
    }

    @Test
    void rangeStartingAtLongMinValueWorks() {
        assertEquals(List.of(Long.MIN_VALUE, Long.MIN_VALUE + 1), Sources.range(runner, Long.MIN_VALUE,
                Long.MIN_VALUE + 2, 4).collect());
    }

    @Test
    void rangeLongerThanLongMaxValueSplitsWithoutOverflow() {
        int slices = 7;
        Dataset<Long> everything = Sources.range(runner, Long.MIN_VALUE, Long.MAX_VALUE, slices);

        List<Long> firsts = everything.mapPartitions(records -> List.of(records.next()).iterator()).collect();

        BigInteger length = BigInteger.valueOf(Long.MAX_VALUE).subtract(BigInteger.valueOf(Long.MIN_VALUE));
        for (int i = 0; i < slices; i++) {
            BigInteger expected = BigInteger.valueOf(Long.MIN_VALUE)
                    .add(length.multiply(BigInteger.valueOf(i)).divide(BigInteger.valueOf(slices)));
            assertEquals(expected.longValueExact(), firsts.get(i), "partition " + i);
        }
        assertEquals(Long.MAX_VALUE, ((RangeDataset) everything).bound(slices));
    }

    @Test
    void rangeWithMoreSlicesThanElementsLeavesSomeEmpty() {
        List<List<Long>> partitions = Partitions.of(Sources.range(runner, 10, 12, 4));

        assertEquals(List.of(List.of(), List.of(10L), List.of(), List.of(11L)), partitions);
    }

    @Test
    void rangeWithEndBeforeStartIsEmpty() {
        Dataset<Long> empty = Sources.range(runner, 5, 1, 3);

        assertEquals(3, empty.numPartitions());
        assertEquals(0, empty.count());
    }

    @Test
    void rangeShipsOnlyItsBounds() {
        Dataset<Long> big = Sources.range(runner, 0, 1_000_000_000L, 1000);

        int size = new JavaSerializer(PayloadFilter.standard()).serialize(big).length;

        assertTrue(size < 1024, "a range dataset serializes to " + size + " bytes");
    }
}
