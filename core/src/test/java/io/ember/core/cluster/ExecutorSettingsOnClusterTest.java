package io.ember.core.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.api.cluster.ExecutorInfo;
import io.ember.core.driver.EmberContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An application's executor settings reach its executors on an {@code ember://} cluster of
 * standalone processes: its JVM options (before, the worker started executors with its own only, and
 * the application's were dropped without a word), its cores and its heap.
 */
final class ExecutorSettingsOnClusterTest {

    @RegisterExtension
    final ProcessClusterExtension cluster = ProcessClusterExtension.withMasters(1).withWorkers(1, 2);

    @Test
    void theApplicationsJavaOptionsCoresAndMemoryReachItsExecutors() throws IOException {
        cluster.awaitLeaderAbove(0);
        Map<String, String> settings = cluster.applicationSettings("executor-settings", 1);
        settings.put("ember.executor.javaOptions", "-Dember.test.marker=from-the-application "
                + "\"-Dember.test.spaced=two words\" -Xss2m");
        settings.put("ember.executor.cores", "2");
        settings.put("ember.executor.memory", "160m");
        EmberContext context = cluster.startApplication(settings);

        List<ExecutorInfo> executors = context.awaitExecutors(1, Duration.ofSeconds(60));
        assertEquals(2, executors.get(0).cores(), "ember.executor.cores");
        Set<String> seen = context.range(0, 4, 4)
                .map(i -> System.getProperty("ember.test.marker") + "|" + System.getProperty("ember.test.spaced")
                        + "|" + (Runtime.getRuntime().maxMemory() > (128L << 20)))
                .collect().stream().collect(Collectors.toSet());

        assertEquals(Set.of("from-the-application|two words|true"), seen,
                "every task saw the application's JVM options, and a heap above the worker's 128m default");
        long pid = cluster.awaitRegisteredPids(context.applicationId(), 1).values().iterator().next();
        String commandLine = Files.readString(Path.of("/proc", Long.toString(pid), "cmdline")).replace('\0', ' ');
        assertTrue(commandLine.contains("-Xmx160m"), commandLine);
        assertTrue(commandLine.contains("-Xss2m"), commandLine);
    }
}
