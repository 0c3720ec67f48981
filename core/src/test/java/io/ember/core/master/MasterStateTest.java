package io.ember.core.master;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.api.cluster.WorkerInfo;
import io.ember.api.config.DeclaredSettings;
import io.ember.api.scheduler.GroupStatus;
import io.ember.api.scheduler.SchedulerFactory;
import io.ember.api.scheduler.SchedulingLevel;
import io.ember.scheduler.fair.FairSchedulerFactory;
import io.ember.scheduler.fifo.FifoSchedulerFactory;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

final class MasterStateTest {

    private static final long GB = 1L << 30;

    @Test
    void spreadPutsEachExecutorOnTheWorkerWithTheMostFreeCores() {
        MasterState state = fifo(Placement.SPREAD);
        state.addWorker(worker("w1", 4));
        state.addWorker(worker("w2", 4));
        state.registerApplication("app-1", "pi", "default", 1, GB, 4);

        List<ExecutorRecord> placed = state.schedule();

        assertEquals(Map.of("w1", 2L, "w2", 2L), perWorker(placed));
    }

    @Test
    void packFillsOneWorkerBeforeTheNext() {
        MasterState state = fifo(Placement.PACK);
        state.addWorker(worker("w1", 4));
        state.addWorker(worker("w2", 4));
        state.registerApplication("app-1", "pi", "default", 1, GB, 4);

        assertEquals(Map.of("w1", 4L), perWorker(state.schedule()));
    }

    @Test
    void fifoGivesTheFirstApplicationEverythingItAsksFor() {
        MasterState state = fifo(Placement.SPREAD);
        state.addWorker(worker("w1", 2));
        state.addWorker(worker("w2", 2));
        state.registerApplication("first", "a", "default", 1, GB, 10);
        state.registerApplication("second", "b", "default", 1, GB, 10);

        List<ExecutorRecord> placed = state.schedule();

        assertEquals(4, placed.size());
        assertTrue(placed.stream().allMatch(e -> e.appId().equals("first")), placed.toString());
    }

    @Test
    void fairSplitsTheClusterBetweenQueuesOfEqualWeight() {
        SchedulerFactory fair = new FairSchedulerFactory();
        MasterState state = new MasterState(fair.create(DeclaredSettings.of(fair.configKeys(), Map.of()))
                .createQueue(SchedulingLevel.APPLICATIONS), Placement.SPREAD);
        state.addWorker(worker("w1", 2));
        state.addWorker(worker("w2", 2));
        state.registerApplication("first", "a", "etl", 1, GB, 10);
        state.registerApplication("second", "b", "reports", 1, GB, 10);

        Map<String, Long> perApp = state.schedule().stream()
                .collect(Collectors.groupingBy(ExecutorRecord::appId, Collectors.counting()));

        assertEquals(Map.of("first", 2L, "second", 2L), perApp);
    }

    @Test
    void placesOnlyWhereMemoryFits() {
        MasterState state = fifo(Placement.SPREAD);
        state.addWorker(new WorkerInfo("small", "127.0.0.1", 7078, 0, 8, 2 * GB));
        state.registerApplication("app-1", "pi", "default", 1, GB, 8);

        assertEquals(2, state.schedule().size());
    }

    @Test
    void executorsOfALostWorkerAreReplacedElsewhere() {
        MasterState state = fifo(Placement.SPREAD);
        state.addWorker(worker("w1", 2));
        state.addWorker(worker("w2", 2));
        state.registerApplication("app-1", "pi", "default", 1, GB, 2);
        state.schedule();

        List<ExecutorRecord> lost = state.removeWorker("w1");
        List<ExecutorRecord> replacements = state.schedule();

        assertEquals(1, lost.size());
        assertEquals(1, replacements.size());
        assertEquals("w2", replacements.get(0).workerId());
        assertTrue(!replacements.get(0).executorId().equals(lost.get(0).executorId()), "ids are never reused");
    }

    @Test
    void killedExecutorsLowerTheRequestSoTheyAreNotReplaced() {
        MasterState state = fifo(Placement.SPREAD);
        state.addWorker(worker("w1", 4));
        state.registerApplication("app-1", "pi", "default", 1, GB, 3);
        List<ExecutorRecord> placed = state.schedule();

        state.killExecutors("app-1", List.of(placed.get(0).executorId(), "no-such-executor"), OptionalInt.empty());

        assertEquals(2, state.application("app-1").orElseThrow().requestedExecutors());
        assertEquals(List.of(), state.schedule());
    }

    @Test
    void aKillCarryingATotalSetsTheRequestInTheSameStep() {
        MasterState state = fifo(Placement.SPREAD);
        state.addWorker(worker("w1", 4));
        state.registerApplication("app-1", "pi", "default", 1, GB, 3);
        List<ExecutorRecord> placed = state.schedule();

        state.killExecutors("app-1", List.of(placed.get(0).executorId(), placed.get(1).executorId()), OptionalInt.of(3));

        assertEquals(3, state.application("app-1").orElseThrow().requestedExecutors());
        List<ExecutorRecord> replacements = state.schedule();
        assertEquals(2, replacements.size(), "the total asked for 3, so both are replaced");
        assertTrue(replacements.stream().noneMatch(r -> r.executorId().equals(placed.get(0).executorId())));
    }

