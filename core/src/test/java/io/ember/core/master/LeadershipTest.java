package io.ember.core.master;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.api.cluster.ApplicationInfo;
import io.ember.api.cluster.WorkerInfo;
import io.ember.core.coordination.ClusterSnapshot;
import io.ember.core.rpc.proto.ApplicationSpec;
import io.ember.core.rpc.proto.StoredApplication;
import io.ember.core.rpc.proto.StoredExecutor;
import io.ember.core.rpc.proto.StoredWorker;
import io.ember.core.rpc.proto.WorkerSpec;
import io.ember.core.testing.Eventually;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A term's decisions, through a fake {@link WorkerGateway} and an in-memory store: no gRPC, no
 * ZooKeeper. Each step runs on the term's event loop, as the master runs it.
 */
final class LeadershipTest {

    private static final long EPOCH = 7;
    private static final Duration SHORT_GRACE = Duration.ofMillis(300);
    private static final MasterOptions OPTIONS = TermLoop.options(Duration.ofSeconds(30));

    private final TermLoop loop = new TermLoop();
    private final FakeWorkerGateway workers = new FakeWorkerGateway();
    private final InMemoryApplicationStore store = new InMemoryApplicationStore();
    private final FakeLiveNodes nodes = new FakeLiveNodes();
    private final Leadership leadership = new Leadership(EPOCH, OPTIONS, store, nodes, TermLoop.fifo(), workers,
            loop.eventLoop(), Clock.systemUTC());

    @AfterEach
    void stopTheLoop() {
        loop.close();
    }

    @Test
    void placesAnApplicationsExecutorsOnTheWorkersWithFreeCores() {
        lead(ClusterSnapshot.EMPTY);
        register(worker("w1", 2));
        register(worker("w2", 1));

        String appId = registerApplication(4);

        assertEquals(3, workers.launches.size(), "three cores are free for four executors");
        assertEquals(2, launchesOn("w1"));
        assertEquals(1, launchesOn("w2"));
        for (FakeWorkerGateway.Launch launch : workers.launches) {
            assertEquals(appId, launch.executor().appId());
            assertEquals(appId, launch.app().appId());
            assertEquals("127.0.0.1:9", launch.app().driverAddress());
        }
        ClusterOverview.Application app = loop.ask(leadership::overview).applications().get(0);
        assertEquals(4, app.requestedExecutors());
        assertEquals(3, app.executors().size());
        assertEquals(4, store.applications.get(appId).requestedExecutors());
    }

    @Test
    void aHugeRequestIsPlacedInTurnsSoTheLoopServesOthersInBetween() {
        lead(ClusterSnapshot.EMPTY);
        // enough workers that more than a turn's placements fit under their launches-in-flight bounds
        int workerCount = ExecutorLaunches.PLACEMENTS_PER_TURN / MasterState.MAX_LAUNCHES_IN_FLIGHT + 4;
        for (int i = 0; i < workerCount; i++) {
            WorkerInfo big = new WorkerInfo("big-" + i, "127.0.0.1", 7078, 0, 100_000, 1L << 50);
            loop.run(() -> leadership.registerWorker(new WorkerRegistration(big, List.of())));
        }
        ApplicationDescription tiny = new ApplicationDescription("", "many", "default", 1, 1L << 20, "127.0.0.1:9",
                Map.of());

        int inTheFirstTurn = loop.ask(() -> {
            leadership.registerApplication(tiny, 1_000, 0);
            return workers.launches.size();
        });

        assertEquals(ExecutorLaunches.PLACEMENTS_PER_TURN, inTheFirstTurn);
        Eventually.await("every executor placed, turn by turn", () -> workers.launches.size() == 1_000);
        loop.awaitScheduledUpTo(Duration.ZERO);
        assertEquals(1_000, workers.launches.size(), "and not one more");
    }

