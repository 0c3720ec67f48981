package io.ember.core.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.core.driver.EmberContext;
import io.ember.core.driver.ExecutorWaitTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A driver waiting for executors says why they are missing as the leader master sees it: no worker
 * registered, or workers short of free cores or memory; and it says "short of" only then. A master
 * process, workers in this JVM.
 */
@Timeout(120)
final class MissingExecutorsTest {

    private static final Duration WAIT = Duration.ofSeconds(3);

    @RegisterExtension
    final ProcessClusterExtension cluster = ProcessClusterExtension.withMasters(1);

    @Test
    void saysThatNoWorkerIsRegisteredWhenNoneIs() {
        cluster.awaitLeaderAbove(0);
        EmberContext context = cluster.startApplication(cluster.applicationSettings("no-workers", 1));

        ExecutorWaitTimeoutException e = assertThrows(ExecutorWaitTimeoutException.class,
                () -> context.awaitExecutors(1, WAIT));

        assertEquals("only 0 of 1 executor(s) of application " + context.applicationId() + " registered with the "
                + "driver within 3s: no worker is registered with the leader master", e.getMessage());
    }

    @Test
    void saysTheClusterIsShortOfFreeCoresOnlyWhenItIs() {
        cluster.awaitLeaderAbove(0);
        cluster.startWorker("worker-1", 1);
        EmberContext context = cluster.startApplication(cluster.applicationSettings("one-core-short", 2));

        context.awaitExecutors(1, Duration.ofSeconds(60));

        ExecutorWaitTimeoutException e = assertThrows(ExecutorWaitTimeoutException.class,
                () -> context.awaitExecutors(2, WAIT));

        assertEquals(1, e.registered());
        assertTrue(e.getMessage().endsWith(": the cluster is short of free cores or memory: each executor needs 1 "
                + "core(s) and 128 MB, and no worker has that free (1 worker(s); the most free, worker-1, has 0 "
                + "core(s) and 896 MB)"), e.getMessage());

        cluster.startWorker("worker-2", 1);
        assertEquals(2, context.awaitExecutors(2, Duration.ofSeconds(60)).size());
        ExecutorWaitTimeoutException enough = assertThrows(ExecutorWaitTimeoutException.class,
                () -> context.awaitExecutors(3, Duration.ofMillis(500)));
        assertFalse(enough.getMessage().contains("short of"), "the application asked for two, and has them: "
                + enough.getMessage());
    }
}
