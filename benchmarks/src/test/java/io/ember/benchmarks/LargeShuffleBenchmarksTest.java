package io.ember.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Keeps the sort and groupby workloads runnable: one small run of each on a real local cluster must
 * check its answer and print its RESULT lines. Speed is read from {@code benchmarks/run}, never
 * asserted here.
 */
final class LargeShuffleBenchmarksTest {

    private static String run(Consumer<PrintStream> workload) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            workload.accept(out);
        }
        String output = bytes.toString(StandardCharsets.UTF_8);
        System.out.print(output);
        return output;
    }

    @Test
    @Timeout(180)
    void aSmallSortChecksItsOrderAndPrintsItsFigures() {
        String output = run(out -> LargeShuffleBenchmarks.sort(20_000_000, new WorkloadOptions(1, 0), out));

        List<String> results = output.lines().filter(line -> line.startsWith("RESULT ")).toList();
        assertEquals(2, results.size(), output);
        assertTrue(results.get(0).matches("RESULT sort \\d+\\.\\d\\d s"), output);
        assertTrue(results.get(1).matches("RESULT sort-rate \\d+\\.\\d MB/s"), output);
        assertTrue(output.contains("executors' peak RSS"), output);
    }

    @Test
    @Timeout(180)
    void aSmallGroupByCountsEveryRecordUnderEveryKey() {
        String output = run(out -> LargeShuffleBenchmarks.groupBy(200_000, new WorkloadOptions(1, 0), out));

        List<String> results = output.lines().filter(line -> line.startsWith("RESULT ")).toList();
        assertEquals(2, results.size(), output);
        assertTrue(results.get(0).matches("RESULT groupby \\d+\\.\\d\\d s"), output);
        assertTrue(results.get(1).matches("RESULT groupby-rate \\d+ records/s"), output);
    }

    @Test
    void keysAreTenLettersAndSpreadOut() {
        long distinct = LongStream.range(0, 10_000).mapToObj(LargeShuffleBenchmarks::key).distinct().count();
        assertEquals(10_000, distinct, "no two of the first 10,000 records share a key");
        assertTrue(LargeShuffleBenchmarks.key(7).matches("[a-z]{10}"), LargeShuffleBenchmarks.key(7));
        assertNotEquals(LargeShuffleBenchmarks.key(0).charAt(0), LargeShuffleBenchmarks.key(1).charAt(0) + 1,
                "not in index order");
    }
}
