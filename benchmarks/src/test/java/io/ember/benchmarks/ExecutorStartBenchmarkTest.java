package io.ember.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Keeps the executor-start workload runnable: one run, on a real local cluster with real executor
 * processes, must end with a well-formed RESULT line. How long it took is not checked: speed is
 * read from {@code benchmarks/run}, never asserted in a test. (The failover workload has no test:
 * each run waits out a 4 s ZooKeeper session and starts master JVMs.)
 */
final class ExecutorStartBenchmarkTest {

    private static final Pattern RESULT = Pattern.compile("RESULT executor-start \\d+ ms");

    @Test
    @Timeout(120)
    void oneRunPrintsOneWellFormedResultLine() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            ExecutorStartBenchmark.run(new WorkloadOptions(1, 0), out);
        }
        String output = bytes.toString(StandardCharsets.UTF_8);
        System.out.print(output);
        List<String> results = output.lines().filter(line -> line.startsWith("RESULT ")).toList();
        assertEquals(1, results.size(), output);
        assertEquals(true, RESULT.matcher(results.get(0)).matches(), output);
    }
}
