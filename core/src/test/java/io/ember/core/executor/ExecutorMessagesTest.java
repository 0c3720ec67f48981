package io.ember.core.executor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.ember.core.executor.TaskReport.Metrics;
import io.ember.core.executor.TestingStages.Probe;
import io.ember.core.executor.TestingStages.TimesTen;
import io.ember.core.memory.ExecutorMemory;
import io.ember.core.memory.MemorySettings;
import io.ember.core.rpc.proto.AppJar;
import io.ember.core.rpc.proto.BlockUpdate;
import io.ember.core.rpc.proto.DriverMessage;
import io.ember.core.rpc.proto.DropBlocks;
import io.ember.core.rpc.proto.ExecutorMessage;
import io.ember.core.rpc.proto.ForgetStages;
import io.ember.core.rpc.proto.Heartbeat;
import io.ember.core.rpc.proto.KillTask;
import io.ember.core.rpc.proto.LaunchTasks;
import io.ember.core.rpc.proto.RegisterExecutor;
import io.ember.core.rpc.proto.Registered;
import io.ember.core.rpc.proto.RemoveShuffle;
import io.ember.core.rpc.proto.Shutdown;
import io.ember.core.rpc.proto.StageCode;
import io.ember.core.rpc.proto.StoredExecutor;
import io.ember.core.rpc.proto.TaskDescription;
import io.ember.core.rpc.proto.TaskState;
import io.ember.core.rpc.proto.TaskUpdate;
import io.ember.core.serialization.JavaSerializer;
import io.ember.core.serialization.PayloadFilter;
import io.ember.core.storage.BlockChange;
import io.ember.core.task.BlockId;
import io.grpc.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The executor's conversions between its own types and the messages of its stream and registry node. */
final class ExecutorMessagesTest {

    private static final ExecutorArguments ARGUMENTS = new ExecutorArguments("app-1", "exec-1", "worker-1",
            "127.0.0.1:7077", 4, "10.0.0.5", "127.0.0.1:2181", "main", Duration.ofSeconds(4), Map.of());
    private static final JavaSerializer SERIALIZER = new JavaSerializer(PayloadFilter.standard());

    /** Records what the driver's messages became. */
    private static final class RecordingListener implements DriverConnection.Listener {

        final List<Object> calls = new ArrayList<>();
        final List<Consumer<TaskExecutor>> commands = new ArrayList<>();

        @Override
        public void registered(RegistrationAnswer answer) {
            calls.add(answer);
        }

        @Override
        public void shutdown(String reason) {
            calls.add("shutdown: " + reason);
        }

        @Override
        public void taskCommand(String kind, Consumer<TaskExecutor> command) {
            calls.add(kind);
            commands.add(command);
        }

        @Override
        public void ignored(String kind) {
            calls.add("ignored: " + kind);
        }

        @Override
        public void onEnd(Status status) {
            calls.add(status);
        }
    }

    @Test
    void decodesRegisteredIntoTheAnswerWithItsJars() {
        RecordingListener listener = new RecordingListener();

        ExecutorMessages.deliver(DriverMessage.newBuilder().setRegistered(Registered.newBuilder()
                .setAppId("app-1")
                .setHeartbeatIntervalMillis(250)
                .addJars(AppJar.newBuilder().setName("app.jar").setSize(1234).setSha256("ab12"))
                .setMaxDirectResultBytes(1 << 20)
                .setMemoryFraction(0.5)
                .setMemoryStorageFraction(0.25)
                .setRecordSerializer("java"))
                .build(), listener);

        assertEquals(List.of(new RegistrationAnswer("app-1", 250, List.of(new AnnouncedJar("app.jar", 1234, "ab12")),
                1 << 20, new MemorySettings(0.5, 0.25), "java")), listener.calls);
    }

    @Test
    void decodesShutdownWithItsReasonAndIgnoresAMessageOfNoKind() {
        RecordingListener listener = new RecordingListener();

        ExecutorMessages.deliver(DriverMessage.newBuilder().setShutdown(Shutdown.newBuilder().setReason("done"))
                .build(), listener);
        ExecutorMessages.deliver(DriverMessage.getDefaultInstance(), listener);

        assertEquals(List.of("shutdown: done", "ignored: KIND_NOT_SET"), listener.calls);
    }

