package io.ember.core.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ember.core.executor.Poll;
import io.ember.core.rpc.EpochFence;
import io.ember.core.rpc.RpcChannels;
import io.ember.core.rpc.proto.ExecutorSpec;
import io.ember.core.rpc.proto.ExecutorState;
import io.ember.core.rpc.proto.ExecutorStatus;
import io.ember.core.rpc.proto.RegisterWorkerRequest;
import io.ember.core.rpc.proto.WorkerSpec;
import io.grpc.Status;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The worker's side of the conversation with the leader, against fake masters on real sockets. */
final class LeaderLinkTest {

    private static final RegisterWorkerRequest REGISTRATION = RegisterWorkerRequest.newBuilder()
            .setWorker(WorkerSpec.newBuilder().setWorkerId("worker-1").setHost("127.0.0.1").setRpcPort(7078)
                    .setCores(4).setMemoryBytes(1L << 30))
            .build();

    private final RpcChannels channels = new RpcChannels("test-link", Optional.empty());
    private final EpochFence fence = new EpochFence();
    private final AtomicInteger registrationsBuilt = new AtomicInteger();
    private final LeaderLink link = new LeaderLink("worker-1", channels, Duration.ofSeconds(5), fence, () -> {
        registrationsBuilt.incrementAndGet();
        return REGISTRATION;
    });
    private final TestingMaster first = new TestingMaster("master-a", 4, Optional.empty());
    private final TestingMaster second = new TestingMaster("master-b", 5, Optional.empty());

    @AfterEach
    void close() {
        link.close();
        channels.close();
        first.close();
        second.close();
    }

    private static ExecutorState state(String executorId, ExecutorStatus status) {
        return ExecutorState.newBuilder()
                .setSpec(ExecutorSpec.newBuilder().setAppId("app-1").setExecutorId(executorId).setWorkerId("worker-1"))
                .setStatus(status)
                .build();
    }

    private static List<String> statuses(TestingMaster master) {
        return master.allReports().stream()
                .map(r -> r.getState().getSpec().getExecutorId() + ":" + r.getState().getStatus()).toList();
    }

    @Test
    void queuesReportsUntilThereIsALeaderAndRegistersFirst() {
        link.report(state("1", ExecutorStatus.RUNNING));
        link.report(state("1", ExecutorStatus.EXITED));

        link.leaderChanged(first.leaderInfo());

        Poll.until(() -> first.allReports().size() == 2, () -> "two reports, got " + statuses(first));
        assertEquals(List.of("1:RUNNING", "1:EXITED"), statuses(first));
        assertEquals(List.of(REGISTRATION), first.registrations());
        assertEquals(4, fence.highest());
    }

    @Test
    void registersWithEveryNewLeaderAndSendsWhatFollowsThere() {
        link.leaderChanged(first.leaderInfo());
        first.awaitRegistration("worker-1");

        link.leaderChanged(second.leaderInfo());
        link.report(state("1", ExecutorStatus.FAILED));

        second.awaitReport("app-1", "1", ExecutorStatus.FAILED);
        assertEquals(List.of(REGISTRATION), second.registrations());
        assertEquals(5, fence.highest());
    }

    @Test
    void retriesAReportTheLeaderCouldNotTakeInOrder() {
        link.leaderChanged(first.leaderInfo());
        first.awaitRegistration("worker-1");
        first.refuseReports(Status.Code.UNAVAILABLE, 3);

        link.report(state("1", ExecutorStatus.RUNNING));
        link.report(state("2", ExecutorStatus.RUNNING));

        Poll.until(() -> first.allReports().size() == 2, () -> "two reports, got " + statuses(first));
        assertEquals(List.of("1:RUNNING", "2:RUNNING"), statuses(first));
    }

    @Test
    void dropsAReportTheLeaderRefusesForGoodAndGoesOn() {
        link.leaderChanged(first.leaderInfo());
        first.awaitRegistration("worker-1");
        first.refuseReports(Status.Code.INVALID_ARGUMENT, 1);

        link.report(state("1", ExecutorStatus.RUNNING));
        link.report(state("2", ExecutorStatus.RUNNING));

        first.awaitReport("app-1", "2", ExecutorStatus.RUNNING);
        assertEquals(List.of("2:RUNNING"), statuses(first));
    }

    @Test
    void registersAgainWhenTheLeaderDoesNotKnowAReportAndThenSendsItOnce() {
        link.leaderChanged(first.leaderInfo());
        first.awaitRegistration("worker-1");
        first.refuseReports(Status.Code.NOT_FOUND, 1);

        link.report(state("1", ExecutorStatus.KILLED));

        first.awaitReport("app-1", "1", ExecutorStatus.KILLED);
        assertEquals(2, first.registrations().size());
    }
}
