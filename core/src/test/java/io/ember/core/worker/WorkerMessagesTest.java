package io.ember.core.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ember.api.cluster.WorkerInfo;
import io.ember.core.rpc.proto.ApplicationSpec;
import io.ember.core.rpc.proto.ExecutorSpec;
import io.ember.core.rpc.proto.ExecutorState;
import io.ember.core.rpc.proto.ExecutorStatus;
import io.ember.core.rpc.proto.OutputTail;
import io.ember.core.rpc.proto.StoredWorker;
import io.ember.core.rpc.proto.WorkerSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The worker's conversions between its own types and the messages of {@code control.proto}. */
final class WorkerMessagesTest {

    private static final ExecutorAssignment EXECUTOR =
            new ExecutorAssignment("app-1", "3", "worker-1", 2, 1L << 28, "driver:7000");

    @Test
    void anExecutorSurvivesTheWireBothWays() {
        ExecutorSpec spec = WorkerMessages.executor(EXECUTOR);

        assertEquals(ExecutorSpec.newBuilder().setAppId("app-1").setExecutorId("3").setWorkerId("worker-1")
                .setCores(2).setMemoryBytes(1L << 28).setDriverAddress("driver:7000").build(), spec);
        assertEquals(EXECUTOR, WorkerMessages.executor(spec));
    }

    @Test
    void whatTheLeaderLeavesOutOfALaunchStaysEmpty() {
        ExecutorAssignment requested = WorkerMessages.executor(
                ExecutorSpec.newBuilder().setAppId("app-1").setExecutorId("3").build());

        assertEquals(new ExecutorAssignment("app-1", "3", "", 0, 0, ""), requested);
    }

    @Test
    void readsWhatTheWorkerNeedsOfAnApplication() {
        ApplicationSpec spec = ApplicationSpec.newBuilder().setAppId("app-1").setName("etl").setQueue("batch")
                .setCoresPerExecutor(4).setMemoryPerExecutorBytes(1L << 30).setDriverAddress("driver:7000")
                .putExecutorSettings("ember.task.cpus", "2").build();

        assertEquals(new ApplicationSettings(4, 1L << 30, "driver:7000", Map.of("ember.task.cpus", "2")),
                WorkerMessages.application(spec));
        assertEquals(ApplicationSettings.NONE, WorkerMessages.application(ApplicationSpec.getDefaultInstance()));
    }

    @Test
    void aReportCarriesEveryField() {
        ExecutorState state = WorkerMessages.state(
                new ExecutorReport(EXECUTOR, ExecutorReport.Status.KILLED, 143, "killed by the worker", 4242));

        assertEquals(ExecutorState.newBuilder().setSpec(WorkerMessages.executor(EXECUTOR))
                .setStatus(ExecutorStatus.KILLED).setExitCode(143).setMessage("killed by the worker").setPid(4242)
                .build(), state);
    }

    @Test
    void aFailureCarriesTheLastLinesTheExecutorWrote() {
        ExecutorState state = WorkerMessages.state(new ExecutorReport(EXECUTOR, ExecutorReport.Status.FAILED, 1,
                "exited with code 1", 4242, new ExecutorOutput("stderr", List.of("Unrecognized VM option 'X'"))));

        assertEquals(OutputTail.newBuilder().setStream("stderr").addLines("Unrecognized VM option 'X'").build(),
                state.getOutput());
    }

    @Test
    void eachStatusIsTheWiresOfTheSameName() {
        for (ExecutorReport.Status status : ExecutorReport.Status.values()) {
            assertEquals(status.name(), WorkerMessages.status(status).name());
        }
    }

    @Test
    void theNodesRecordHoldsTheWorkerAsTheMasterReadsIt() throws Exception {
        WorkerInfo worker = new WorkerInfo("worker-1", "10.0.0.5", 7078, 7337, 8, 4L << 30);

        StoredWorker stored = StoredWorker.parseFrom(WorkerNode.record(worker));

        assertEquals(WorkerSpec.newBuilder().setWorkerId("worker-1").setHost("10.0.0.5").setRpcPort(7078)
                .setShufflePort(7337).setCores(8).setMemoryBytes(4L << 30).build(), stored.getSpec());
    }
}
