package io.ember.core.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.core.dataset.Dataset;
import io.ember.core.dataset.Pair;
import io.ember.core.dataset.PairDataset;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every pair operation on {@code local[3]} (the real {@code sort} shuffle: files, own block server,
 * checksums, Fory records) against the same computation in plain Java, on random data with
 * duplicate keys, a skewed key, empty partitions and keys of several types.
 */
@Timeout(120)
final class PairOperationsTest {

    private static EmberContext ember;

    record Region(String name, int zone) implements Serializable {
    }

    @BeforeAll
    static void start() {
        ember = EmberContext.builder().isolated().master("local[3]").appName("pairs")
                .set("ember.executor.memory", "128m").build();
    }

    @AfterAll
    static void stop() {
        ember.close();
    }

    /** 5,000 pairs over 7 partitions (two of them empty), half of them on one hot key. */
    private static List<Pair<String, Long>> words() {
        SplittableRandom random = new SplittableRandom(11);
        List<Pair<String, Long>> pairs = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            String key = random.nextBoolean() ? "hot" : "w" + random.nextInt(300);
            pairs.add(new Pair<>(key, (long) random.nextInt(100)));
        }
        return pairs;
    }

    private static PairDataset<String, Long> dataset(List<Pair<String, Long>> pairs) {
        // two empty partitions: parallelize 5,000 records into 7 partitions, then drop partitions 2 and 5
        return ember.parallelize(pairs, 7).mapPartitionsWithIndex((index, records) ->
                index == 2 || index == 5 ? java.util.Collections.emptyIterator() : records).pairs();
    }

    private static List<Pair<String, Long>> withoutDroppedPartitions(List<Pair<String, Long>> pairs) {
        List<List<Pair<String, Long>>> slices = new ArrayList<>();
        int n = pairs.size();
        for (int p = 0; p < 7; p++) {
            slices.add(pairs.subList((int) ((long) p * n / 7), (int) ((long) (p + 1) * n / 7)));
        }
        List<Pair<String, Long>> kept = new ArrayList<>();
        for (int p = 0; p < 7; p++) {
            if (p != 2 && p != 5) {
                kept.addAll(slices.get(p));
            }
        }
        return kept;
    }

    @Test
    void reduceByKeyMatchesAPlainSum() {
        List<Pair<String, Long>> pairs = words();
        Map<String, Long> expected = withoutDroppedPartitions(pairs).stream()
                .collect(Collectors.groupingBy(Pair::key, Collectors.summingLong(Pair::value)));

        Map<String, Long> actual = dataset(pairs).reduceByKey(Long::sum, 4).collectAsMap();

        assertEquals(expected, actual);
        assertEquals(4, dataset(pairs).reduceByKey(Long::sum, 4).dataset().numPartitions());
    }

    @Test
    void groupByKeyAggregateByKeyAndCombineByKeyMatchPlainJava() {
        List<Pair<String, Long>> pairs = withoutDroppedPartitions(words());
        Map<String, List<Long>> groups = pairs.stream().collect(Collectors.groupingBy(Pair::key,
                Collectors.mapping(Pair::value, Collectors.toList())));

        Map<String, List<Long>> grouped = dataset(words()).groupByKey(5).collectAsMap();
        assertEquals(groups.keySet(), grouped.keySet());
        groups.forEach((key, values) -> assertEquals(values.stream().sorted().toList(),
                grouped.get(key).stream().sorted().toList(), key));

        Map<String, Long> max = dataset(words()).aggregateByKey(Long.MIN_VALUE, Math::max, Math::max, 3).collectAsMap();
        groups.forEach((key, values) -> assertEquals(values.stream().max(Long::compare).orElseThrow(), max.get(key)));

        Map<String, Long> counts = dataset(words()).<Long>combineByKey(v -> 1L, (c, v) -> c + 1, Long::sum, 6)
                .collectAsMap();
        groups.forEach((key, values) -> assertEquals((long) values.size(), counts.get(key)));
        assertEquals(groups.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> (long) e.getValue().size())),
                dataset(words()).countByKey());
    }

    @Test
    void joinsMatchNestedLoops() {
        SplittableRandom random = new SplittableRandom(3);
        List<Pair<Long, String>> left = new ArrayList<>();
        List<Pair<Long, Integer>> right = new ArrayList<>();
        for (int i = 0; i < 800; i++) {
            left.add(new Pair<>((long) random.nextInt(200), "l" + i));
            right.add(new Pair<>((long) random.nextInt(150) + 100, i));
        }
        List<String> expectedInner = new ArrayList<>();
        List<String> expectedLeft = new ArrayList<>();
        for (Pair<Long, String> l : left) {
            boolean matched = false;
            for (Pair<Long, Integer> r : right) {
                if (l.key().equals(r.key())) {
                    expectedInner.add(l.key() + "/" + l.value() + "/" + r.value());
                    matched = true;
                }
            }
            expectedLeft.addAll(matched ? expectedInner.stream().filter(s -> s.startsWith(l.key() + "/" + l.value() + "/"))
                    .toList() : List.of(l.key() + "/" + l.value() + "/null"));
        }

        PairDataset<Long, String> l = ember.parallelize(left, 4).pairs();
        PairDataset<Long, Integer> r = ember.parallelize(right, 3).pairs();
        List<String> inner = l.join(r, 5).collect().stream()
                .map(p -> p.key() + "/" + p.value().key() + "/" + p.value().value()).sorted().toList();
        List<String> outer = l.leftOuterJoin(r, 2).collect().stream()
                .map(p -> p.key() + "/" + p.value().key() + "/" + p.value().value()).sorted().toList();

        assertEquals(expectedInner.stream().sorted().toList(), inner);
        assertEquals(expectedLeft.stream().distinct().sorted().toList(), outer.stream().distinct().sorted().toList());
        assertEquals(expectedLeft.size(), outer.size());
    }

    @Test
    void sortByKeyGivesAGloballySortedResultWithSkewedKeys() {
        SplittableRandom random = new SplittableRandom(5);
        List<Pair<Integer, String>> pairs = new ArrayList<>();
        for (int i = 0; i < 3_000; i++) {
            int key = random.nextInt(4) == 0 ? 42 : random.nextInt(1_000_000);
            pairs.add(new Pair<>(key, "v" + i));
        }
        List<Integer> expected = pairs.stream().map(Pair::key).sorted().toList();

        List<Integer> ascending = ember.parallelize(pairs, 5).<Integer, String>pairs().sortByKey(true).keys().collect();
        List<Integer> descending = ember.parallelize(pairs, 5).<Integer, String>pairs()
                .sortByKey((Comparator<Integer> & Serializable) Integer::compare, false, 4).keys().collect();

        assertEquals(expected, ascending);
        List<Integer> reversed = new ArrayList<>(expected);
        java.util.Collections.reverse(reversed);
        assertEquals(reversed, descending);
    }

    @Test
    void partitionByDistinctAndRepartitionKeepEveryRecordWhereTheySay() {
        List<Region> regions = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            regions.add(new Region("r" + (i % 37), i % 5));
        }

        List<Region> distinct = ember.parallelize(regions, 4).distinct(3).collect();
        assertEquals(regions.stream().distinct().sorted(Comparator.comparing(Region::name).thenComparing(Region::zone)).toList(),
                distinct.stream().sorted(Comparator.comparing(Region::name).thenComparing(Region::zone)).toList());

        Dataset<Region> spread = ember.parallelize(regions, 2).repartition(6);
        assertEquals(6, spread.numPartitions());
        List<Integer> sizes = spread.mapPartitions(records -> {
            int n = 0;
            while (records.hasNext()) {
                records.next();
                n++;
            }
            return List.of(n).iterator();
        }).collect();
        assertEquals(600, sizes.stream().mapToInt(Integer::intValue).sum());
        assertTrue(sizes.stream().allMatch(size -> size > 50), "spread evenly: " + sizes);

        List<Pair<Integer, Region>> byZone = ember.parallelize(regions, 3).mapToPair(r -> new Pair<>(r.zone(), r))
                .partitionBy(new io.ember.core.shuffle.HashPartitioner(5)).collect();
        assertEquals(600, byZone.size());
        Map<Integer, Long> zones = new TreeMap<>(byZone.stream().collect(Collectors.groupingBy(Pair::key, Collectors.counting())));
        assertEquals(Map.of(0, 120L, 1, 120L, 2, 120L, 3, 120L, 4, 120L), zones);
    }

    @Test
    void aShuffledDatasetReadTwiceRunsItsMapStageOnce() {
        PairDataset<String, Long> sums = dataset(words()).reduceByKey(Long::sum, 3);
        Map<String, Long> first = sums.collectAsMap();
        HashMap<String, Long> second = new HashMap<>(sums.collectAsMap());

        assertEquals(first, second);
    }
}
