package io.ember.core.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.core.memory.ExecutorMemory;
import io.ember.core.memory.TaskMemory;
import io.ember.core.storage.SizeEstimator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reduce side's spilling buffers on a task budget far smaller than their data: the results equal
 * a plain in-memory computation, they did spill, the budget's own accounting never went over it,
 * and when the task ends its spill files are gone and its memory is back.
 */
final class SpillingTest {

    private static final long BUDGET = 256L << 10;
    private static final SizeEstimator ESTIMATOR = new SizeEstimator();

    @TempDir
    Path spillDir;

    private final ExecutorMemory executor = new ExecutorMemory(BUDGET, 0);

    @Test
    void anAggregationOfManyMoreKeysThanFitSpillsAndMergesEveryKeyOnce() throws IOException {
        TestingTaskContext context = new SpillContext(spillDir, executor).context();
        SpillableAggregation<Long, Long, Long> sums = new SpillableAggregation<>(context, v -> v, Long::sum, Long::sum,
                ESTIMATOR);
        Map<Long, Long> expected = new HashMap<>();
        for (long i = 0; i < 200_000; i++) {
            long key = (i * 7_919) % 50_000;   // every key 4 times, scattered over the input
            sums.insert(key, i);
            expected.merge(key, i, Long::sum);
        }

        Map<Long, Long> actual = new HashMap<>();
        Iterator<Pair<Long, Long>> result = sums.result();
        assertTrue(Files.list(spillDir).count() >= 2, "spill files while reading");
        result.forEachRemaining(pair -> assertEquals(null, actual.put(pair.key(), pair.value()),
                "key " + pair.key() + " came out twice"));

        assertEquals(expected, actual);
        assertTrue(sums.spillCount() >= 2, "spilled " + sums.spillCount() + " time(s)");
        assertTrue(executor.peakUsed() <= BUDGET, executor.toString());
        assertEquals(0, executor.executionUsed(), "all given back once read: " + executor);
        context.complete();
        try (Stream<Path> left = Files.list(spillDir)) {
            assertEquals(List.of(), left.toList(), "the task's end deletes its spill files");
        }
    }

    @Test
    void keysWhoseHashCodesCollideStayApartThroughSpills() {
        TestingTaskContext context = new SpillContext(spillDir, executor).context();
        SpillableAggregation<Colliding, Integer, Integer> counts = new SpillableAggregation<>(context, v -> v,
                Integer::sum, Integer::sum, ESTIMATOR);
        for (int round = 0; round < 20; round++) {
            for (int i = 0; i < 20_000; i++) {
                counts.insert(new Colliding(i), 1);   // 20,000 keys, 20 of them for each hash code
            }
        }

        Map<Colliding, Integer> actual = new HashMap<>();
        counts.result().forEachRemaining(pair -> actual.merge(pair.key(), pair.value(), (a, b) -> -1));

        assertEquals(20_000, actual.size());
        assertTrue(actual.values().stream().allMatch(n -> n == 20), "each key counted 20 times, once");
        assertTrue(counts.spillCount() >= 1, "spilled");
        context.complete();
    }

