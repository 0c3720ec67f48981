package io.ember.core.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.core.rpc.proto.Ack;
import io.ember.core.rpc.proto.ApplicationFinishedRequest;
import io.ember.core.rpc.proto.ApplicationSpec;
import io.ember.core.rpc.proto.ExecutorSpec;
import io.ember.core.rpc.proto.KillExecutorRequest;
import io.ember.core.rpc.proto.LaunchExecutorRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The worker's endpoint: commands in, calls in the worker's types, answers and refusals out. */
final class WorkerRpcTest {

    private final WorkerRpc rpc = new WorkerRpc();
    private final RecordingCommands commands = new RecordingCommands();

    private static LaunchExecutorRequest launch() {
        return LaunchExecutorRequest.newBuilder()
                .setEpoch(3)
                .setExecutor(ExecutorSpec.newBuilder().setAppId("app-1").setExecutorId("1").setCores(2))
                .setApp(ApplicationSpec.newBuilder().setAppId("app-1").setName("etl").setDriverAddress("driver:7000")
                        .putExecutorSettings("ember.task.cpus", "1"))
                .build();
    }

    @Test
    void passesEachCommandOnInTheWorkersTypesAndAcknowledgesIt() {
        rpc.serve(commands);
        Answer launched = new Answer();
        Answer killed = new Answer();
        Answer finished = new Answer();

        rpc.launchExecutor(launch(), launched);
        rpc.killExecutor(KillExecutorRequest.newBuilder().setEpoch(3).setAppId("app-1").setExecutorId("1").build(),
                killed);
        rpc.applicationFinished(ApplicationFinishedRequest.newBuilder().setEpoch(4).setAppId("app-1").build(),
                finished);

        assertEquals(List.of(
                "launch 3 " + new ExecutorAssignment("app-1", "1", "", 2, 0, "") + " "
                        + new ApplicationSettings(0, 0, "driver:7000", Map.of("ember.task.cpus", "1")),
                "kill 3 app-1/1",
                "finished 4 app-1"), commands.calls);
        for (Answer answer : List.of(launched, killed, finished)) {
            assertEquals(List.of(Ack.getDefaultInstance()), answer.values);
            assertTrue(answer.completed);
            assertNull(answer.error);
        }
    }

    @Test
    void refusesEveryCommandWhileNotServing() {
        Answer answer = new Answer();

        rpc.launchExecutor(launch(), answer);

        assertEquals(Status.Code.UNAVAILABLE, answer.status().getCode());
        assertEquals("the worker is not serving (starting or stopping)", answer.status().getDescription());
        assertEquals(List.of(), commands.calls);
    }

    @Test
    void refusesAMalformedCommandAsAnInvalidArgument() {
        commands.failure = new IllegalArgumentException("executor 1 of application app-1 has no driver address");
        rpc.serve(commands);
        Answer answer = new Answer();

        rpc.launchExecutor(launch(), answer);

        assertEquals(Status.Code.INVALID_ARGUMENT, answer.status().getCode());
        assertEquals("executor 1 of application app-1 has no driver address", answer.status().getDescription());
        assertTrue(answer.values.isEmpty());
    }

    @Test
    void refusesALaunchOnAStoppingWorkerAsUnavailable() {
        commands.failure = new WorkerStoppingException("worker-1");
        rpc.serve(commands);
        Answer answer = new Answer();

        rpc.launchExecutor(launch(), answer);

        assertEquals(Status.Code.UNAVAILABLE, answer.status().getCode());
        assertEquals("worker worker-1 is stopping", answer.status().getDescription());
    }

    @Test
    void passesTheFencesRefusalOnAsItIs() {
        StatusRuntimeException stale = Status.FAILED_PRECONDITION
                .withDescription("stale leader epoch 2; newest seen is 3").asRuntimeException();
        commands.failure = stale;
        rpc.serve(commands);
        Answer answer = new Answer();

        rpc.applicationFinished(ApplicationFinishedRequest.newBuilder().setEpoch(2).setAppId("app-1").build(), answer);

        assertSame(stale, answer.error);
    }

    @Test
    void refusesCommandsOnceItStopsServing() {
        rpc.serve(commands);
        rpc.stopServing();
        Answer answer = new Answer();

        rpc.killExecutor(KillExecutorRequest.newBuilder().setEpoch(3).setAppId("app-1").setExecutorId("1").build(),
                answer);

        assertEquals(Status.Code.UNAVAILABLE, answer.status().getCode());
        assertEquals(List.of(), commands.calls);
    }

    /** Records each command as a line, or throws what it is told to. */
    private static final class RecordingCommands implements WorkerRpc.Commands {

        final List<String> calls = new ArrayList<>();
        RuntimeException failure;

        @Override
        public void launchExecutor(long epoch, ExecutorAssignment executor, ApplicationSettings app) {
            take("launch " + epoch + " " + executor + " " + app);
        }

        @Override
        public void killExecutor(long epoch, String appId, String executorId) {
            take("kill " + epoch + " " + appId + "/" + executorId);
        }

        @Override
        public void applicationFinished(long epoch, String appId) {
            take("finished " + epoch + " " + appId);
        }

        private void take(String call) {
            if (failure != null) {
                throw failure;
            }
            calls.add(call);
        }
    }

    /** What the endpoint answered one call. */
    private static final class Answer implements StreamObserver<Ack> {

        final List<Ack> values = new ArrayList<>();
        Throwable error;
        boolean completed;

        Status status() {
            return Status.fromThrowable(error);
        }

        @Override
        public void onNext(Ack value) {
            values.add(value);
        }

        @Override
        public void onError(Throwable t) {
            error = t;
        }

        @Override
        public void onCompleted() {
            completed = true;
        }
    }
}
