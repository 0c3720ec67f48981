package io.ember.core.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.api.config.DeclaredSettings;
import io.ember.core.bootstrap.Bootstrap;
import io.ember.core.bootstrap.EmberEnvironment;
import io.ember.core.bootstrap.LaunchContext;
import io.ember.core.driver.ApplicationFailedException;
import io.ember.core.driver.EmberContext;
import io.ember.core.job.JobFailedException;
import io.ember.core.worker.WorkerServer;
import io.ember.scheduler.fifo.FifoSchedulerFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The case on {@code local-cluster[2,1]}: an executor JVM option the JVM does not know, so
 * every executor exits with code 1 at once. The application fails within seconds with one message
 * quoting the executors' stderr, after as many launches as {@code ember.executor.maxLaunchFailures}.
 */
@Timeout(120)
final class ExecutorLaunchFailureTest {

    private static final Map<String, String> SETTINGS = Map.of("ember.executor.memory", "128m",
            "ember.executor.instances", "2", "ember.app.name", "bad-option",
            "ember.executor.javaOptions", "-XX:+NoSuchOption");

    @Test
    void anApplicationWhoseExecutorsCannotStartFailsQuotingTheirStderrAfterThreeLaunches() {
        try (EmberEnvironment environment = new Bootstrap(new LaunchContext(Optional.empty(), Optional.empty(),
                Map.of(), Map.of(), SETTINGS)).load();
             LocalCluster cluster = LocalCluster.start(2, 1, environment.config(),
                     new FifoSchedulerFactory().create(DeclaredSettings.of(List.of(), Map.of())));
             EmberContext context = EmberContext.builder().isolated().setAll(SETTINGS).master(cluster.masterUrl())
                     .build()) {
            long started = System.nanoTime();

            ApplicationFailedException failed = assertThrows(ApplicationFailedException.class,
                    () -> context.awaitExecutors(2, Duration.ofSeconds(60)));
            long failedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

            String message = failed.getMessage();
            assertTrue(message.startsWith("application " + context.applicationId() + " failed: its executors exit "
                    + "before they register: 3 in a row (ember.executor.maxLaunchFailures=3); the last, executor "),
                    message);
            assertTrue(message.contains("exited with code 1; its stderr ends: Unrecognized VM option 'NoSuchOption' | "
                    + "Error: Could not create the Java Virtual Machine."), message);
            assertFalse(message.contains("short of"), message);
            assertEquals(3, launches(cluster, context.applicationId()), "one work directory per launch");

            JobFailedException job = assertThrows(JobFailedException.class, () -> context.range(0, 4, 2).count());
            assertTrue(job.getMessage().endsWith("cannot run: " + message), job.getMessage());
            assertEquals(3, launches(cluster, context.applicationId()), "no launch after the application failed");
            System.out.printf("Executors that cannot start: the application failed %d ms after it asked for "
                    + "executors, after %d launches%n", failedMillis, launches(cluster, context.applicationId()));
        }
    }

    /** The executors launched for the application: each has a work directory on its worker. */
    private static long launches(LocalCluster cluster, String appId) {
        long count = 0;
        for (WorkerServer worker : cluster.workers()) {
            Path dir = worker.options().workDir().resolve(appId);
            if (Files.isDirectory(dir)) {
                try (Stream<Path> executors = Files.list(dir)) {
                    count += executors.filter(Files::isDirectory).count();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return count;
    }
}
