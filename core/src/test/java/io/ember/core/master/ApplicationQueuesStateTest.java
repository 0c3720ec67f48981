package io.ember.core.master;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ember.api.cluster.WorkerInfo;
import io.ember.api.config.DeclaredSettings;
import io.ember.api.scheduler.GroupStatus;
import io.ember.api.scheduler.SchedulerFactory;
import io.ember.api.scheduler.SchedulingLevel;
import io.ember.api.scheduler.SchedulingQueue;
import io.ember.scheduler.fair.FairSchedulerFactory;
import io.ember.scheduler.fifo.FifoSchedulerFactory;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Which application gets free worker cores, with the real {@code fifo} and {@code fair} plugins
 * behind the master's application queue: shares between queues, what happens to freed cores (there
 * is no preemption), maxShare, minShare, and swapping the queue for one with new settings.
 */
final class ApplicationQueuesStateTest {

    private static final long GB = 1L << 30;

    @Test
    void aQueueOverItsShareYieldsFreedCoresToTheQueueUnderIt() {
        MasterState state = fair(Map.of("queue.a.weight", "1", "queue.b.weight", "1"));
        state.addWorker(worker("w1", 4));
        state.registerApplication("greedy", "first", "a", 1, GB, 4);
        assertEquals(4, state.schedule().size(), "alone, it takes every free core");
        state.registerApplication("late", "second", "b", 1, GB, 4);
        assertEquals(List.of(), state.schedule(), "no preemption: nothing is free");

        loseOneExecutor(state, "greedy");
        assertEquals(Map.of("late", 1), placedPerApp(state.schedule()));
        loseOneExecutor(state, "greedy");
        assertEquals(Map.of("late", 1), placedPerApp(state.schedule()));

        assertEquals(Map.of("greedy", 2, "late", 2), runningPerApp(state));
    }

    @Test
    void underFifoAFreedCoreGoesBackToTheFirstApplication() {
        MasterState state = fifo();
        state.addWorker(worker("w1", 4));
        state.registerApplication("greedy", "first", "a", 1, GB, 4);
        state.schedule();
        state.registerApplication("late", "second", "b", 1, GB, 4);

        loseOneExecutor(state, "greedy");

        assertEquals(Map.of("greedy", 1), placedPerApp(state.schedule()));
        assertEquals(Map.of("greedy", 4, "late", 0), runningPerApp(state));
    }

    @Test
    void aFreedCoreGoesToTheQueueFurthestBelowItsShare() {
        MasterState state = fair(Map.of());
        state.addWorker(worker("w1", 6));
        state.registerApplication("a1", "a", "a", 1, GB, 3);
        state.registerApplication("b1", "b", "b", 1, GB, 2);
        state.registerApplication("c1", "c", "c", 1, GB, 1);
        state.schedule();
        state.requestTotalExecutors("a1", 6);
        state.requestTotalExecutors("b1", 6);

        // a holds 3, b 2; c gives its one core back: of the queues that want cores, b holds the fewest.
        String released = state.application("c1").orElseThrow().executors().keySet().iterator().next();
        state.killExecutors("c1", List.of(released), OptionalInt.empty());

        assertEquals(Map.of("b1", 1), placedPerApp(state.schedule()));
    }

    @Test
    void weightsSplitTheClusterInProportion() {
        MasterState state = fair(Map.of("queue.big.weight", "2", "queue.small.weight", "1"));
        state.addWorker(worker("w1", 3));
        state.addWorker(worker("w2", 3));
        state.registerApplication("x", "x", "small", 1, GB, 6);
        state.registerApplication("y", "y", "big", 1, GB, 6);

        assertEquals(Map.of("x", 2, "y", 4), placedPerApp(state.schedule()));
    }

    @Test
    void maxShareCapsAQueueEvenWhileCoresStayFree() {
        MasterState state = fair(Map.of("queue.capped.maxShare", "3"));
        state.addWorker(worker("w1", 8));
        state.registerApplication("capped-app", "c", "capped", 1, GB, 8);

        assertEquals(Map.of("capped-app", 3), placedPerApp(state.schedule()));

        state.registerApplication("other-app", "o", "other", 1, GB, 8);
        assertEquals(Map.of("other-app", 5), placedPerApp(state.schedule()), "the rest goes to the uncapped queue");
    }

