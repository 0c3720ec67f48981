package io.ember.core.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.core.memory.ExecutorMemory;
import io.ember.core.memory.TaskMemory;
import io.ember.core.storage.SizeEstimator;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The map-side combine within a task's memory: a table of large combiners is written out by bytes,
 * long before the key limit, the budget's own accounting never goes over it, and what it writes
 * merges to the exact result; small combiners are written out at the key limit.
 */
final class MapSideCombineTest {

    private static final long BUDGET = 512L << 10;
    private static final SizeEstimator ESTIMATOR = new SizeEstimator();

    @TempDir
    Path dir;

    @Test
    void aTableOfLargeCombinersIsWrittenOutByBytesWithinTheBudget() {
        ExecutorMemory executor = new ExecutorMemory(BUDGET, 0);
        TestingTaskContext context = context(executor);
        List<Map<Integer, String>> written = new ArrayList<>();
        MapSideCombine<Integer, String, String> combine = new MapSideCombine<>(context,
                new Aggregator<>(v -> v, (c, v) -> c + v, (a, b) -> a + b), ESTIMATOR,
                table -> written.add(new HashMap<>(table)));
        Map<Integer, String> expected = new HashMap<>();
        List<Pair<Integer, String>> input = new ArrayList<>();
        for (int i = 0; i < 6_000; i++) {
            int key = i % 2_000;   // 2,000 keys of ~1.5 KB each once combined: about 6 MB as heap objects
            String value = "v" + i + "-".repeat(500);
            input.add(new Pair<>(key, value));
            expected.merge(key, value, String::concat);
        }
        combine.insertAll(input.iterator());
        long records = combine.finish();

        assertTrue(combine.writeOuts() > 3, "written out " + combine.writeOuts() + " times");
        assertTrue(2_000 < MapSideCombine.KEY_LIMIT);
        Map<Integer, String> merged = new HashMap<>();
        written.forEach(table -> table.forEach((key, part) -> merged.merge(key, part, String::concat)));
        assertEquals(expected, merged, "partial combiners merge to the exact result");
        assertEquals(written.stream().mapToLong(Map::size).sum(), records);
        assertTrue(executor.peakUsed() <= BUDGET, executor.toString());
        assertEquals(0, executor.executionUsed(), "all given back: " + executor);
    }

    @Test
    void smallCombinersAreWrittenOutAtTheKeyLimit() {
        ExecutorMemory executor = new ExecutorMemory(256L << 20, 0);
        List<Integer> sizes = new ArrayList<>();
        MapSideCombine<Long, Long, Long> combine = new MapSideCombine<>(context(executor),
                new Aggregator<>(v -> v, Long::sum, Long::sum), ESTIMATOR, table -> sizes.add(table.size()));
        combine.insertAll(LongStream.range(0, 3L * MapSideCombine.KEY_LIMIT).mapToObj(i -> new Pair<>(i, 1L))
                .iterator());
        combine.finish();

        assertEquals(List.of(MapSideCombine.KEY_LIMIT, MapSideCombine.KEY_LIMIT, MapSideCombine.KEY_LIMIT), sizes);
        assertEquals(0, executor.executionUsed());
    }

    private TestingTaskContext context(ExecutorMemory executor) {
        return new TestingTaskContext(1, 0, 0, 0, "executor-1", new CountingBlockStore(), new TaskMemory(executor, 1),
                new ArrayList<>(), dir);
    }
}
