package io.ember.core.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.api.allocation.AllocationPolicy;
import io.ember.api.allocation.ExecutorAllocationClient;
import io.ember.core.testing.Eventually;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The allocation loop runs every policy call on its one thread, in order, returns the answers of the
 * application's requests and throws what the policy throws; the client it hands the policy counts
 * each decision and tells the scheduler before executors are killed.
 */
final class AllocationLoopTest {

    private final RecordingCluster cluster = new RecordingCluster();
    private final List<String> stoppedScheduling = new CopyOnWriteArrayList<>();
    private final DriverMetrics metrics = new DriverMetrics();
    private volatile Set<String> busy = Set.of();
    private final DriverAllocationClient client = new DriverAllocationClient(cluster,
            new DriverAllocationClient.Scheduling() {
                @Override
                public void remove(String executorId, String reason) {
                    stoppedScheduling.add(executorId + ": " + reason);
                }

                @Override
                public Set<String> removeIdle(Collection<String> executorIds, String reason) {
                    Set<String> idle = new TreeSet<>(executorIds);
                    idle.removeAll(busy);
                    idle.forEach(id -> stoppedScheduling.add(id + ": " + reason));
                    return idle;
                }
            }, metrics);
    private final RecordingPolicy policy = new RecordingPolicy(client);
    private final AllocationLoop loop = new AllocationLoop(policy, "app-1", client);

    @AfterEach
    void close() {
        loop.close();
    }

    @Test
    void deliversEventsAndRequestsInOrderOnTheAllocationThread() {
        loop.start();
        loop.deliver("onStageSubmitted", p -> p.onStageSubmitted(1, 4));
        loop.deliver("onTaskStart", p -> p.onTaskStart(1, "e1"));

        assertTrue(loop.request("requestTotalExecutors", p -> p.requestTotalExecutors(3)));

        assertEquals(List.of("start", "stage 1", "task 1 e1", "total 3"), policy.calls());
        assertEquals(Set.of("ember-allocation"), policy.threads());
    }

    @Test
    void throwsWhatThePolicyThrowsForARequest() {
        loop.start();
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> loop.request("requestExecutors", p -> p.requestExecutors(-1)));
        assertEquals("no", refused.getMessage());
        assertTrue(loop.request("requestTotalExecutors", p -> p.requestTotalExecutors(1)), "the loop goes on");
    }

    @Test
    void refusesRequestsOnceClosed() {
        loop.start();
        loop.close();
        assertThrows(IllegalStateException.class, () -> loop.request("requestTotalExecutors",
                p -> p.requestTotalExecutors(1)));
        assertEquals("close", policy.calls().get(policy.calls().size() - 1));
    }

    @Test
    void countsDecisionsAndTellsTheSchedulerBeforeAKill() {
        loop.start();
        cluster.held = Set.of("e1", "e2");
        assertTrue(loop.request("requestTotalExecutors", p -> p.requestTotalExecutors(2)));
        Eventually.await(() -> policy.calls().contains("total 2"), "the policy asked");
        assertTrue(loop.request("killExecutors", p -> p.killExecutors(List.of("e2", "e9"))));
        loop.deliver("release", p -> client.killExecutors(List.of("e1"), 0));
        Eventually.await(() -> cluster.calls.size() == 3, () -> "three calls reach the cluster: " + cluster.calls);

        assertEquals(List.of("total 2", "kill [e2] total 1", "kill [e1] total 0"), cluster.calls, "e9 is not sent");
        assertEquals(List.of("e2: killed at the application's request", "e1: released by the allocation policy"),
                stoppedScheduling);
        Map<String, Long> counted = metrics.snapshot();
        assertEquals(1L, counted.get(DriverMetrics.TARGET_RAISED));
        assertEquals(2L, counted.get(DriverMetrics.EXECUTORS_REQUESTED));
        assertEquals(2L, counted.get(DriverMetrics.TARGET_LOWERED));
        assertEquals(1L, counted.get(DriverMetrics.EXECUTORS_KILLED), "e9 is not the application's");
        assertEquals(1L, counted.get(DriverMetrics.EXECUTORS_RELEASED));
        assertEquals(0L, counted.get(DriverMetrics.ALLOCATION_TARGET));
    }

    @Test
    void aReleaseKillsOnlyTheExecutorsTheSchedulerFoundIdleAndStillSendsTheTotal() {
        loop.start();
        cluster.held = Set.of("e1", "e2");
        busy = Set.of("e2");
        loop.deliver("release", p -> client.killExecutors(List.of("e1", "e2"), 2));
        loop.deliver("release", p -> client.killExecutors(List.of("e2"), 1));
        Eventually.await(() -> cluster.calls.size() == 2, () -> "two calls reach the cluster: " + cluster.calls);

        assertEquals(List.of("kill [e1] total 2", "total 1"), cluster.calls, "e2 got a task: not killed");
        assertEquals(List.of("e1: released by the allocation policy"), stoppedScheduling);
        assertEquals(1L, metrics.snapshot().get(DriverMetrics.EXECUTORS_RELEASED));
    }

    /** A policy that records what it is called with, and on which thread. */
    private static final class RecordingPolicy implements AllocationPolicy {
        private final ExecutorAllocationClient client;
        private final List<String> calls = new ArrayList<>();
        private final Set<String> threads = new TreeSet<>();

        RecordingPolicy(ExecutorAllocationClient client) {
            this.client = client;
        }

        private synchronized void record(String call) {
            calls.add(call);
            threads.add(Thread.currentThread().getName());
        }

        synchronized List<String> calls() {
            return List.copyOf(calls);
        }

        synchronized Set<String> threads() {
            return Set.copyOf(threads);
        }

        @Override
        public void start() {
            record("start");
        }

        @Override
        public void onStageSubmitted(int stageId, int tasks) {
            record("stage " + stageId);
        }

        @Override
        public void onTaskStart(int stageId, String executorId) {
            record("task " + stageId + " " + executorId);
        }

        @Override
        public boolean requestTotalExecutors(int total) {
            record("total " + total);
            return client.requestTotalExecutors(total);
        }

        @Override
        public boolean requestExecutors(int count) {
            throw new IllegalArgumentException("no");
        }

        @Override
        public boolean killExecutors(Collection<String> executorIds) {
            record("kill " + executorIds);
            return client.killExecutors(executorIds, 1);
        }

        @Override
        public void close() {
            record("close");
        }
    }

    /** The master client's side, recorded. */
    private static final class RecordingCluster implements ExecutorAllocationClient {
        final List<String> calls = new CopyOnWriteArrayList<>();
        volatile Set<String> held = Set.of();
        private volatile int total;

        @Override
        public boolean requestTotalExecutors(int total) {
            this.total = total;
            calls.add("total " + total);
            return true;
        }

        @Override
        public boolean killExecutors(Collection<String> executorIds, int total) {
            this.total = total;
            calls.add("kill " + executorIds + " total " + total);
            return true;
        }

        @Override
        public int requestedTotal() {
            return total;
        }

        @Override
        public Set<String> executorIds() {
            return held;
        }
    }
}
