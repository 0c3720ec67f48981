package io.ember.core.executor;

import com.google.protobuf.UnsafeByteOperations;
import io.ember.api.shuffle.BlockLocation;
import io.ember.core.config.EmberKeys;
import io.ember.core.memory.MemorySettings;
import io.ember.core.rpc.proto.AppJar;
import io.ember.core.rpc.proto.BlockUpdate;
import io.ember.core.rpc.proto.BlockUpdates;
import io.ember.core.rpc.proto.DriverMessage;
import io.ember.core.rpc.proto.ExecutorMessage;
import io.ember.core.rpc.proto.ExecutorSpec;
import io.ember.core.rpc.proto.ForgetStages;
import io.ember.core.rpc.proto.Heartbeat;
import io.ember.core.rpc.proto.LaunchTasks;
import io.ember.core.rpc.proto.RegisterExecutor;
import io.ember.core.rpc.proto.Registered;
import io.ember.core.rpc.proto.RemoveShuffle;
import io.ember.core.rpc.proto.ServiceLocation;
import io.ember.core.rpc.proto.StageCode;
import io.ember.core.rpc.proto.StoredExecutor;
import io.ember.core.rpc.proto.TaskDescription;
import io.ember.core.rpc.proto.TaskError;
import io.ember.core.rpc.proto.TaskMetrics;
import io.ember.core.rpc.proto.TaskState;
import io.ember.core.rpc.proto.TaskUpdate;
import io.ember.core.rpc.proto.TaskUpdates;
import io.ember.core.storage.BlockChange;
import java.util.ArrayList;
import java.util.List;

/**
 * Converts between the executor's own types and the protobuf messages of {@code control.proto} that
 * its adapters exchange: the driver's messages, decoded into calls on a
 * {@link DriverConnection.Listener} ({@link #deliver}), what the executor says on its stream
 * (registration, heartbeats, task reports, block changes) and its record in ZooKeeper's executor
 * registry. Used by {@link DriverConnection} and {@link ExecutorRegistryNode}; nothing else in the
 * executor sees a message.
 *
 * <p>Bytes are not copied where the wire can share them: results and serialized exceptions are
 * wrapped as they are. A stage's code is copied once out of its message, per stage and executor.
 */
final class ExecutorMessages {

    private ExecutorMessages() {
    }

    // ---- From the driver ----------------------------------------------------------------------

    /**
     * Hands one message from the driver to {@code listener} as the call it stands for; a command for
     * the tasks is decoded only when the listener runs it on a task executor.
     */
    static void deliver(DriverMessage message, DriverConnection.Listener listener) {
        String kind = message.getKindCase().name();
        switch (message.getKindCase()) {
            case REGISTERED -> listener.registered(registration(message.getRegistered()));
            case SHUTDOWN -> listener.shutdown(message.getShutdown().getReason());
            case LAUNCH_TASKS -> {
                LaunchTasks launch = message.getLaunchTasks();
                listener.taskCommand(kind, tasks -> tasks.launch(stages(launch), tasks(launch)));
            }
            case KILL_TASK -> listener.taskCommand(kind,
                    tasks -> tasks.kill(message.getKillTask().getTaskId(), message.getKillTask().getReason()));
            case DROP_BLOCKS -> listener.taskCommand(kind,
                    tasks -> tasks.dropBlocks(message.getDropBlocks().getDatasetId()));
            case REMOVE_SHUFFLE -> listener.taskCommand(kind,
                    tasks -> tasks.removeShuffle(message.getRemoveShuffle().getShuffleId(),
                            services(message.getRemoveShuffle())));
            case FORGET_STAGES -> listener.taskCommand(kind,
                    tasks -> tasks.forgetStages(stageIds(message.getForgetStages())));
            default -> listener.ignored(kind);
        }
    }

    static RegistrationAnswer registration(Registered registered) {
        List<AnnouncedJar> jars = new ArrayList<>(registered.getJarsCount());
        for (AppJar jar : registered.getJarsList()) {
            jars.add(new AnnouncedJar(jar.getName(), jar.getSize(), jar.getSha256()));
        }
        return new RegistrationAnswer(registered.getAppId(), registered.getHeartbeatIntervalMillis(), jars,
                registered.getMaxDirectResultBytes(), memory(registered), registered.getRecordSerializer());
    }

    /** The memory settings a registration names, the defaults when it names none. */
    private static MemorySettings memory(Registered registered) {
        if (registered.getMemoryFraction() == 0) {
            return new MemorySettings(EmberKeys.MEMORY_FRACTION.defaultValue().orElseThrow(),
                    EmberKeys.MEMORY_STORAGE_FRACTION.defaultValue().orElseThrow());
        }
        return new MemorySettings(registered.getMemoryFraction(), registered.getMemoryStorageFraction());
    }

    static List<SerializedStage> stages(LaunchTasks launch) {
        List<SerializedStage> stages = new ArrayList<>(launch.getStagesCount());
        for (int i = 0, n = launch.getStagesCount(); i < n; i++) {
            StageCode stage = launch.getStages(i);
            stages.add(new SerializedStage(stage.getStageId(), stage.getJobId(), stage.getCode().toByteArray()));
        }
        return stages;
    }

    static List<TaskToRun> tasks(LaunchTasks launch) {
        List<TaskToRun> tasks = new ArrayList<>(launch.getTasksCount());
        for (int i = 0, n = launch.getTasksCount(); i < n; i++) {
            TaskDescription task = launch.getTasks(i);
            tasks.add(new TaskToRun(task.getTaskId(), task.getStageId(), task.getPartition(), task.getAttempt()));
        }
        return tasks;
    }