    @Test
    void aWorkerThatDoesNotAnswerLaunchesIsSentNoMoreThanTheBoundUntilItDoes() {
        lead(ClusterSnapshot.EMPTY);
        loop.run(() -> leadership.registerWorker(new WorkerRegistration(
                new WorkerInfo("silent", "127.0.0.1", 7078, 0, 100_000, 1L << 50), List.of())));
        workers.holdLaunches();
        ApplicationDescription tiny = new ApplicationDescription("", "many", "default", 1, 1L << 20, "127.0.0.1:9",
                Map.of());

        loop.run(() -> leadership.registerApplication(tiny, 1_000, 0));
        loop.awaitScheduledUpTo(Duration.ZERO);
        assertEquals(MasterState.MAX_LAUNCHES_IN_FLIGHT, workers.launches.size(),
                "no more launches than the bound while none is answered");

        workers.answerHeld(3);
        Eventually.await("three answers make room for three launches",
                () -> workers.launches.size() == MasterState.MAX_LAUNCHES_IN_FLIGHT + 3);
        loop.awaitScheduledUpTo(Duration.ZERO);
        assertEquals(MasterState.MAX_LAUNCHES_IN_FLIGHT + 3, workers.launches.size(), "and not one more");
        assertEquals(MasterState.MAX_LAUNCHES_IN_FLIGHT + 3,
                loop.ask(leadership::overview).applications().get(0).executors().size());
    }

    @Test
    void retriesALaunchTheWorkerDidNotTakeASecondLater() {
        lead(ClusterSnapshot.EMPTY);
        register(worker("w1", 2));
        workers.refuseNextLaunches(1);

        long refused = System.nanoTime();
        registerApplication(1);
        Eventually.await("a second launch", () -> workers.launches.size() == 2);

        long waitedMillis = (System.nanoTime() - refused) / 1_000_000;
        assertTrue(waitedMillis >= ExecutorLaunches.LAUNCH_RETRY_DELAY.toMillis() - 50,
                "the retry waited: " + waitedMillis + " ms");
        assertNotEquals(workers.launches.get(0).executor().executorId(),
                workers.launches.get(1).executor().executorId());
        assertEquals(1, loop.ask(leadership::overview).applications().get(0).executors().size());
    }

    /** A worker that does not take a launch (dead, not yet gone from ZooKeeper) is skipped at once. */
    @Test
    void placesALaunchAWorkerDidNotTakeOnAnotherWorkerAtOnce() {
        lead(ClusterSnapshot.EMPTY);
        register(worker("w1", 4));
        register(worker("w2", 2));
        workers.refuseNextLaunches(1);

        registerApplication(1);
        Eventually.await("a second launch", () -> workers.launches.size() == 2);

        assertEquals("w1", workers.launches.get(0).workerId(), "the worker with the most free cores first");
        assertEquals("w2", workers.launches.get(1).workerId(), "then another worker, not the one that refused");
        assertEquals(1, loop.ask(leadership::overview).applications().get(0).executors().size());
    }

    @Test
    void replacesAFailedExecutorAtOnceAndTheNextOneAfterTheBackoff() {
        lead(ClusterSnapshot.EMPTY);
        register(worker("w1", 2));
        registerApplication(1);

        report(workers.launches.get(0).executor(), ExecutorReport.Status.FAILED);
        assertEquals(2, workers.launches.size(), "the first failure is replaced at once");
        long secondFailure = System.nanoTime();
        report(workers.launches.get(1).executor(), ExecutorReport.Status.FAILED);
        assertEquals(2, workers.launches.size(), "the second one waits");

        Eventually.await("the second failure is replaced", () -> workers.launches.size() == 3);
        long waitedMillis = (System.nanoTime() - secondFailure) / 1_000_000;
        assertTrue(waitedMillis >= ExecutorFailures.FIRST_DELAY.toMillis() - 50, "waited " + waitedMillis + " ms");
    }

    @Test
    void replacesTheExecutorsOfALostWorkerOnTheOthers() {
        lead(ClusterSnapshot.EMPTY);
        register(worker("w1", 2));
        register(worker("w2", 2));
        registerApplication(2);
        assertEquals(1, launchesOn("w1"));

        loop.run(() -> leadership.workerGone("w1"));

        assertEquals(3, workers.launches.size());
        assertEquals("w2", workers.launches.get(2).workerId());
        assertEquals(List.of("w2"), loop.ask(leadership::workers).stream().map(WorkerInfo::workerId).toList());
    }

    @Test
    void anExecutorThatExitsIsReplacedWithoutBackoff() {
        lead(ClusterSnapshot.EMPTY);
        register(worker("w1", 2));
        registerApplication(1);

        report(workers.launches.get(0).executor(), ExecutorReport.Status.EXITED);
        report(workers.launches.get(1).executor(), ExecutorReport.Status.EXITED);

        assertEquals(3, workers.launches.size());
    }

