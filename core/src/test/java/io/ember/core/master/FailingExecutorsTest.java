package io.ember.core.master;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.api.cluster.WorkerInfo;
import io.ember.core.coordination.ClusterSnapshot;
import io.ember.core.testing.Eventually;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A term's answer to executors that fail: it gives up an application whose executors cannot start or
 * keep dying, and tells the driver following the application (a recording {@link ApplicationWatcher})
 * of each failed executor, of why executors are missing, and of the application given up. A fake
 * {@link WorkerGateway} and an in-memory store; each step runs on the term's loop.
 */
final class FailingExecutorsTest {

    private static final ExecutorOutput BAD_OPTION = new ExecutorOutput("stderr", List.of(
            "Unrecognized VM option 'NoSuchOption'", "Error: Could not create the Java Virtual Machine."));

    private final TermLoop loop = new TermLoop();
    private final FakeWorkerGateway workers = new FakeWorkerGateway();
    private final Leadership leadership = new Leadership(7, TermLoop.options(Duration.ofSeconds(30)),
            new InMemoryApplicationStore(), new FakeLiveNodes(), TermLoop.fifo(), workers, loop.eventLoop(),
            Clock.systemUTC());
    private final RecordingWatcher watcher = new RecordingWatcher();

    @AfterEach
    void stopTheLoop() {
        loop.close();
    }

    @Test
    void anApplicationWhoseExecutorsCannotStartIsGivenUpAfterThreeLaunches() {
        lead();
        register(worker("w1", 4, 64L << 30));
        String appId = registerApplication(2, 0, 0);
        loop.run(() -> leadership.watchApplication(appId, watcher));

        for (int failed = 0; watcher.failures().isEmpty(); failed++) {
            int next = failed;
            Eventually.await("launch " + (next + 1), () -> workers.launches.size() > next);
            report(workers.launches.get(next).executor(), ExecutorReport.Status.FAILED, 1, BAD_OPTION);
        }

        assertEquals(3, workers.launches.size(), "as many launches as ember.executor.maxLaunchFailures");
        String reason = watcher.failures().get(0).reason();
        assertTrue(reason.contains("its executors exit before they register: 3 in a row "
                + "(ember.executor.maxLaunchFailures=3)"), reason);
        assertTrue(reason.contains("exited with code 1; its stderr ends: Unrecognized VM option 'NoSuchOption' | "
                + "Error: Could not create the Java Virtual Machine."), reason);
        List<ApplicationNotice.ExecutorFailed> executors = watcher.executorFailures();
        assertEquals(3, executors.size());
        assertTrue(executors.stream().allMatch(ApplicationNotice.ExecutorFailed::beforeRegistering));
        assertEquals(BAD_OPTION, executors.get(2).output());

        loop.awaitScheduledUpTo(ExecutorFailures.delayAfter(3).plusMillis(100));
        assertEquals(3, workers.launches.size(), "no launch after the application was given up");
    }

    @Test
    void theApplicationsOwnLimitApplies() {
        lead();
        register(worker("w1", 4, 64L << 30));
        String appId = registerApplication(1, 1, 0);
        loop.run(() -> leadership.watchApplication(appId, watcher));

        report(workers.launches.get(0).executor(), ExecutorReport.Status.FAILED, 1, BAD_OPTION);

        assertEquals(1, watcher.failures().size());
        assertTrue(watcher.failures().get(0).reason().contains("ember.executor.maxLaunchFailures=1"));
        assertEquals(1, workers.launches.size());
    }

    @Test
    void aProcessThatCouldNotStartAtAllIsQuotedByWhatItsWorkerSaid() {
        lead();
        register(worker("w1", 4, 64L << 30));
        String appId = registerApplication(1, 1, 0);
        loop.run(() -> leadership.watchApplication(appId, watcher));
        ExecutorRecord executor = workers.launches.get(0).executor();

        loop.run(() -> leadership.executorStateChanged("w1", new ExecutorReport(executor, ExecutorReport.Status.FAILED, 0,
                "could not start: the Java executable /opt/jdk/bin/java does not exist", ExecutorOutput.NONE)));

        assertTrue(watcher.failures().get(0).reason().endsWith("; the last, executor 0 on worker w1, could not start: "
                + "the Java executable /opt/jdk/bin/java does not exist"), watcher.failures().get(0).reason());
    }

