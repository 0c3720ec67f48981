package io.ember.core.cluster;

import static io.ember.core.cluster.ProcessClusterExtension.coresPerApplication;
import static io.ember.core.cluster.ProcessClusterExtension.executorIds;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ember.core.coordination.LeaderInfo;
import io.ember.core.driver.EmberContext;
import io.ember.core.rpc.proto.ClusterDescription;
import io.ember.core.rpc.proto.QueueStatus;
import io.ember.core.rpc.proto.WorkerSpec;
import io.ember.core.testing.Eventually;
import io.ember.core.testing.JavaProcesses;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two applications share a cluster of 4 worker cores, each asking for 4 one-core executors: the
 * master's scheduler plugin decides who gets the cores. Under {@code fair} with queues {@code a}
 * and {@code b} of weight 1 each ends with 2; under {@code fifo} the first registered takes all 4.
 *
 * <p>There is no preemption, so whoever registers first on an empty cluster takes every free core.
 * The tests therefore make the choice observable in two ways: both applications register before any
 * worker offers a core, or one application holds the whole cluster when the other arrives and some
 * of its executor processes are then killed (kill -9), freeing cores for the scheduler to hand out.
 *
 * <p>The master is a real process started with the policy's settings; workers run in this JVM and
 * start executors as processes; drivers are {@link EmberContext}s in this JVM.
 */
