package io.ember.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Keeps the dynamic-allocation workloads runnable: one run of each, on a real local cluster with
 * real executor processes, must end with a well-formed RESULT line. How long they took is not
 * checked: speed is read from {@code benchmarks/run}, never asserted in a test. The release run
 * uses a 1 s idle timeout to stay short.
 */
final class DynamicAllocationBenchmarksTest {

    @Test
    @Timeout(120)
    void theFirstTaskWorkloadPrintsOneWellFormedResultLine() throws Exception {
        assertOneResult(DynamicAllocationBenchmarks.FIRST_TASK, Map.of());
    }

    @Test
    @Timeout(120)
    void theReleaseWorkloadPrintsOneWellFormedResultLine() throws Exception {
        assertOneResult(DynamicAllocationBenchmarks.RELEASE,
                Map.of("ember.allocation.dynamic.executorIdleTimeout", "1s"));
    }

    private static void assertOneResult(String name, Map<String, String> settings) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            DynamicAllocationBenchmarks.run(name, new WorkloadOptions(1, 0, settings), out);
        }
        String output = bytes.toString(StandardCharsets.UTF_8);
        System.out.print(output);
        List<String> results = output.lines().filter(line -> line.startsWith("RESULT ")).toList();
        assertEquals(1, results.size(), output);
        assertTrue(results.get(0).matches("RESULT " + name + " \\d+ ms"), output);
    }
}
