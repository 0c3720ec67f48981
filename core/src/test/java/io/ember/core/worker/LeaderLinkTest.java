package io.ember.core.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ember.api.cluster.WorkerInfo;
import io.ember.core.coordination.LeaderInfo;
import io.ember.core.executor.Poll;
import io.ember.core.rpc.EpochFence;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The worker's decisions in its conversation with the leader, against a fake gateway: no wire. */
final class LeaderLinkTest {

    private static final LeaderInfo FIRST = new LeaderInfo("master-a", "127.0.0.1:7077", 4);
    private static final LeaderInfo SECOND = new LeaderInfo("master-b", "127.0.0.1:7177", 5);
    private static final WorkerRegistration REGISTRATION = new WorkerRegistration(
            new WorkerInfo("worker-1", "127.0.0.1", 7078, 0, 4, 1L << 30), List.of());

    private final FakeLeaders leaders = new FakeLeaders();
    private final EpochFence fence = new EpochFence();
    private final LeaderLink link = new LeaderLink("worker-1", leaders, fence, () -> REGISTRATION);

    @AfterEach
    void close() {
        link.close();
    }

    private static ExecutorReport state(String executorId, ExecutorReport.Status status) {
        return new ExecutorReport(new ExecutorAssignment("app-1", executorId, "worker-1", 1, 1L << 26, "driver:7000"),
                status, 0, "", 0);
    }

    @Test
    void queuesReportsUntilThereIsALeaderAndRegistersFirst() {
        link.report(state("1", ExecutorReport.Status.RUNNING));
        link.report(state("1", ExecutorReport.Status.EXITED));

        link.leaderChanged(FIRST);

        Poll.until(() -> leaders.calls.size() == 3, () -> "a registration and two reports, got " + leaders.calls);
        assertEquals(List.of("master-a: register worker-1 with 0 executor(s)", "master-a: 1 RUNNING",
                "master-a: 1 EXITED"), leaders.calls);
        assertEquals(4, fence.highest());
    }

    @Test
    void registersWithEveryNewLeaderAndSendsWhatFollowsThere() {
        link.leaderChanged(FIRST);
        Poll.until(() -> leaders.calls.size() == 1, () -> "a registration, got " + leaders.calls);

        link.leaderChanged(SECOND);
        link.report(state("1", ExecutorReport.Status.FAILED));

        Poll.until(() -> leaders.calls.size() == 3, () -> "a registration and a report, got " + leaders.calls);
        assertEquals(List.of("master-b: register worker-1 with 0 executor(s)", "master-b: 1 FAILED"),
                leaders.calls.subList(1, 3));
        assertEquals(List.of(FIRST), leaders.forgotten);
        assertEquals(5, fence.highest());
    }

    @Test
    void keepsTalkingToANewLeaderAtTheSameAddress() {
        link.leaderChanged(FIRST);
        LeaderInfo successor = new LeaderInfo("master-c", FIRST.address(), 6);

        link.leaderChanged(successor);

        Poll.until(() -> leaders.calls.contains("master-c: register worker-1 with 0 executor(s)"),
                () -> "a registration with master-c, got " + leaders.calls);
        assertEquals(List.of(), leaders.forgotten);
        assertEquals(6, fence.highest());
    }

    @Test
    void retriesARegistrationTheLeaderCouldNotTake() {
        leaders.refuseRegistrations.set(2);
        link.report(state("1", ExecutorReport.Status.RUNNING));

        link.leaderChanged(FIRST);

        Poll.until(() -> leaders.calls.contains("master-a: 1 RUNNING"), () -> "the report, got " + leaders.calls);
        assertEquals(List.of("master-a: register worker-1 with 0 executor(s)", "master-a: 1 RUNNING"), leaders.calls);
    }

    @Test
    void retriesAReportTheLeaderCouldNotTakeInOrder() {
        link.leaderChanged(FIRST);
        leaders.refuseReports(LeaderCallException.Refusal.TRY_AGAIN, 3);

        link.report(state("1", ExecutorReport.Status.RUNNING));
        link.report(state("2", ExecutorReport.Status.RUNNING));

        Poll.until(() -> leaders.calls.size() == 3, () -> "two reports, got " + leaders.calls);
        assertEquals(List.of("master-a: register worker-1 with 0 executor(s)", "master-a: 1 RUNNING",
                "master-a: 2 RUNNING"), leaders.calls);
    }