    @Test
    void endingAnApplicationTellsEveryWorkerAndForgetsItsRecord() {
        lead(ClusterSnapshot.EMPTY);
        register(worker("w1", 1));
        register(worker("w2", 1));
        String appId = registerApplication(2);

        loop.run(() -> leadership.unregisterApplication(appId));

        assertEquals(Set.of(new FakeWorkerGateway.Finished("w1", appId), new FakeWorkerGateway.Finished("w2", appId)),
                Set.copyOf(workers.finished));
        assertEquals(Map.of(), store.applications);
        assertEquals(List.of(), loop.ask(leadership::overview).applications());
    }

    /**
     * An application this leader ended (its driver's session expired) registered again by its driver:
     * its new executors are numbered above every id the driver heard of, never reusing one a worker may
     * still be stopping (a launch under a reused id would be taken for the old executor and ignored).
     */
    @Test
    void anApplicationRegisteredAgainAfterItEndedNumbersItsExecutorsAboveTheIdsItsDriverHeardOf() {
        lead(ClusterSnapshot.EMPTY);
        register(worker("w1", 4));
        String appId = registerApplication(2);
        assertEquals(List.of("0", "1"), workers.launches.stream().map(l -> l.executor().executorId()).toList());
        loop.run(() -> leadership.unregisterApplication(appId));
        ApplicationDescription again = new ApplicationDescription(appId, "test-app", "default", 1, 1L << 30,
                "127.0.0.1:9", Map.of());

        assertEquals(appId, loop.ask(() -> leadership.registerApplication(again, 2, 2)));

        assertEquals(List.of("0", "1", "2", "3"),
                workers.launches.stream().map(l -> l.executor().executorId()).toList());
    }

    @Test
    void killingExecutorsAsksTheirWorkerAndLowersTheRequestSoTheyAreNotReplaced() {
        lead(ClusterSnapshot.EMPTY);
        register(worker("w1", 2));
        String appId = registerApplication(2);
        String killed = workers.launches.get(0).executor().executorId();

        loop.run(() -> leadership.killExecutors(appId, List.of(killed), OptionalInt.empty()));

        assertEquals(List.of(new FakeWorkerGateway.Kill("w1", appId, killed)), workers.kills);
        assertEquals(2, workers.launches.size());
        assertEquals(1, store.applications.get(appId).requestedExecutors());
    }

    @Test
    void aNewLeaderPlacesNothingUntilItsKnownWorkersReRegister() {
        WorkerInfo w1 = worker("w1", 2);
        lead(new ClusterSnapshot(
                Map.of("w1", StoredWorker.newBuilder().setSpec(spec(w1)).build().toByteArray()),
                Map.of("app-1", StoredApplication.newBuilder().setSpec(ApplicationSpec.newBuilder().setAppId("app-1")
                                .setName("recovered").setQueue("default").setCoresPerExecutor(1)
                                .setMemoryPerExecutorBytes(1L << 30).setDriverAddress("127.0.0.1:9"))
                        .setRequestedExecutors(2).setRegistrationOrder(4).build().toByteArray()),
                Map.of(), Set.of("app-1")));
        assertEquals(0, workers.launches.size(), "w1 may still run app-1's executors");

        ExecutorRecord running = new ExecutorRecord("app-1", "0", "w1", 1, 1L << 30);
        loop.run(() -> leadership.registerWorker(new WorkerRegistration(w1,
                List.of(new ExecutorReport(running, ExecutorReport.Status.RUNNING, 0, "")))));

        assertEquals(1, workers.launches.size(), "only the missing executor is launched");
        assertEquals("1", workers.launches.get(0).executor().executorId());
        assertEquals("app-1", workers.launches.get(0).app().appId());
    }

    /** An application whose driver node is still away a grace after the takeover is ended. */
    @Test
    void aNewLeaderEndsTheApplicationsWhoseDriverStaysAway() {
        store.applications.put("app-1", new InMemoryApplicationStore.Stored(
                new ApplicationDescription("app-1", "orphan", "default", 1, 1L << 30, "", Map.of()), 1, 0));
        Leadership successor = shortGraceSuccessor();

        loop.run(() -> successor.recover(new ClusterSnapshot(Map.of(), Map.of("app-1", stored("app-1", 1, 0)), Map.of(),
                Set.of())));

        Eventually.await("the orphan is ended", () -> loop.ask(successor::applications).isEmpty());
        assertEquals(Map.of(), store.applications, "its record is removed");
    }