    @Test
    void maxShareCountsEveryApplicationOfTheQueueTogether() {
        MasterState state = fair(Map.of("queue.capped.maxShare", "3"));
        state.addWorker(worker("w1", 8));
        state.registerApplication("first", "f", "capped", 1, GB, 2);
        state.registerApplication("second", "s", "capped", 1, GB, 2);

        assertEquals(Map.of("first", 2, "second", 1), placedPerApp(state.schedule()));
    }

    @Test
    void aQueueBelowItsMinShareGetsCoresFirst() {
        MasterState state = fair(Map.of("queue.urgent.minShare", "3"));
        state.addWorker(worker("w1", 4));
        state.registerApplication("plain-app", "p", "plain", 1, GB, 4);
        state.registerApplication("urgent-app", "u", "urgent", 1, GB, 4);

        // Without the minShare the two equal-weight queues would split 2 and 2.
        assertEquals(Map.of("plain-app", 1, "urgent-app", 3), placedPerApp(state.schedule()));
    }

    @Test
    void executorsOfSeveralCoresCountTheirCoresTowardsTheShare() {
        MasterState state = fair(Map.of());
        state.addWorker(worker("w1", 4));
        state.addWorker(worker("w2", 4));
        state.registerApplication("wide", "w", "a", 2, GB, 4);
        state.registerApplication("narrow", "n", "b", 1, GB, 8);

        Map<String, Integer> placed = placedPerApp(state.schedule());

        assertEquals(Map.of("wide", 2, "narrow", 4), placed, "4 cores each: 2 executors of 2, 4 of 1");
    }

    @Test
    void aReplacementQueueTakesOverEveryApplicationWithWhatItHolds() {
        MasterState state = fifo();
        state.addWorker(worker("w1", 2));
        state.registerApplication("first", "f", "a", 1, GB, 4);
        state.registerApplication("second", "s", "b", 1, GB, 4);
        assertEquals(Map.of("first", 2), placedPerApp(state.schedule()));

        state.replaceQueue(fairQueue(Map.of("queue.b.weight", "1")));
        state.addWorker(worker("w2", 2));

        // Under fifo "first" would take w2's cores too; the fair queue knows it already holds 2.
        assertEquals(Map.of("second", 2), placedPerApp(state.schedule()));
        assertEquals(List.of("a", "b"), state.queues().stream().map(GroupStatus::name).toList());
        assertEquals(List.of(2, 2), state.queues().stream().map(GroupStatus::running).toList());
    }

    @Test
    void aQueueThatRefusesAnApplicationLeavesTheCurrentQueueInUse() {
        MasterState state = fair(Map.of("queue.a.weight", "3"));
        state.registerApplication("first", "f", "a", 1, GB, 2);
        SchedulingQueue refusing = fifoQueue();
        refusing.add(state.application("first").orElseThrow());

        assertThrows(IllegalArgumentException.class, () -> state.replaceQueue(refusing));

        assertEquals(3.0, state.queues().get(0).weight(), "still the fair queue");
    }

    private static void loseOneExecutor(MasterState state, String appId) {
        String executorId = state.application(appId).orElseThrow().executors().keySet().iterator().next();
        state.removeExecutor(appId, executorId).orElseThrow();
    }

    private static Map<String, Integer> placedPerApp(List<ExecutorRecord> placed) {
        Map<String, Integer> perApp = new TreeMap<>();
        placed.forEach(executor -> perApp.merge(executor.appId(), 1, Integer::sum));
        return perApp;
    }

    private static Map<String, Integer> runningPerApp(MasterState state) {
        Map<String, Integer> perApp = new TreeMap<>();
        state.applications().forEach(app -> perApp.put(app.appId(), app.running()));
        return perApp;
    }

    static MasterState fair(Map<String, String> settings) {
        return new MasterState(fairQueue(settings), Placement.SPREAD);
    }

    static MasterState fifo() {
        return new MasterState(fifoQueue(), Placement.SPREAD);
    }

    static SchedulingQueue fairQueue(Map<String, String> settings) {
        SchedulerFactory fair = new FairSchedulerFactory();
        return fair.create(DeclaredSettings.of(fair.configKeys(), settings)).createQueue(SchedulingLevel.APPLICATIONS);
    }

    static SchedulingQueue fifoQueue() {
        SchedulerFactory fifo = new FifoSchedulerFactory();
        return fifo.create(DeclaredSettings.of(fifo.configKeys(), Map.of())).createQueue(SchedulingLevel.APPLICATIONS);
    }

    private static WorkerInfo worker(String id, int cores) {
        return new WorkerInfo(id, "127.0.0.1", 7078, 0, cores, 64 * GB);
    }
}