    @Test
    void anExecutorThatRegistersEndsARowOfLaunchFailures() {
        lead();
        register(worker("w1", 4, 64L << 30));
        String appId = registerApplication(1, 0, 0);
        loop.run(() -> leadership.watchApplication(appId, watcher));
        report(workers.launches.get(0).executor(), ExecutorReport.Status.FAILED, 1, BAD_OPTION);
        Eventually.await("the replacement", () -> workers.launches.size() == 2);
        report(workers.launches.get(1).executor(), ExecutorReport.Status.FAILED, 1, BAD_OPTION);
        Eventually.await("the next replacement, after the back-off", () -> workers.launches.size() == 3);

        ExecutorRecord third = workers.launches.get(2).executor();
        loop.run(() -> leadership.executorRegistered(appId, third.executorId()));
        report(third, ExecutorReport.Status.FAILED, 3, ExecutorOutput.NONE);

        assertEquals(List.of(), watcher.failures(), "the third registered before it failed: not a launch failure");
        assertFalse(watcher.executorFailures().get(2).beforeRegistering());
        Eventually.await("a fourth launch", () -> workers.launches.size() == 4);
    }

    /** One of four failed while three were still starting: the replacement waits for one to register. */
    @Test
    void aLaunchHeldBackDuringARowOfLaunchFailuresGoesOutOnceAnExecutorRegisters() {
        lead();
        register(worker("w1", 8, 64L << 30));
        String appId = registerApplication(4, 0, 0);
        assertEquals(4, workers.launches.size());

        report(workers.launches.get(3).executor(), ExecutorReport.Status.FAILED, 1, ExecutorOutput.NONE);
        assertEquals(4, workers.launches.size(), "1 failed + 3 starting: a fourth could only reach the limit");

        loop.run(() -> leadership.executorRegistered(appId, workers.launches.get(0).executor().executorId()));

        assertEquals(5, workers.launches.size(), "the replacement goes out once one registered");
    }

    @Test
    void executorsThatKeepDyingAfterRegisteringBackOffAndAreGivenUpAtMaxFailures() {
        lead();
        register(worker("w1", 4, 64L << 30));
        String appId = registerApplication(1, 0, 3);
        loop.run(() -> leadership.watchApplication(appId, watcher));
        ExecutorOutput oom = new ExecutorOutput("stdout",
                List.of("Terminating due to java.lang.OutOfMemoryError: Java heap space"));

        ExecutorRecord first = workers.launches.get(0).executor();
        loop.run(() -> leadership.executorRegistered(appId, first.executorId()));
        report(first, ExecutorReport.Status.FAILED, 3, oom);
        assertEquals(2, workers.launches.size(), "the first failure is replaced at once");

        ExecutorRecord second = workers.launches.get(1).executor();
        loop.run(() -> leadership.executorRegistered(appId, second.executorId()));
        report(second, ExecutorReport.Status.FAILED, 3, oom);
        assertEquals(2, workers.launches.size(), "the second waits out the back-off, registered or not");
        Eventually.await("the replacement after the back-off", () -> workers.launches.size() == 3);

        ExecutorRecord third = workers.launches.get(2).executor();
        loop.run(() -> leadership.executorRegistered(appId, third.executorId()));
        report(third, ExecutorReport.Status.FAILED, 3, oom);

        assertEquals(1, watcher.failures().size());
        String reason = watcher.failures().get(0).reason();
        assertTrue(reason.startsWith("3 of its executors failed in a row (ember.executor.maxFailures=3); the last, "
                + "executor " + third.executorId() + " on worker w1, exited with code 3; its stdout ends: "
                + "Terminating due to java.lang.OutOfMemoryError: Java heap space"), reason);
        loop.awaitScheduledUpTo(ExecutorFailures.delayAfter(3).plusMillis(100));
        assertEquals(3, workers.launches.size());
    }

    @Test
    void theDriverHearsWhyItsApplicationLacksExecutors() {
        lead();
        String appId = registerApplication(2, 0, 0);
        loop.run(() -> leadership.watchApplication(appId, watcher));
        assertEquals("no worker is registered with the leader master", watcher.lastWaiting());

        register(worker("small", 4, 512L << 20));
        assertEquals("no worker is large enough for one of its executors (1 core(s) and 1024 MB): the largest, "
                + "small, offers 4 core(s) and 512 MB", watcher.lastWaiting());

        register(worker("w1", 1, 8L << 30));
        assertEquals(1, workers.launches.size());
        assertEquals("the cluster is short of free cores or memory: each executor needs 1 core(s) and 1024 MB, and "
                + "no worker has that free (2 worker(s); the most free, small, has 4 core(s) and 512 MB)",
                watcher.lastWaiting());

        register(worker("w2", 1, 8L << 30));
        assertEquals(2, workers.launches.size());
        assertEquals("", watcher.lastWaiting(), "nothing in the way any more");
    }