    /**
     * groupByKey's combiners grow with the values: groups of many keys spill and merge whole, each
     * group fitting; one key whose values are several times the task's memory fails the task with a
     * named, non-retryable error instead of running out of heap, and the memory comes back.
     */
    @Test
    void aKeyWhoseValuesFitMergesWholeAndOneThatCannotFitFailsTheTaskNamingIt() {
        TestingTaskContext context = new SpillContext(spillDir, executor).context();
        SpillableAggregation<Integer, String, List<String>> groups = grouping(context);
        for (int i = 0; i < 40_000; i++) {
            groups.insert(i % 2_000, "value-" + i);   // 2,000 keys of 20 values: each group small
        }
        Map<Integer, Integer> sizes = new HashMap<>();
        groups.result().forEachRemaining(pair -> sizes.put(pair.key(), pair.value().size()));
        assertEquals(2_000, sizes.size());
        assertTrue(sizes.values().stream().allMatch(n -> n == 20), "every group whole");
        assertTrue(groups.spillCount() >= 1, "spilled");
        context.complete();

        TestingTaskContext hot = new SpillContext(spillDir, executor).context();
        SpillableAggregation<Integer, String, List<String>> skewed = grouping(hot);
        for (int i = 0; i < 100_000; i++) {
            skewed.insert(i % 100 == 0 ? i : 7, "value-of-the-hot-key-" + i);   // key 7: 99,000 values, ~6 MB
        }
        Iterator<Pair<Integer, List<String>>> result = skewed.result();
        KeyTooLargeException failure = assertThrows(KeyTooLargeException.class,
                () -> result.forEachRemaining(pair -> { }));

        assertTrue(failure.getMessage().startsWith("the values of key '7' take at least "), failure.getMessage());
        assertTrue(failure.getMessage().contains("this task could get: groupByKey and cogroup hold all the values "
                + "of one key in memory at once"), failure.getMessage());
        assertTrue(executor.peakUsed() <= BUDGET, executor.toString());
        hot.complete();
        assertEquals(0, executor.executionUsed(), "given back when the task ends: " + executor);
    }

    private static SpillableAggregation<Integer, String, List<String>> grouping(TestingTaskContext context) {
        return new SpillableAggregation<>(context, value -> new ArrayList<>(List.of(value)), (values, value) -> {
            values.add(value);
            return values;
        }, (left, right) -> {
            left.addAll(right);
            return left;
        }, ESTIMATOR);
    }

    @Test
    void aSortOfMoreRecordsThanFitSpillsSortedRunsAndMergesThemInOrder() throws IOException {
        TestingTaskContext context = new SpillContext(spillDir, executor).context();
        ExternalSorter<String> sorter = new ExternalSorter<>(context, Comparator.naturalOrder(), ESTIMATOR);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            String record = Integer.toString((i * 48_271) % 100_003);
            sorter.insert(record);
            expected.add(record);
        }
        expected.sort(Comparator.naturalOrder());

        List<String> actual = new ArrayList<>();
        sorter.result().forEachRemaining(actual::add);

        assertEquals(expected, actual);
        assertTrue(sorter.spillCount() >= 2, "spilled " + sorter.spillCount() + " time(s)");
        assertTrue(executor.peakUsed() <= BUDGET, executor.toString());
        assertEquals(0, executor.executionUsed());
        context.complete();
        try (Stream<Path> left = Files.list(spillDir)) {
            assertEquals(0, left.count());
        }
    }

    @Test
    void aTaskThatEndsBeforeReadingItAllDeletesItsFilesAndReleasesItsMemory() throws IOException {
        TestingTaskContext context = new SpillContext(spillDir, executor).context();
        ExternalSorter<Integer> sorter = new ExternalSorter<>(context, Comparator.naturalOrder(), ESTIMATOR);
        for (int i = 100_000; i > 0; i--) {
            sorter.insert(i);
        }
        Iterator<Integer> sorted = sorter.result();
        assertEquals(1, sorted.next());
        assertEquals(2, sorted.next());

        context.complete();   // as take(2) leaves it

        assertEquals(0, executor.executionUsed());
        assertEquals(0, executor.tasks());
        try (Stream<Path> left = Files.list(spillDir)) {
            assertEquals(0, left.count());
        }
    }

    /** A key that shares its hash code with 19 others: equal only to itself. */
    record Colliding(int id) implements java.io.Serializable {
        @Override
        public int hashCode() {
            return id % 1_000;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Colliding c && c.id == id;
        }
    }

    /** A testing task that spills to a directory of the test's, on the test's budget. */
    private record SpillContext(Path dir, ExecutorMemory memory) {
        TestingTaskContext context() {
            return new TestingTaskContext(1, 0, 0, 0, "executor-1", new CountingBlockStore(),
                    new TaskMemory(memory, 1), new ArrayList<>(), dir);
        }
    }
}