    @Test
    void dropsAReportTheLeaderRefusesForGoodAndGoesOn() {
        link.leaderChanged(FIRST);
        leaders.refuseReports(LeaderCallException.Refusal.FOR_GOOD, 1);

        link.report(state("1", ExecutorReport.Status.RUNNING));
        link.report(state("2", ExecutorReport.Status.RUNNING));

        Poll.until(() -> leaders.calls.contains("master-a: 2 RUNNING"), () -> "report 2, got " + leaders.calls);
        assertEquals(List.of("master-a: register worker-1 with 0 executor(s)", "master-a: 2 RUNNING"), leaders.calls);
    }

    @Test
    void registersAgainWhenTheLeaderDoesNotKnowAReportAndThenSendsItOnce() {
        link.leaderChanged(FIRST);
        leaders.refuseReports(LeaderCallException.Refusal.REGISTER_AGAIN, 1);

        link.report(state("1", ExecutorReport.Status.KILLED));

        Poll.until(() -> leaders.calls.contains("master-a: 1 KILLED"), () -> "the report, got " + leaders.calls);
        assertEquals(List.of("master-a: register worker-1 with 0 executor(s)",
                "master-a: register worker-1 with 0 executor(s)", "master-a: 1 KILLED"), leaders.calls);
    }

    @Test
    void dropsAReportTheLeaderStillDoesNotKnowAfterRegisteringAgain() {
        link.leaderChanged(FIRST);
        leaders.refuseReports(LeaderCallException.Refusal.REGISTER_AGAIN, 2);

        link.report(state("1", ExecutorReport.Status.KILLED));
        link.report(state("2", ExecutorReport.Status.RUNNING));

        Poll.until(() -> leaders.calls.contains("master-a: 2 RUNNING"), () -> "report 2, got " + leaders.calls);
        assertEquals(List.of("master-a: register worker-1 with 0 executor(s)",
                "master-a: register worker-1 with 0 executor(s)", "master-a: 2 RUNNING"), leaders.calls);
    }

    @Test
    void registersWithTheRegistrationOfTheMoment() {
        AtomicReference<WorkerRegistration> now = new AtomicReference<>(REGISTRATION);
        LeaderLink withExecutors = new LeaderLink("worker-1", leaders, fence, now::get);
        try {
            now.set(new WorkerRegistration(REGISTRATION.worker(), List.of(state("1", ExecutorReport.Status.RUNNING))));
            withExecutors.leaderChanged(FIRST);

            Poll.until(() -> leaders.calls.size() == 1, () -> "a registration, got " + leaders.calls);
            assertEquals(List.of("master-a: register worker-1 with 1 executor(s)"), leaders.calls);
        } finally {
            withExecutors.close();
        }
    }

    /** Takes every call, recording it in a line, unless told to refuse the next few. */
    private static final class FakeLeaders implements LeaderGateway {

        final List<String> calls = new CopyOnWriteArrayList<>();
        final List<LeaderInfo> forgotten = new CopyOnWriteArrayList<>();
        final AtomicInteger refuseRegistrations = new AtomicInteger();
        private final AtomicInteger refuseReports = new AtomicInteger();
        private volatile LeaderCallException.Refusal refusal = LeaderCallException.Refusal.TRY_AGAIN;

        void refuseReports(LeaderCallException.Refusal how, int count) {
            refusal = how;
            refuseReports.set(count);
        }

        @Override
        public long register(LeaderInfo leader, WorkerRegistration registration) {
            if (refuseRegistrations.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw refused(leader, LeaderCallException.Refusal.TRY_AGAIN);
            }
            calls.add(leader.masterId() + ": register " + registration.worker().workerId() + " with "
                    + registration.executors().size() + " executor(s)");
            return leader.epoch();
        }

        @Override
        public void report(LeaderInfo leader, String workerId, ExecutorReport report) {
            if (refuseReports.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw refused(leader, refusal);
            }
            calls.add(leader.masterId() + ": " + report.executor().executorId() + " " + report.status());
        }

        @Override
        public void forget(LeaderInfo leader) {
            forgotten.add(leader);
        }

        private static LeaderCallException refused(LeaderInfo leader, LeaderCallException.Refusal how) {
            return new LeaderCallException("leader master " + leader.masterId() + " refused the call: " + how, how,
                    "refused by the test", null);
        }
    }
}