    /**
     * After an outage of the ensemble the driver's node may be away at the takeover and back a
     * moment later (its session expired and it took the node back): its application goes on.
     */
    @Test
    void aNewLeaderKeepsAnApplicationWhoseDriverNodeComesBackWithinTheGrace() {
        Leadership successor = shortGraceSuccessor();
        loop.run(() -> successor.recover(new ClusterSnapshot(Map.of(), Map.of("app-1", stored("app-1", 0, 0)), Map.of(),
                Set.of())));
        nodes.drivers.add("app-1");
        loop.run(() -> successor.registerWorker(new WorkerRegistration(worker("w1", 2), List.of())));

        loop.awaitScheduledUpTo(SHORT_GRACE);
        assertEquals(List.of("app-1"), loop.ask(successor::applications).stream()
                .map(ApplicationInfo::applicationId).toList(), "the application goes on");
    }

    /**
     * A worker whose node vanished and came back within the grace renewed its ZooKeeper session: it
     * stays, with its executors, and nothing is placed to replace them.
     */
    @Test
    void aWorkerWhoseNodeComesBackWithinTheGraceKeepsItsExecutors() {
        Leadership term = shortGraceSuccessor();
        loop.run(() -> term.recover(ClusterSnapshot.EMPTY));
        WorkerInfo w1 = worker("w1", 2);
        loop.run(() -> term.registerWorker(new WorkerRegistration(w1, List.of())));
        ApplicationDescription app = new ApplicationDescription("", "test-app", "default", 1, 1L << 30,
                "127.0.0.1:9", Map.of());
        String appId = loop.ask(() -> term.registerApplication(app, 2, 0));
        nodes.drivers.add(appId);
        assertEquals(2, workers.launches.size());

        loop.run(() -> term.workerNodeRemoved("w1"));
        nodes.workers.add("w1");
        loop.awaitScheduledUpTo(SHORT_GRACE);

        assertEquals(List.of(w1), loop.ask(term::workers), "the worker stays");
        assertEquals(2, loop.ask(term::overview).applications().get(0).executors().size(), "with its executors");
        assertEquals(2, workers.launches.size(), "nothing is launched again");
        assertEquals(appId, workers.launches.get(0).app().appId());
    }

    /** A worker whose node stays away is gone after the grace, and its executors are placed elsewhere. */
    @Test
    void aWorkerWhoseNodeStaysAwayIsGoneAfterTheGrace() {
        Leadership term = shortGraceSuccessor();
        loop.run(() -> term.recover(ClusterSnapshot.EMPTY));
        loop.run(() -> term.registerWorker(new WorkerRegistration(worker("w1", 1), List.of())));
        loop.run(() -> term.registerWorker(new WorkerRegistration(worker("w2", 1), List.of())));
        ApplicationDescription app = new ApplicationDescription("", "test-app", "default", 1, 1L << 30,
                "127.0.0.1:9", Map.of());
        nodes.drivers.add(loop.ask(() -> term.registerApplication(app, 1, 0)));
        String first = workers.launches.get(0).workerId();

        loop.run(() -> term.workerNodeRemoved(first));
        assertEquals(2, loop.ask(term::workers).size(), "nothing changes within the grace");

        Eventually.await("the worker is gone", () -> loop.ask(term::workers).size() == 1);
        assertEquals(2, workers.launches.size(), "its executor is placed on the other worker");
        assertNotEquals(first, workers.launches.get(1).workerId());
    }

    /** An executor whose node vanished and came back within the grace is kept; one that stays away is replaced. */
    @Test
    void anExecutorIsReplacedOnlyWhenItsNodeStaysAway() {
        Leadership term = shortGraceSuccessor();
        loop.run(() -> term.recover(ClusterSnapshot.EMPTY));
        loop.run(() -> term.registerWorker(new WorkerRegistration(worker("w1", 4), List.of())));
        ApplicationDescription app = new ApplicationDescription("", "test-app", "default", 1, 1L << 30,
                "127.0.0.1:9", Map.of());
        String appId = loop.ask(() -> term.registerApplication(app, 2, 0));
        nodes.drivers.add(appId);
        String renewed = workers.launches.get(0).executor().executorId();
        String lost = workers.launches.get(1).executor().executorId();

        nodes.executors.add(appId + "/" + renewed);
        loop.run(() -> term.executorNodeRemoved(appId, renewed));
        loop.run(() -> term.executorNodeRemoved(appId, lost));
        Eventually.await("the lost executor is replaced", () -> workers.launches.size() == 3);
        loop.awaitScheduledUpTo(SHORT_GRACE);

        assertEquals(3, workers.launches.size(), "only the lost one");
        assertEquals(Set.of(renewed, workers.launches.get(2).executor().executorId()),
                loop.ask(term::overview).applications().get(0).executors().stream().map(ExecutorRecord::executorId)
                        .collect(Collectors.toSet()));
    }

