package io.ember.core.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.api.cluster.WorkerInfo;
import io.ember.core.coordination.LeaderInfo;
import io.ember.core.rpc.RpcChannels;
import io.ember.core.rpc.proto.ExecutorSpec;
import io.ember.core.rpc.proto.ExecutorState;
import io.ember.core.rpc.proto.ExecutorStatus;
import io.ember.core.rpc.proto.RegisterWorkerRequest;
import io.ember.core.rpc.proto.ReportExecutorStateRequest;
import io.ember.core.rpc.proto.WorkerSpec;
import io.grpc.Status;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The worker's calls to the leader on the wire, against a fake master on a real socket. */
final class GrpcLeaderGatewayTest {

    private static final ExecutorAssignment EXECUTOR =
            new ExecutorAssignment("app-1", "3", "worker-1", 2, 1L << 28, "driver:7000");
    private static final ExecutorSpec EXECUTOR_SPEC = ExecutorSpec.newBuilder().setAppId("app-1").setExecutorId("3")
            .setWorkerId("worker-1").setCores(2).setMemoryBytes(1L << 28).setDriverAddress("driver:7000").build();

    private final RpcChannels channels = new RpcChannels("test-gateway", Optional.empty());
    private final GrpcLeaderGateway gateway = new GrpcLeaderGateway(channels, Duration.ofSeconds(5));
    private final TestingMaster master = new TestingMaster("master-a", 4, Optional.empty());

    @AfterEach
    void close() {
        channels.close();
        master.close();
    }

    @Test
    void registersWithTheWorkerAndItsLiveExecutorsAndReturnsTheLeadersEpoch() {
        WorkerRegistration registration = new WorkerRegistration(new WorkerInfo("worker-1", "10.0.0.5", 7078, 7337,
                8, 4L << 30), List.of(new ExecutorReport(EXECUTOR, ExecutorReport.Status.RUNNING, 0, "", 4242)));

        long epoch = gateway.register(master.leaderInfo(), registration);

        assertEquals(4, epoch);
        assertEquals(List.of(RegisterWorkerRequest.newBuilder()
                .setWorker(WorkerSpec.newBuilder().setWorkerId("worker-1").setHost("10.0.0.5").setRpcPort(7078)
                        .setShufflePort(7337).setCores(8).setMemoryBytes(4L << 30))
                .addExecutors(ExecutorState.newBuilder().setSpec(EXECUTOR_SPEC).setStatus(ExecutorStatus.RUNNING)
                        .setPid(4242))
                .build()), master.registrations());
    }

    @Test
    void reportsAnExecutorsStateWithTheWorkersId() {
        gateway.report(master.leaderInfo(), "worker-1",
                new ExecutorReport(EXECUTOR, ExecutorReport.Status.FAILED, 137, "exited with code 137", 4242));

        assertEquals(List.of(ReportExecutorStateRequest.newBuilder().setWorkerId("worker-1")
                .setState(ExecutorState.newBuilder().setSpec(EXECUTOR_SPEC).setStatus(ExecutorStatus.FAILED)
                        .setExitCode(137).setMessage("exited with code 137").setPid(4242))
                .build()), master.allReports());
    }

    @Test
    void aRefusalSaysInOneLineWhoRefusedWhatMayHelpAndWhy() {
        master.refuseReports(Status.Code.NOT_FOUND, 1);
        LeaderInfo leader = master.leaderInfo();

        LeaderCallException refused = assertThrows(LeaderCallException.class, () -> gateway.report(leader, "worker-1",
                new ExecutorReport(EXECUTOR, ExecutorReport.Status.RUNNING, 0, "", 4242)));

        assertEquals("leader master master-a at " + leader.address() + " refused the call: refused by the test",
                refused.getMessage());
        assertEquals(LeaderCallException.Refusal.REGISTER_AGAIN, refused.refusal());
        assertEquals("refused by the test", refused.reason());
        assertEquals(List.of(), master.allReports());
    }

    @Test
    void aLeaderThatCannotBeReachedIsWorthTryingAgain() {
        LeaderInfo gone = master.leaderInfo();
        master.close();

        LeaderCallException failed = assertThrows(LeaderCallException.class, () -> gateway.register(gone,
                new WorkerRegistration(new WorkerInfo("worker-1", "127.0.0.1", 7078, 0, 1, 1L << 30), List.of())));

        assertEquals(LeaderCallException.Refusal.TRY_AGAIN, failed.refusal());
        assertTrue(failed.getMessage().startsWith("leader master master-a at " + gone.address() + " is unreachable"),
                failed.getMessage());
    }

    @Test
    void sortsEveryStatusIntoWhatMayHelp() {
        Map<Status.Code, LeaderCallException.Refusal> expected = new EnumMap<>(Status.Code.class);
        for (Status.Code code : Status.Code.values()) {
            expected.put(code, LeaderCallException.Refusal.FOR_GOOD);
        }
        for (Status.Code code : List.of(Status.Code.UNAVAILABLE, Status.Code.DEADLINE_EXCEEDED, Status.Code.CANCELLED,
                Status.Code.RESOURCE_EXHAUSTED, Status.Code.ABORTED, Status.Code.UNKNOWN, Status.Code.INTERNAL,
                Status.Code.UNAUTHENTICATED)) {
            expected.put(code, LeaderCallException.Refusal.TRY_AGAIN);
        }
        expected.put(Status.Code.FAILED_PRECONDITION, LeaderCallException.Refusal.REGISTER_AGAIN);
        expected.put(Status.Code.NOT_FOUND, LeaderCallException.Refusal.REGISTER_AGAIN);

        for (Status.Code code : Status.Code.values()) {
            assertEquals(expected.get(code), GrpcLeaderGateway.refusal(code), code.name());
        }
    }
}
