package io.ember.core.cluster;

import static io.ember.core.cluster.ProcessClusterExtension.coresPerApplication;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ember.core.coordination.LeaderInfo;
import io.ember.core.driver.EmberContext;
import io.ember.core.testing.Eventually;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two applications under dynamic allocation share a cluster of two one-core workers, in fair queues
 * {@code a} and {@code b}: the first grows into the whole cluster while its job runs; the second's
 * backlog asks for executors the master cannot place; once the first goes idle and releases its
 * executors, the master hands the freed cores to the second, which grows into them.
 *
 * <p>The master is a real process; workers run in this JVM and start executors as processes; the
 * drivers are {@link EmberContext}s in this JVM.
 */
@Timeout(180)
final class DynamicApplicationsTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @RegisterExtension
    final ProcessClusterExtension cluster = ProcessClusterExtension.withMasters(1)
            .withMasterSettings(ProcessClusterExtension.FAIR_QUEUES_A_AND_B)
            .withWorkers(2, 1);

    @Test
    void whenTheFirstApplicationGoesIdleTheSecondGrowsIntoTheFreedCores() throws Exception {
        LeaderInfo leader = cluster.awaitLeaderAbove(0);
        EmberContext first = application("first", "a", "2s");
        EmberContext second = application("second", "b", "5m");

        CompletableFuture<List<Long>> firstJob = CompletableFuture.supplyAsync(() -> slowSquares(first, 4, 1_500));
        Eventually.await(WAIT, () -> cores(leader.address()).equals(Map.of(first.applicationId(), 2)),
                () -> "the first application's backlog takes both cores: " + cores(leader.address()));

        CompletableFuture<List<Long>> secondJob = CompletableFuture.supplyAsync(() -> slowSquares(second, 6, 500));
        Eventually.await(WAIT, () -> requested(leader.address(), second) >= 1,
                () -> "the second application's backlog asks the master for executors: "
                        + cluster.describe(leader.address()).getRequestedExecutorsMap());

        assertEquals(squares(4), firstJob.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        Eventually.await(WAIT, () -> cores(leader.address()).equals(Map.of(second.applicationId(), 2)),
                () -> "the first application's idle executors are released and the second grows into their cores: "
                        + cores(leader.address()) + cluster.mastersOutput());
        assertEquals(squares(6), secondJob.get(WAIT.toSeconds(), TimeUnit.SECONDS));

        assertEquals(2L, first.metrics().get("allocation.executors.released"), first.metrics().toString());
        Eventually.await(WAIT, () -> first.getExecutorIds().isEmpty(), () -> "first: " + first.getExecutorIds());
        assertEquals(0L, second.metrics().get("allocation.executors.released"), "the second keeps its executors "
                + "(executorIdleTimeout 5m)");
        // counted as the driver's endpoint listeners hear of the executors, which can be after the job ran
        Eventually.await(WAIT, () -> Long.valueOf(2).equals(second.metrics().get("executors.added")),
                () -> "the second application's two executors are counted: " + second.metrics());
    }

    /** A driver in queue {@code queue} under dynamic allocation: 0 to 2 one-core executors. */
    private EmberContext application(String name, String queue, String idleTimeout) {
        Map<String, String> settings = cluster.applicationSettings(name, 0);
        settings.remove("ember.executor.instances");
        settings.put("ember.executor.cores", "1");
        settings.put("ember.app.queue", queue);
        settings.put("ember.allocation", "dynamic");
        settings.put("ember.allocation.dynamic.minExecutors", "0");
        settings.put("ember.allocation.dynamic.maxExecutors", "2");
        settings.put("ember.allocation.dynamic.schedulerBacklogTimeout", "200ms");
        settings.put("ember.allocation.dynamic.executorIdleTimeout", idleTimeout);
        return cluster.startApplication(settings);
    }

    /** Squares of 0 until {@code tasks}, one task each, every task taking {@code millis}. */
    private static List<Long> slowSquares(EmberContext ember, int tasks, long millis) {
        return ember.range(0, tasks, tasks).map(i -> {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(millis));
            return i * i;
        }).collect();
    }

    private static List<Long> squares(int count) {
        return LongStream.range(0, count).map(i -> i * i).boxed().toList();
    }

    private int requested(String leader, EmberContext context) {
        return cluster.describe(leader).getRequestedExecutorsMap().getOrDefault(context.applicationId(), 0);
    }

    /** Cores the master has placed per application (launching or running). */
    private Map<String, Integer> cores(String leader) {
        return coresPerApplication(cluster.describe(leader));
    }
}