    /** The shuffle services a removal asks this executor to tell too. */
    static List<BlockLocation> services(RemoveShuffle remove) {
        List<BlockLocation> services = new ArrayList<>(remove.getServicesCount());
        for (ServiceLocation service : remove.getServicesList()) {
            if (service.getPort() >= 1 && service.getPort() <= 65_535 && !service.getHost().isBlank()) {
                services.add(new BlockLocation(service.getExecutorId(), service.getHost(), service.getPort()));
            }
        }
        return services;
    }

    static int[] stageIds(ForgetStages forget) {
        int[] stageIds = new int[forget.getStageIdsCount()];
        for (int i = 0; i < stageIds.length; i++) {
            stageIds[i] = forget.getStageIds(i);
        }
        return stageIds;
    }

    // ---- To the driver ------------------------------------------------------------------------

    /** The first message on the stream: who this executor is. */
    static ExecutorMessage register(ExecutorArguments arguments, long pid) {
        return ExecutorMessage.newBuilder()
                .setRegister(RegisterExecutor.newBuilder()
                        .setExecutorId(arguments.executorId())
                        .setWorkerId(arguments.workerId())
                        .setHost(arguments.host())
                        .setCores(arguments.cores())
                        .setPid(pid))
                .build();
    }

    static ExecutorMessage heartbeat(ExecutorHeartbeat heartbeat) {
        return ExecutorMessage.newBuilder()
                .setHeartbeat(Heartbeat.newBuilder()
                        .setSentAtMillis(heartbeat.sentAtMillis())
                        .setActiveTasks(heartbeat.activeTasks())
                        .setHeapUsedBytes(heartbeat.heapUsedBytes())
                        .setStorageUsedBytes(heartbeat.storageUsedBytes()))
                .build();
    }

    /** Task reports as one {@code TaskUpdates} message. */
    static ExecutorMessage taskUpdates(List<TaskReport> reports) {
        TaskUpdates.Builder updates = TaskUpdates.newBuilder();
        for (int i = 0, n = reports.size(); i < n; i++) {
            updates.addUpdates(taskUpdate(reports.get(i)));
        }
        return ExecutorMessage.newBuilder().setTaskUpdates(updates).build();
    }

    static TaskUpdate taskUpdate(TaskReport report) {
        TaskUpdate.Builder update = TaskUpdate.newBuilder()
                .setTaskId(report.taskId())
                .setMetrics(metrics(report.metrics()));
        switch (report.state()) {
            case FINISHED -> {
                update.setState(TaskState.TASK_FINISHED);
                if (report.isUploaded()) {
                    update.setUploadedResultBytes(report.uploadedResultBytes());
                } else {
                    update.setResult(UnsafeByteOperations.unsafeWrap(report.result()));
                }
            }
            case FAILED -> update.setState(TaskState.TASK_FAILED).setError(error(report.failure()));
            case KILLED -> update.setState(TaskState.TASK_KILLED);
        }
        return update.build();
    }

    static TaskError error(TaskReport.Failure failure) {
        return TaskError.newBuilder()
                .setClassName(failure.className())
                .setMessage(failure.message())
                .setStackTrace(failure.stackTrace())
                .setException(UnsafeByteOperations.unsafeWrap(failure.exception()))
                .setNotRetryable(!failure.retryable())
                .build();
    }

    static TaskMetrics metrics(TaskReport.Metrics metrics) {
        return TaskMetrics.newBuilder()
                .setDeserializeNanos(metrics.deserializeNanos())
                .setRunNanos(metrics.runNanos())
                .setCacheHits(metrics.cacheHits())
                .setCacheMisses(metrics.cacheMisses())
                .setGcMillis(metrics.gcMillis())
                .setResultBytes(metrics.resultBytes())
                .setShuffleReadBytes(metrics.shuffleReadBytes())
                .setShuffleReadRecords(metrics.shuffleReadRecords())
                .setShuffleWriteBytes(metrics.shuffleWriteBytes())
                .setShuffleWriteRecords(metrics.shuffleWriteRecords())
                .setSpills(metrics.spills())
                .setSpillBytes(metrics.spillBytes())
                .build();
    }

    /** Block changes as one {@code BlockUpdates} message. */
    static ExecutorMessage blockUpdates(List<BlockChange> changes) {
        BlockUpdates.Builder updates = BlockUpdates.newBuilder();
        for (int i = 0, n = changes.size(); i < n; i++) {
            BlockChange change = changes.get(i);
            updates.addUpdates(BlockUpdate.newBuilder()
                    .setDatasetId(change.id().datasetId())
                    .setPartition(change.id().partition())
                    .setStored(change.stored())
                    .setSizeBytes(change.sizeBytes()));
        }
        return ExecutorMessage.newBuilder().setBlockUpdates(updates).build();
    }

    // ---- In ZooKeeper ---------------------------------------------------------------------------

    /** The executor's registry node's data: a {@code StoredExecutor}. */
    static byte[] storedExecutor(ExecutorArguments arguments, long pid, long memoryBytes) {
        return StoredExecutor.newBuilder()
                .setSpec(ExecutorSpec.newBuilder()
                        .setAppId(arguments.appId())
                        .setExecutorId(arguments.executorId())
                        .setWorkerId(arguments.workerId())
                        .setCores(arguments.cores())
                        .setMemoryBytes(memoryBytes)
                        .setDriverAddress(arguments.driverAddress()))
                .setHost(arguments.host())
                .setPid(pid)
                .build()
                .toByteArray();
    }
}
