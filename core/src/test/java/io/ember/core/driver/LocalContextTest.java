package io.ember.core.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.api.cluster.ExecutorInfo;
import io.ember.core.dataset.Pair;
import io.ember.core.job.JobFailedException;
import io.ember.core.testing.Eventually;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.SortedMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a {@code local[N]} context answers where a cluster would differ: one executor, no cluster. */
final class LocalContextTest {

    @TempDir
    Path dir;

    private EmberContext ember;

    @BeforeEach
    void start() {
        ember = LocalApplications.builder(dir, "local[2]", "local-answers").build();
    }

    @AfterEach
    void stop() {
        ember.close();
    }

    @Test
    void hasOneExecutorAtOnce() {
        List<ExecutorInfo> executors = ember.executors();
        assertEquals(1, executors.size());
        assertEquals(executors, ember.awaitExecutors(1, Duration.ZERO));
        assertEquals(List.of(executors.get(0).executorId()), ember.getExecutorIds());
        assertTrue(ember.applicationId().startsWith("local-"), ember.applicationId());
    }

    @Test
    void refusesAtOnceToWaitForMoreThanItsOneExecutor() {
        ExecutorWaitTimeoutException refused = assertThrows(ExecutorWaitTimeoutException.class,
                () -> ember.awaitExecutors(2, Duration.ofMinutes(1)));
        assertEquals("local mode (" + ember.masterUrl() + ") has one executor, not 2", refused.getMessage());
    }

    @Test
    void hasNoExecutorsToRequestOrKill() {
        UnsupportedOperationException refused = assertThrows(UnsupportedOperationException.class,
                () -> ember.requestTotalExecutors(3));
        assertEquals("requestTotalExecutors(3) needs a cluster: " + ember.masterUrl() + " runs every task in this "
                + "JVM, with no executors to request or kill; use local-cluster[W,C] or ember://...", refused.getMessage());
        assertThrows(UnsupportedOperationException.class, () -> ember.requestExecutors(1));
        assertThrows(UnsupportedOperationException.class, () -> ember.killExecutor("driver"));
    }

    @Test
    void namesNoClusterAndNoDriverAddress() {
        assertEquals("", ember.cluster());
        assertEquals("", ember.zookeeperConnect());
        assertEquals("", ember.driverAddress());
        assertFalse(ember.toString().contains("driver="), ember.toString());
        IllegalStateException noCluster = assertThrows(IllegalStateException.class, () -> ember.endpoint());
        assertEquals("local mode has no cluster", noCluster.getMessage());
    }

    @Test
    void runsJobsUntilClosed() {
        assertEquals(10, ember.range(0, 10).count());
        ember.close();
        IllegalStateException closed = assertThrows(IllegalStateException.class, () -> ember.range(0, 10));
        assertEquals("this context (application " + ember.applicationId() + ") is closed", closed.getMessage());
        assertTrue(ember.toString().endsWith(", closed]"), ember.toString());
    }

    /** Jobs and stages are counted in the driver's metrics: one job per action, one stage per shuffle more. */
    @Test
    void countsJobsAndStagesInItsMetrics() {
        assertEquals(0L, ember.metrics().get("jobs.started"));

        assertEquals(10L, ember.range(0, 10, 2).count());
        assertEquals(2, ember.range(0, 10, 2).mapToPair(i -> new Pair<>(i % 2, i)).reduceByKey(Long::sum, 2)
                .collect().size());
        assertThrows(JobFailedException.class, () -> ember.range(0, 4, 2).map(i -> {
            throw new IllegalStateException("no");
        }).collect());

        Eventually.await(() -> ember.metrics().get("jobs.failed") == 1, () -> "one failed job: " + ember.metrics());
        SortedMap<String, Long> metrics = ember.metrics();
        assertEquals(3L, metrics.get("jobs.started"), metrics.toString());
        assertEquals(2L, metrics.get("jobs.succeeded"), metrics.toString());
        assertEquals(4L, metrics.get("stages.submitted"), "the count, the shuffle's two and the failing one");
        assertEquals(3L, metrics.get("stages.completed"), metrics.toString());
        assertEquals(1L, metrics.get("stages.failed"), metrics.toString());
    }
}