    @Test
    void handsEachCommandForTheTasksOverWithItsKind() {
        RecordingListener listener = new RecordingListener();

        ExecutorMessages.deliver(DriverMessage.newBuilder().setLaunchTasks(LaunchTasks.getDefaultInstance()).build(),
                listener);
        ExecutorMessages.deliver(DriverMessage.newBuilder().setKillTask(KillTask.newBuilder().setTaskId(3)).build(),
                listener);
        ExecutorMessages.deliver(DriverMessage.newBuilder().setDropBlocks(DropBlocks.newBuilder().setDatasetId(2))
                .build(), listener);
        ExecutorMessages.deliver(DriverMessage.newBuilder().setForgetStages(ForgetStages.newBuilder().addStageIds(1))
                .build(), listener);
        ExecutorMessages.deliver(DriverMessage.newBuilder().setRemoveShuffle(RemoveShuffle.newBuilder().setShuffleId(4))
                .build(), listener);

        assertEquals(List.of("LAUNCH_TASKS", "KILL_TASK", "DROP_BLOCKS", "FORGET_STAGES", "REMOVE_SHUFFLE"),
                listener.calls);
    }

    @Test
    void decodesALaunchsStagesTasksAndAForgetsStageIds() {
        byte[] code = {1, 2, 3};
        LaunchTasks launch = LaunchTasks.newBuilder()
                .addStages(StageCode.newBuilder().setStageId(5).setJobId(3).setCode(ByteString.copyFrom(code)))
                .addTasks(TaskDescription.newBuilder().setTaskId(10).setStageId(5).setPartition(0))
                .addTasks(TaskDescription.newBuilder().setTaskId(11).setStageId(5).setPartition(1).setAttempt(2))
                .build();

        List<SerializedStage> stages = ExecutorMessages.stages(launch);

        assertEquals(1, stages.size());
        assertEquals(5, stages.get(0).stageId());
        assertEquals(3, stages.get(0).jobId());
        assertArrayEquals(code, stages.get(0).code());
        assertEquals(List.of(new TaskToRun(10, 5, 0, 0), new TaskToRun(11, 5, 1, 2)), ExecutorMessages.tasks(launch));
        assertArrayEquals(new int[] {4, 7},
                ExecutorMessages.stageIds(ForgetStages.newBuilder().addStageIds(4).addStageIds(7).build()));
    }

    @Test
    void aLaunchHandedOverRunsItsTasksOnTheTaskExecutor() {
        RecordingListener listener = new RecordingListener();
        RecordingDriver driver = new RecordingDriver();
        Probe probe = TestingStages.newProbe();
        ExecutorMessages.deliver(DriverMessage.newBuilder().setLaunchTasks(LaunchTasks.newBuilder()
                .addStages(StageCode.newBuilder().setStageId(1)
                        .setCode(ByteString.copyFrom(SERIALIZER.serialize(new TimesTen(probe.id)))))
                .addTasks(TaskDescription.newBuilder().setTaskId(7).setStageId(1).setPartition(3)))
                .build(), listener);

        try (TaskExecutor executor = TaskExecutor.withOwnBlockManager("exec-1", 1, 1 << 20, new ExecutorMemory(1 << 20, 0), SERIALIZER,
                getClass().getClassLoader(), driver, (taskId, result) -> { })) {
            listener.commands.get(0).accept(executor);

            TaskReport report = driver.awaitReport(7);
            assertEquals(TaskReport.State.FINISHED, report.state());
            assertEquals(30, SERIALIZER.deserialize(report.result(), getClass().getClassLoader()));
        }
    }

    @Test
    void encodesAFinishedTaskWithItsResultInlineOrItsUploadedSize() {
        Metrics metrics = new Metrics(5, 700, 3, 2, 11, 12, 13, 14, 2, 1, 6, 4_096);

        TaskUpdate inline = ExecutorMessages.taskUpdate(TaskReport.finished(7, new byte[] {9, 8}, metrics));
        TaskUpdate uploaded = ExecutorMessages.taskUpdate(TaskReport.uploaded(8, 5000, metrics));

        assertEquals(7, inline.getTaskId());
        assertEquals(TaskState.TASK_FINISHED, inline.getState());
        assertEquals(ByteString.copyFrom(new byte[] {9, 8}), inline.getResult());
        assertEquals(0, inline.getUploadedResultBytes());
        assertEquals(5, inline.getMetrics().getDeserializeNanos());
        assertEquals(700, inline.getMetrics().getRunNanos());
        assertEquals(2, inline.getMetrics().getCacheHits());
        assertEquals(1, inline.getMetrics().getCacheMisses());
        assertEquals(List.of(3L, 2L, 11L, 12L, 13L, 14L), List.of(inline.getMetrics().getGcMillis(),
                inline.getMetrics().getResultBytes(), inline.getMetrics().getShuffleReadBytes(),
                inline.getMetrics().getShuffleReadRecords(), inline.getMetrics().getShuffleWriteBytes(),
                inline.getMetrics().getShuffleWriteRecords()));
        assertEquals(6, inline.getMetrics().getSpills());
        assertEquals(4_096, inline.getMetrics().getSpillBytes());
        assertEquals(inline.getMetrics(), uploaded.getMetrics());
        assertEquals(TaskState.TASK_FINISHED, uploaded.getState());
        assertTrue(uploaded.getResult().isEmpty());
        assertEquals(5000, uploaded.getUploadedResultBytes());
    }