    @Test
    void aReRegisteringWorkerKeepsTheResourcesItsExecutorsUse() {
        MasterState state = fifo(Placement.SPREAD);
        state.addWorker(worker("w1", 2));
        state.registerApplication("app-1", "pi", "default", 1, GB, 2);
        state.schedule();

        state.addWorker(worker("w1", 2));
        state.registerApplication("app-2", "other", "default", 1, GB, 2);

        assertEquals(List.of(), state.schedule(), "w1 is still full");
    }

    @Test
    void recoveredExecutorsCountAndPushLaterIdsAboveThem() {
        MasterState state = fifo(Placement.SPREAD);
        state.addWorker(worker("w1", 4));
        state.registerApplication("app-1", "pi", "default", 1, GB, 2);
        state.addExecutor(new ExecutorRecord("app-1", "7", "w1", 1, GB));

        List<ExecutorRecord> placed = state.schedule();

        assertEquals(1, placed.size());
        assertEquals("8", placed.get(0).executorId());
    }

    @Test
    void removingAnApplicationFreesItsCoresForOthers() {
        MasterState state = fifo(Placement.SPREAD);
        state.addWorker(worker("w1", 2));
        state.registerApplication("first", "a", "default", 1, GB, 2);
        state.registerApplication("second", "b", "default", 1, GB, 2);
        state.schedule();

        List<ExecutorRecord> stopped = state.removeApplication("first");

        assertEquals(2, stopped.size());
        assertEquals(Map.of("w1", 2L), perWorker(state.schedule()));
        assertEquals(2, state.application("second").orElseThrow().executors().size());
    }

    @Test
    void queuesReportEveryDeclaredQueueAndEveryQueueHoldingApplicationsWithTheirCores() {
        MasterState state = ApplicationQueuesStateTest.fair(Map.of("queue.a.weight", "2", "queue.a.mode", "fair",
                "queue.b.maxShare", "3", "queue.idle.minShare", "1"));
        state.addWorker(worker("w1", 16));
        state.registerApplication("app-a", "wide", "a", 2, GB, 3);
        state.registerApplication("app-b", "capped", "b", 1, GB, 5);
        state.registerApplication("app-x", "adhoc", "adhoc", 1, GB, 1);
        state.schedule();

        assertEquals(List.of(
                new GroupStatus("a", "fair", 2, 0, Integer.MAX_VALUE, 6, 0, 1),
                new GroupStatus("adhoc", "fifo", 1, 0, Integer.MAX_VALUE, 1, 0, 1),
                new GroupStatus("b", "fifo", 1, 0, 3, 3, 2, 1),
                new GroupStatus("idle", "fifo", 1, 1, Integer.MAX_VALUE, 0, 0, 0)), state.queues());
    }

    @Test
    void queuesFollowExecutorsAsTheyComeAndGo() {
        MasterState state = ApplicationQueuesStateTest.fair(Map.of());
        state.addWorker(worker("w1", 2));
        state.registerApplication("app-1", "pi", "etl", 1, GB, 3);
        List<ExecutorRecord> placed = state.schedule();
        assertEquals(List.of(new GroupStatus("etl", "fifo", 1, 0, Integer.MAX_VALUE, 2, 1, 1)), state.queues());

        state.removeExecutor("app-1", placed.get(0).executorId());

        assertEquals(List.of(new GroupStatus("etl", "fifo", 1, 0, Integer.MAX_VALUE, 1, 2, 1)), state.queues());
    }

    @Test
    void queuesUnderFifoAreSortedByNameAndForgetAQueueWhoseLastApplicationEnded() {
        MasterState state = fifo(Placement.SPREAD);
        state.addWorker(worker("w1", 4));
        state.registerApplication("app-1", "first", "zeta", 1, GB, 1);
        state.registerApplication("app-2", "second", "alpha", 1, GB, 2);
        state.schedule();
        assertEquals(List.of(
                new GroupStatus("alpha", "fifo", 1, 0, Integer.MAX_VALUE, 2, 0, 1),
                new GroupStatus("zeta", "fifo", 1, 0, Integer.MAX_VALUE, 1, 0, 1)), state.queues());

        state.removeApplication("app-1");

        assertEquals(List.of("alpha"), state.queues().stream().map(GroupStatus::name).toList());
    }

    private static MasterState fifo(Placement placement) {
        SchedulerFactory fifo = new FifoSchedulerFactory();
        return new MasterState(fifo.create(DeclaredSettings.of(List.of(), Map.of()))
                .createQueue(SchedulingLevel.APPLICATIONS), placement);
    }

    private static WorkerInfo worker(String id, int cores) {
        return new WorkerInfo(id, "127.0.0.1", 7078, 0, cores, 64 * GB);
    }

    private static Map<String, Long> perWorker(List<ExecutorRecord> placed) {
        return placed.stream().collect(Collectors.groupingBy(ExecutorRecord::workerId, Collectors.counting()));
    }
}
