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
 * Keeps the ui-heap workload runnable: a small run prints its RESULT lines, and what the UI says it
 * remembers matches the jobs run and the retention asked for. The heap figure is read from
 * {@code benchmarks/run ui-heap}, never asserted here.
 */
final class UiHeapBenchmarkTest {

    @Test
    @Timeout(120)
    void aSmallRunReportsTheHeapAndWhatTheUiRemembers() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            UiHeapBenchmark.run(200, new WorkloadOptions(3, 0, Map.of("ember.ui.retainedTasks", "450",
                    "ember.ui.retainedJobs", "2")), out);
        }
        String output = bytes.toString(StandardCharsets.UTF_8);
        System.out.print(output);
        List<String> results = output.lines().filter(line -> line.startsWith("RESULT ")).toList();
        assertEquals(3, results.size(), output);
        assertTrue(results.get(0).matches("RESULT ui-heap-used \\d+\\.\\d MiB"), output);
        assertEquals("RESULT ui-heap-task-rows 400 rows", results.get(1),
                "3 stages of 200 tasks, at most 450 rows: the first stage's rows were dropped\n" + output);
        assertEquals("RESULT ui-heap-jobs 2 jobs", results.get(2), "ember.ui.retainedJobs=2\n" + output);
    }
}
