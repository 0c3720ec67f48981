package io.ember.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Keeps the tiny-tasks workload runnable: one small run on a real local cluster must print its
 * four well-formed RESULT lines. Speed is read from {@code benchmarks/run tiny-tasks}, never
 * asserted here.
 */
final class TinyTasksBenchmarkTest {

    @Test
    @Timeout(120)
    void oneSmallRunPrintsTheThroughputAndTheCostPerTaskOfEachSize() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            TinyTasksBenchmark.run(400, new WorkloadOptions(1, 0), out);
        }
        String output = bytes.toString(StandardCharsets.UTF_8);
        System.out.print(output);
        List<String> results = output.lines().filter(line -> line.startsWith("RESULT ")).toList();
        assertEquals(4, results.size(), output);
        assertTrue(results.get(0).matches("RESULT tiny-tasks \\d+ tasks/s"), output);
        assertTrue(results.get(1).matches("RESULT tiny-tasks-cost-100 \\d+\\.\\d us"), output);
        assertTrue(results.get(2).matches("RESULT tiny-tasks-cost-200 \\d+\\.\\d us"), output);
        assertTrue(results.get(3).matches("RESULT tiny-tasks-cost-400 \\d+\\.\\d us"), output);
        assertTrue(output.contains("400 tasks on 2 executors"), "both executors ran tasks\n" + output);
    }
}
