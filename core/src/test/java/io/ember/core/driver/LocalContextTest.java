package io.ember.core.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.api.cluster.ExecutorInfo;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
}