    @Test
    void aDriverThatStartsWatchingHearsWhatStandsAndIsToldWhenTheApplicationOrTheTermEnds() {
        lead();
        register(worker("w1", 4, 64L << 30));
        String appId = registerApplication(1, 1, 0);
        report(workers.launches.get(0).executor(), ExecutorReport.Status.FAILED, 1, BAD_OPTION);
        String other = registerApplication(1, 0, 0);
        RecordingWatcher second = new RecordingWatcher();

        loop.run(() -> leadership.watchApplication(appId, watcher));
        loop.run(() -> leadership.watchApplication(other, second));
        assertEquals(1, watcher.failures().size(), "the failure stood before the driver watched");

        loop.run(() -> leadership.unregisterApplication(appId));
        assertTrue(watcher.applicationEnded);
        loop.run(leadership::end);
        assertTrue(second.leadershipEnded);
        assertFalse(watcher.leadershipEnded, "its application had ended already");
    }

    @Test
    void nothingIsLaunchedForAnApplicationWhoseDriverStoppedAnsweringUntilItIsBack() {
        lead();
        register(worker("w1", 4, 64L << 30));
        String appId = registerApplication(2, 0, 0);
        loop.run(() -> leadership.watchApplication(appId, watcher));
        assertEquals(2, workers.launches.size());

        loop.run(() -> leadership.unwatchApplication(appId, watcher));   // its stream broke: the driver was killed, say
        for (FakeWorkerGateway.Launch launch : List.copyOf(workers.launches)) {
            report(launch.executor(), ExecutorReport.Status.FAILED, 1, ExecutorOutput.NONE);   // they lost it too
        }
        loop.awaitScheduledUpTo(Duration.ofSeconds(1));   // longer than any back-off the two could have earned
        assertEquals(2, workers.launches.size(), "no replacement while the driver does not answer");

        RecordingWatcher back = new RecordingWatcher();
        loop.run(() -> leadership.watchApplication(appId, back));
        assertEquals(4, workers.launches.size(), "both replaced at once when it answers again: they were not failures");
        assertEquals(List.of(), back.failures());
    }

    @Test
    void aDriverThatHasNotWatchedDuringTheTermIsNotHeldBack() {
        lead();
        register(worker("w1", 4, 64L << 30));
        String appId = registerApplication(1, 0, 0);   // its driver follows the old leader still, say

        report(workers.launches.get(0).executor(), ExecutorReport.Status.EXITED, 0, ExecutorOutput.NONE);

        assertEquals(2, workers.launches.size(), "replaced");
    }

    @Test
    void watchingAnApplicationTheTermDoesNotKnowIsRefused() {
        lead();

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> loop.run(() -> leadership.watchApplication("app-nope", watcher)));

        assertEquals("unknown application app-nope", e.getMessage());
    }

    /** A driver's watch: what it was told, in order. */
    private static final class RecordingWatcher implements ApplicationWatcher {
        final List<ApplicationNotice> notices = new CopyOnWriteArrayList<>();
        volatile boolean applicationEnded;
        volatile boolean leadershipEnded;

        @Override
        public void notice(ApplicationNotice notice) {
            notices.add(notice);
        }

        @Override
        public void applicationEnded() {
            applicationEnded = true;
        }

        @Override
        public void leadershipEnded() {
            leadershipEnded = true;
        }

        List<ApplicationNotice.Failed> failures() {
            return notices.stream().filter(ApplicationNotice.Failed.class::isInstance)
                    .map(ApplicationNotice.Failed.class::cast).toList();
        }

        List<ApplicationNotice.ExecutorFailed> executorFailures() {
            return notices.stream().filter(ApplicationNotice.ExecutorFailed.class::isInstance)
                    .map(ApplicationNotice.ExecutorFailed.class::cast).toList();
        }

        String lastWaiting() {
            return notices.stream().filter(ApplicationNotice.Waiting.class::isInstance)
                    .map(n -> ((ApplicationNotice.Waiting) n).reason()).reduce((a, b) -> b).orElse(null);
        }
    }

    private void lead() {
        loop.run(() -> leadership.recover(ClusterSnapshot.EMPTY));
    }

    private void register(WorkerInfo worker) {
        loop.run(() -> leadership.registerWorker(new WorkerRegistration(worker, List.of())));
    }

    private String registerApplication(int executors, int maxLaunchFailures, int maxExecutorFailures) {
        ApplicationDescription app = new ApplicationDescription("", "failing", "default", 1, 1L << 30, "127.0.0.1:9",
                Map.of(), maxLaunchFailures, maxExecutorFailures);
        return loop.ask(() -> leadership.registerApplication(app, executors, 0));
    }

    private void report(ExecutorRecord executor, ExecutorReport.Status status, int exitCode, ExecutorOutput output) {
        loop.run(() -> leadership.executorStateChanged(executor.workerId(),
                new ExecutorReport(executor, status, exitCode, "exited with code " + exitCode, output)));
    }

    private static WorkerInfo worker(String id, int cores, long memory) {
        return new WorkerInfo(id, "127.0.0.1", 7078, 0, cores, memory);
    }
}