    @Test
    void encodesAFailedTaskWithItsErrorAndAKilledOneWithItsMetrics() {
        TaskReport.Failure failure = new TaskReport.Failure("java.lang.IllegalStateException", "boom",
                "java.lang.IllegalStateException: boom\n\tat X.y(X.java:1)\n", new byte[] {1, 2, 3}, true);
        TaskReport.Failure fatal = new TaskReport.Failure("io.ember.core.task.TaskNotRetryableException", "no",
                "", new byte[0], false);

        TaskUpdate failed = ExecutorMessages.taskUpdate(TaskReport.failed(7, failure, new Metrics(0, 10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)));
        TaskUpdate killed = ExecutorMessages.taskUpdate(TaskReport.killed(8, Metrics.NONE));
        TaskUpdate notRetryable = ExecutorMessages.taskUpdate(TaskReport.failed(9, fatal, Metrics.NONE));

        assertEquals(TaskState.TASK_FAILED, failed.getState());
        assertEquals("java.lang.IllegalStateException", failed.getError().getClassName());
        assertEquals("boom", failed.getError().getMessage());
        assertEquals(failure.stackTrace(), failed.getError().getStackTrace());
        assertEquals(ByteString.copyFrom(new byte[] {1, 2, 3}), failed.getError().getException());
        assertEquals(10, failed.getMetrics().getRunNanos());
        assertFalse(failed.getError().getNotRetryable());
        assertTrue(notRetryable.getError().getNotRetryable());
        assertEquals(TaskState.TASK_KILLED, killed.getState());
        assertFalse(killed.hasError());
        assertTrue(killed.hasMetrics(), "every update carries its metrics, as before");
    }

    @Test
    void encodesABatchOfReportsOrBlockChangesAsOneMessageInOrder() {
        ExecutorMessage tasks = ExecutorMessages.taskUpdates(List.of(TaskReport.killed(2, Metrics.NONE),
                TaskReport.killed(1, Metrics.NONE)));
        ExecutorMessage blocks = ExecutorMessages.blockUpdates(List.of(new BlockChange(new BlockId(4, 0), true, 100),
                new BlockChange(new BlockId(4, 1), false, 0)));

        assertEquals(List.of(2L, 1L), tasks.getTaskUpdates().getUpdatesList().stream().map(TaskUpdate::getTaskId)
                .toList());
        assertEquals(List.of(
                BlockUpdate.newBuilder().setDatasetId(4).setPartition(0).setStored(true).setSizeBytes(100).build(),
                BlockUpdate.newBuilder().setDatasetId(4).setPartition(1).setStored(false).build()),
                blocks.getBlockUpdates().getUpdatesList());
    }

    @Test
    void encodesTheRegistrationAndAHeartbeat() {
        ExecutorMessage register = ExecutorMessages.register(ARGUMENTS, 4321);
        ExecutorMessage heartbeat = ExecutorMessages.heartbeat(new ExecutorHeartbeat(1000, 3, 2048, 512));

        assertEquals(RegisterExecutor.newBuilder().setExecutorId("exec-1").setWorkerId("worker-1").setHost("10.0.0.5")
                .setCores(4).setPid(4321).build(), register.getRegister());
        assertEquals(Heartbeat.newBuilder().setSentAtMillis(1000).setActiveTasks(3).setHeapUsedBytes(2048)
                .setStorageUsedBytes(512).build(), heartbeat.getHeartbeat());
    }

    @Test
    void encodesTheRegistryNodesRecord() throws Exception {
        StoredExecutor stored = StoredExecutor.parseFrom(ExecutorMessages.storedExecutor(ARGUMENTS, 4321, 1 << 30));

        assertEquals("app-1", stored.getSpec().getAppId());
        assertEquals("exec-1", stored.getSpec().getExecutorId());
        assertEquals("worker-1", stored.getSpec().getWorkerId());
        assertEquals(4, stored.getSpec().getCores());
        assertEquals(1 << 30, stored.getSpec().getMemoryBytes());
        assertEquals("127.0.0.1:7077", stored.getSpec().getDriverAddress());
        assertEquals("10.0.0.5", stored.getHost());
        assertEquals(4321, stored.getPid());
    }
}