@Timeout(180)
final class ApplicationQueuesTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Map<String, String> FAIR = ProcessClusterExtension.FAIR_QUEUES_A_AND_B;
    private static final Map<String, String> FIFO = Map.of("ember.scheduler", "fifo");

    /** Each test starts its master with the policy it tries, and its workers when it needs them. */
    @RegisterExtension
    final ProcessClusterExtension cluster = ProcessClusterExtension.zooKeeperOnly();

    @Test
    void fairQueuesOfEqualWeightEachEndWithHalfTheCoresWhenBothWantMore() throws IOException {
        String leader = leaderWith(FAIR);
        EmberContext first = application("first", "a");
        EmberContext second = application("second", "b");
        awaitRequests(leader, first, second);

        cluster.startWorker("worker-1", 2);
        cluster.startWorker("worker-2", 2);

        awaitCores(leader, Map.of(first.applicationId(), 2, second.applicationId(), 2));
        first.awaitExecutors(2, WAIT);
        second.awaitExecutors(2, WAIT);
        assertSettled(leader, Map.of(first.applicationId(), 2, second.applicationId(), 2), first, second);
        assertEquals(List.of(queue("a", 2, 2), queue("b", 2, 2)), queues(leader));
    }

    @Test
    void fifoGivesTheFirstRegisteredApplicationEveryCoreAndAFreedOneBack() throws IOException {
        String leader = leaderWith(FIFO);
        EmberContext first = application("first", "a");
        EmberContext second = application("second", "b");
        awaitRequests(leader, first, second);

        cluster.startWorker("worker-1", 2);
        cluster.startWorker("worker-2", 2);

        awaitCores(leader, Map.of(first.applicationId(), 4));
        first.awaitExecutors(4, WAIT);
        assertSettled(leader, Map.of(first.applicationId(), 4), first, second);

        Set<String> killed = killExecutors(first, 1);

        Eventually.await(WAIT, () -> first.executors().size() == 4
                        && first.executors().stream().noneMatch(e -> killed.contains(e.executorId())),
                () -> "the first application gets a replacement for " + killed + "; it has " + first.executors()
                        + "; the master shows " + coresPerApplication(describe(leader)));
        assertSettled(leader, Map.of(first.applicationId(), 4), first, second);
        assertEquals(List.of(queue("a", 4, 0), queue("b", 0, 4)), queues(leader));
    }

    @Test
    void underFairCoresFreedByKilledExecutorsGoToTheQueueBelowItsShare() throws IOException {
        String leader = leaderWith(FAIR);
        cluster.startWorker("worker-1", 2);
        cluster.startWorker("worker-2", 2);
        EmberContext greedy = application("greedy", "a");
        awaitCores(leader, Map.of(greedy.applicationId(), 4));
        greedy.awaitExecutors(4, WAIT);
        EmberContext late = application("late", "b");
        awaitRequests(leader, greedy, late);
        assertEquals(Map.of(greedy.applicationId(), 4), coresPerApplication(describe(leader)),
                "no preemption: the late application waits for cores to be freed");

        killExecutors(greedy, 2);

        awaitCores(leader, Map.of(greedy.applicationId(), 2, late.applicationId(), 2));
        late.awaitExecutors(2, WAIT);
        Eventually.await(WAIT, () -> greedy.executors().size() == 2,
                () -> "the greedy application's driver drops its killed executors: " + greedy.executors());
        assertSettled(leader, Map.of(greedy.applicationId(), 2, late.applicationId(), 2), greedy, late);
        assertEquals(List.of(queue("a", 2, 2), queue("b", 2, 2)), queues(leader));
    }

    // ---- helpers

    /** Starts one master with {@code settings} and returns its address once it leads and serves. */
    private String leaderWith(Map<String, String> settings) throws IOException {
        cluster.startMasters(1, settings);
        LeaderInfo leader = cluster.awaitLeaderAbove(0);
        return leader.address();
    }

    /** A driver in queue {@code queue} asking for 4 executors of 1 core. */
    private EmberContext application(String name, String queue) {
        Map<String, String> settings = cluster.applicationSettings(name, 4);
        settings.put("ember.executor.cores", "1");
        settings.put("ember.app.queue", queue);
        return cluster.startApplication(settings);
    }

    /** Waits until the master has every application's request for 4 executors. */
    private void awaitRequests(String leader, EmberContext... contexts) {
        Eventually.await(WAIT, () -> {
            Map<String, Integer> requested = describe(leader).getRequestedExecutorsMap();
            for (EmberContext context : contexts) {
                if (requested.getOrDefault(context.applicationId(), 0) != 4) {
                    return false;
                }
            }
            return true;
        }, () -> "every application's request reaches the master: " + describe(leader).getRequestedExecutorsMap());
    }

    /** Waits until the master has placed exactly these cores per application (launching or running). */
    private void awaitCores(String leader, Map<String, Integer> expected) {
        Eventually.await(WAIT, () -> coresPerApplication(describe(leader)).equals(expected),
                () -> "the master places cores " + expected + "; it shows " + coresPerApplication(describe(leader))
                        + cluster.mastersOutput());
    }

    /**
     * Once the executors run, checks again that the master's placement is still {@code expected}, that
     * every core of the cluster is taken (so nothing more can be placed without a release), and that
     * each driver holds exactly the executors the master lists for it.
     */
    private void assertSettled(String leader, Map<String, Integer> expected, EmberContext... contexts) {
        for (EmberContext context : contexts) {
            int executors = expected.getOrDefault(context.applicationId(), 0);   // one core each
            Eventually.await(WAIT, () -> liveRegistered(context) == executors, () -> context.applicationId() + " has "
                    + liveRegistered(context) + " live executor processes in the registry, expected " + executors);
        }
        ClusterDescription description = describe(leader);
        assertEquals(expected, coresPerApplication(description));
        int clusterCores = description.getWorkersList().stream().mapToInt(WorkerSpec::getCores).sum();
        assertEquals(4, clusterCores);
        assertEquals(clusterCores, expected.values().stream().mapToInt(Integer::intValue).sum(), "no core is free");
        for (EmberContext context : contexts) {
            assertEquals(executorIds(description, context.applicationId()), executorIds(context.executors()),
                    "the driver of " + context.applicationId() + " holds what the master placed");
        }
    }

    /** Kills (-9) {@code count} of the application's executor processes; returns their executor ids. */
    private Set<String> killExecutors(EmberContext context, int count) {
        // an executor registers with its driver and in the registry at the same time: wait for the nodes
        Eventually.await(WAIT, () -> cluster.registeredPids(context.applicationId()).size() >= count,
                () -> "executors of " + context.applicationId() + " in the registry: "
                        + cluster.registeredPids(context.applicationId()));
        Map<String, Long> pids = cluster.registeredPids(context.applicationId());
        List<String> victims = new ArrayList<>(pids.keySet()).subList(0, count);
        for (String executorId : victims) {
            JavaProcesses.kill(pids.get(executorId));
        }
        return Set.copyOf(victims);
    }

    /**
     * The application's executors in the registry whose processes are alive (a killed one's node
     * stays until its ZooKeeper session expires).
     */
    private long liveRegistered(EmberContext context) {
        return cluster.registeredPids(context.applicationId()).values().stream().filter(JavaProcesses::alive).count();
    }

    private ClusterDescription describe(String leader) {
        return cluster.describe(leader);
    }

    private List<QueueStatus> queues(String leader) {
        return describe(leader).getQueuesList();
    }

    /** The queue status an equal-weight queue holding one application shows. */
    private static QueueStatus queue(String name, int running, int pending) {
        return QueueStatus.newBuilder().setName(name).setMode("fifo").setWeight(1).setMinShare(0)
                .setRunning(running).setPending(pending).setApplications(1).build();
    }
}