    /**
     * At the takeover an executor is recorded on a worker whose node is away for a moment: the term
     * waits for that worker too, and adopts the executor when it reports it.
     */
    @Test
    void recoveryWaitsForTheWorkersOfRecordedExecutors() {
        WorkerInfo w1 = worker("w1", 2);
        WorkerInfo w2 = worker("w2", 2);
        lead(new ClusterSnapshot(
                Map.of("w1", StoredWorker.newBuilder().setSpec(spec(w1)).build().toByteArray()),
                Map.of("app-1", stored("app-1", 2, 0)),
                Map.of("app-1", Map.of("0", storedExecutor("app-1", "0", "w2"))), Set.of("app-1")));

        register(w1);
        assertEquals(0, workers.launches.size(), "w2 runs an executor it has not reported yet");

        ExecutorRecord running = new ExecutorRecord("app-1", "0", "w2", 1, 1L << 30);
        loop.run(() -> leadership.registerWorker(new WorkerRegistration(w2,
                List.of(new ExecutorReport(running, ExecutorReport.Status.RUNNING, 0, "")))));
        assertEquals(1, workers.launches.size(), "only the second executor is launched");
        assertNotEquals("0", workers.launches.get(0).executor().executorId());
    }

    /**
     * A driver that dies between registering its application and creating its ZooKeeper node leaves
     * no node to go away: the leader ends the application when the node never comes.
     */
    @Test
    void anApplicationWhoseDriverNeverRegistersInZooKeeperIsEnded() {
        Leadership term = shortGraceSuccessor();
        loop.run(() -> term.recover(ClusterSnapshot.EMPTY));
        ApplicationDescription app = new ApplicationDescription("", "test-app", "default", 1, 1L << 30,
                "127.0.0.1:9", Map.of());
        String silent = loop.ask(() -> term.registerApplication(app, 0, 0));
        String alive = loop.ask(() -> term.registerApplication(app, 0, 0));
        nodes.drivers.add(alive);

        Eventually.await("the application without a driver node is ended",
                () -> loop.ask(term::applications).size() == 1);
        loop.awaitScheduledUpTo(SHORT_GRACE.multipliedBy(Leadership.DRIVER_NODE_WAIT_GRACES));

        assertEquals(List.of(alive), loop.ask(term::applications).stream().map(ApplicationInfo::applicationId).toList());
        assertFalse(store.applications.containsKey(silent), "its record is removed");
    }

    /** A new leader numbers applications on from where the leaders before stopped, ended ones included. */
    @Test
    void applicationIdsKeepIncreasingAcrossLeaders() {
        store.nextApplicationNumber.set(41);
        Leadership successor = new Leadership(EPOCH + 1, OPTIONS, store, nodes, TermLoop.fifo(), workers,
                loop.eventLoop(), Clock.systemUTC());
        ApplicationDescription app = new ApplicationDescription("", "next", "default", 1, 1L << 30, "127.0.0.1:9",
                Map.of());

        String first = loop.ask(() -> successor.registerApplication(app, 0, 0));
        String second = loop.ask(() -> successor.registerApplication(app, 0, 0));

        assertTrue(first.endsWith("-0041"), first);
        assertTrue(second.endsWith("-0042"), second);
        assertEquals(43, store.nextApplicationNumber.get(), "recorded for the leader after this one");
    }

    /**
     * After an outage of the ensemble the leader may take over before the workers' nodes are back:
     * with applications stored, it still waits the grace, so a worker registering meanwhile reports
     * what it runs before anything is placed.
     */
    @Test
    void aNewLeaderWithApplicationsButNoKnownWorkerWaitsTheGraceBeforePlacing() {
        Leadership successor = shortGraceSuccessor();
        loop.run(() -> successor.recover(new ClusterSnapshot(Map.of(), Map.of("app-1", stored("app-1", 1, 0)), Map.of(),
                Set.of("app-1"))));

        loop.run(() -> successor.registerWorker(new WorkerRegistration(worker("w1", 2), List.of())));
        assertEquals(0, workers.launches.size(), "nothing placed within the grace");

        Eventually.await("the executor is placed once the grace is over", () -> workers.launches.size() == 1);
    }

    /**
     * A term the election paused (its connection to ZooKeeper broke) places nothing; resumed, it
     * places what was asked meanwhile, and a worker whose node went away while it could not see it
     * is removed after the grace, as if the removal had just been seen.
     */
    @Test
    void aPausedTermPlacesNothingAndCatchesUpWithZooKeeperWhenResumed() {
        Leadership term = shortGraceSuccessor();
        loop.run(() -> term.recover(ClusterSnapshot.EMPTY));
        loop.run(() -> term.registerWorker(new WorkerRegistration(worker("w1", 2), List.of())));
        loop.run(() -> term.registerWorker(new WorkerRegistration(worker("w2", 2), List.of())));
        ApplicationDescription app = new ApplicationDescription("", "paused", "default", 1, 1L << 30, "127.0.0.1:9",
                Map.of());
        String appId = loop.ask(() -> term.registerApplication(app, 0, 0));
        nodes.drivers.add(appId);
        nodes.workers.add("w1");

        loop.run(term::pause);
        loop.run(() -> term.requestTotalExecutors(appId, 4));
        assertEquals(0, workers.launches.size(), "a paused term places nothing");

        // While paused, w2's node went away; w1's and the driver's are there.
        ClusterSnapshot now = new ClusterSnapshot(Map.of("w1", new byte[0]), Map.of(appId, new byte[0]), Map.of(),
                Set.of(appId));
        loop.run(() -> term.resume(now));
        assertEquals(4, workers.launches.size(), "placed once resumed");
        Eventually.await("w2 removed once the grace is over",
                () -> loop.ask(term::workers).stream().map(WorkerInfo::workerId).toList().equals(List.of("w1")));
        assertEquals(List.of(appId), loop.ask(term::applications).stream().map(ApplicationInfo::applicationId)
                .toList(), "the application stays: its driver's node is there");
    }

    private static byte[] stored(String appId, int executors, long order) {
        return StoredApplication.newBuilder().setSpec(ApplicationSpec.newBuilder().setAppId(appId).setName(appId)
                        .setQueue("default").setCoresPerExecutor(1).setMemoryPerExecutorBytes(1L << 30)
                        .setDriverAddress("127.0.0.1:9"))
                .setRequestedExecutors(executors).setRegistrationOrder(order).build().toByteArray();
    }

    private static byte[] storedExecutor(String appId, String executorId, String workerId) {
        return StoredExecutor.newBuilder().setSpec(MasterMessages.executor(
                new ExecutorRecord(appId, executorId, workerId, 1, 1L << 30), "127.0.0.1:9")).build().toByteArray();
    }

    /** A term whose grace (for recovery, and for nodes that went away) is short. */
    private Leadership shortGraceSuccessor() {
        MasterOptions shortGrace = TermLoop.options(SHORT_GRACE);
        return new Leadership(EPOCH + 1, shortGrace, store, nodes, TermLoop.fifo(), workers, loop.eventLoop(),
                Clock.systemUTC());
    }

    private void lead(ClusterSnapshot snapshot) {
        loop.run(() -> leadership.recover(snapshot));
    }

    private void register(WorkerInfo worker) {
        assertEquals(EPOCH, loop.ask(() -> leadership.registerWorker(new WorkerRegistration(worker, List.of()))));
    }

    private String registerApplication(int executors) {
        ApplicationDescription app = new ApplicationDescription("", "test-app", "default", 1, 1L << 30, "127.0.0.1:9",
                Map.of("ember.executor.javaOptions", "-Xss2m"));
        return loop.ask(() -> leadership.registerApplication(app, executors, 0));
    }

    private void report(ExecutorRecord executor, ExecutorReport.Status status) {
        loop.run(() -> leadership.executorStateChanged(executor.workerId(),
                new ExecutorReport(executor, status, status == ExecutorReport.Status.FAILED ? 1 : 0, "")));
    }

    private long launchesOn(String workerId) {
        return workers.launches.stream().filter(l -> l.workerId().equals(workerId)).count();
    }

    private static WorkerInfo worker(String id, int cores) {
        return new WorkerInfo(id, "127.0.0.1", 7078, 0, cores, 64L << 30);
    }

    private static WorkerSpec spec(WorkerInfo worker) {
        return MasterMessages.worker(worker);
    }
}
