package io.ember.core.driver.endpoint;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.UnsafeByteOperations;
import io.ember.api.shuffle.BlockLocation;
import io.ember.core.job.StageId;
import io.ember.core.rpc.proto.BlockUpdate;
import io.ember.core.rpc.proto.DriverMessage;
import io.ember.core.rpc.proto.DropBlocks;
import io.ember.core.rpc.proto.ExecutorMessage;
import io.ember.core.rpc.proto.ForgetStages;
import io.ember.core.rpc.proto.KillTask;
import io.ember.core.rpc.proto.LaunchTasks;
import io.ember.core.rpc.proto.RemoveShuffle;
import io.ember.core.rpc.proto.ServiceLocation;
import io.ember.core.rpc.proto.StageCode;
import io.ember.core.rpc.proto.TaskDescription;
import io.ember.core.rpc.proto.TaskError;
import io.ember.core.rpc.proto.TaskMetrics;
import io.ember.core.rpc.proto.TaskUpdate;
import io.ember.core.scheduler.ExecutorGateway;
import io.ember.core.scheduler.StageShipment;
import io.ember.core.scheduler.TaskLaunch;
import io.ember.core.scheduler.TaskOutcome;
import io.ember.core.scheduler.TaskRunMetrics;
import io.ember.core.storage.BlockChange;
import io.ember.core.task.BlockId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The wire between the task scheduler and one executor: the only driver code that builds the
 * executor's task messages ({@code LaunchTasks}, {@code KillTask}, {@code ForgetStages},
 * {@code DropBlocks}) or parses what it reports ({@code TaskUpdates}, {@code BlockUpdates}). The
 * scheduler calls it as an {@link ExecutorGateway}; what the executor reports reaches the
 * {@link ExecutorTraffic} as {@link TaskOutcome}s and {@link BlockChange}s.
 *
 * <p><b>Results by one road.</b> A result too large for the task's update is uploaded on a side
 * channel first ({@link #resultUploaded}). The wire accepts it only for a task it launched on this
 * executor that has not ended yet, keeps the bytes, and attaches them to the task's outcome when
 * the update arrives, so the scheduler hears of every result the same way.
 *
 * <p>Threading: thread-safe. Gateway calls come from the scheduler's thread, {@link #received} from
 * the executor's stream (one message at a time), uploads from any RPC thread; each takes the wire's
 * lock once per message, not per task. Messages go out through {@code out}, which must not block.
 */
final class ExecutorWire implements ExecutorGateway {

    private final String executorId;
    private final String host;
    private final int cores;
    private final Consumer<DriverMessage> out;
    private final ExecutorTraffic traffic;
    private final long maxResultBytes;

    private final Object lock = new Object();
    /** Tasks launched here and not reported ended: only their results may be uploaded. Guarded by lock. */
    private final TaskIdSet running = new TaskIdSet();
    /** Uploaded results waiting for their task's update. Guarded by lock. */
    private final Map<Long, byte[]> uploaded = new HashMap<>();

    /**
     * @param out sends a message to the executor; never blocks, never throws
     * @param traffic hears what the executor reports
     * @param maxResultBytes the largest uploaded result accepted ({@code ember.driver.maxResultSize})
     */
    ExecutorWire(String executorId, String host, int cores, Consumer<DriverMessage> out,
                 ExecutorTraffic traffic, long maxResultBytes) {
        this.executorId = requireNonNull(executorId, "executorId is null");
        this.host = requireNonNull(host, "host is null");
        this.cores = cores;
        this.out = requireNonNull(out, "out is null");
        this.traffic = requireNonNull(traffic, "traffic is null");
        this.maxResultBytes = maxResultBytes;
    }

    @Override
    public String executorId() {
        return executorId;
    }

    @Override
    public String host() {
        return host;
    }

    @Override
    public int cores() {
        return cores;
    }

    @Override
    public void launch(List<StageShipment> stages, List<TaskLaunch> tasks) {
        synchronized (lock) {
            for (TaskLaunch task : tasks) {
                running.add(task.taskId());
            }
        }
        out.accept(DriverMessage.newBuilder().setLaunchTasks(launchTasks(stages, tasks)).build());
    }

    @Override
    public void kill(long taskId, String reason) {
        out.accept(DriverMessage.newBuilder().setKillTask(KillTask.newBuilder().setTaskId(taskId).setReason(reason))
                .build());
    }

    @Override
    public void forgetStages(List<StageId> stageIds) {
        ForgetStages.Builder forget = ForgetStages.newBuilder();
        for (StageId stageId : stageIds) {
            forget.addStageIds(stageId.value());
        }
        out.accept(DriverMessage.newBuilder().setForgetStages(forget).build());
    }

    @Override
    public void dropBlocks(int datasetId) {
        out.accept(DriverMessage.newBuilder().setDropBlocks(DropBlocks.newBuilder().setDatasetId(datasetId)).build());
    }

    @Override
    public void removeShuffle(int shuffleId, List<BlockLocation> services) {
        RemoveShuffle.Builder remove = RemoveShuffle.newBuilder().setShuffleId(shuffleId);
        for (BlockLocation service : services) {
            remove.addServices(ServiceLocation.newBuilder().setExecutorId(service.executorId())
                    .setHost(service.host()).setPort(service.port()));
        }
        out.accept(DriverMessage.newBuilder().setRemoveShuffle(remove).build());
    }

    /**
     * A message from the executor: its task updates (uploaded results attached) or block updates go
     * to the traffic; other kinds are ignored.
     */
    void received(ExecutorMessage message) {
        switch (message.getKindCase()) {
            case TASK_UPDATES -> traffic.tasksEnded(executorId, outcomes(message.getTaskUpdates().getUpdatesList()));
            case BLOCK_UPDATES -> traffic.blocksChanged(executorId,
                    blockChanges(message.getBlockUpdates().getUpdatesList()));
            default -> {
            }
        }
    }

    /**
     * A result this executor uploaded on the side channel; kept until its task's update arrives.
     *
     * @return {@code null} when accepted, else why it was refused
     */
    String resultUploaded(long taskId, byte[] result) {
        requireNonNull(result, "result is null");
        synchronized (lock) {
            if (!running.contains(taskId)) {
                return notRunning(taskId, executorId);
            }
            if (result.length > maxResultBytes) {
                return "the result of task " + taskId + " (" + result.length + " bytes) exceeds "
                        + "ember.driver.maxResultSize";
            }
            uploaded.put(taskId, result);
            return null;
        }
    }

    /** Why an upload of a task not running on the executor is refused. */
    static String notRunning(long taskId, String executorId) {
        return "task " + taskId + " is not running on executor " + executorId;
    }

    @Override
    public String toString() {
        return "ExecutorWire[" + executorId + "]";
    }

    /** The batch as one message: the stages first, then the tasks, each list converted in one pass. */
    static LaunchTasks launchTasks(List<StageShipment> stages, List<TaskLaunch> tasks) {
        LaunchTasks.Builder batch = LaunchTasks.newBuilder();
        for (StageShipment stage : stages) {
            batch.addStages(StageCode.newBuilder().setStageId(stage.stageId().value())
                    .setJobId(stage.jobId().value())
                    .setCode(UnsafeByteOperations.unsafeWrap(stage.code())));
        }
        TaskDescription.Builder description = TaskDescription.newBuilder();
        for (TaskLaunch task : tasks) {
            batch.addTasks(description.setTaskId(task.taskId()).setStageId(task.stageId().value())
                    .setPartition(task.partition()).setAttempt(task.attempt()).build());
        }
        return batch.build();
    }

    /** The updates as outcomes, in one pass; each ended task is forgotten and gets its uploaded result. */
    private List<TaskOutcome> outcomes(List<TaskUpdate> updates) {
        List<TaskOutcome> outcomes = new ArrayList<>(updates.size());
        synchronized (lock) {
            for (TaskUpdate update : updates) {
                byte[] upload = running.remove(update.getTaskId()) ? uploaded.remove(update.getTaskId()) : null;
                outcomes.add(outcome(update, upload));
            }
        }
        return outcomes;
    }

    /**
     * One update as an outcome.
     *
     * @param upload the result uploaded for its task, or {@code null}
     */
    static TaskOutcome outcome(TaskUpdate update, byte[] upload) {
        long taskId = update.getTaskId();
        TaskRunMetrics metrics = metrics(update.getMetrics());
        return switch (update.getState()) {
            case TASK_FINISHED -> TaskOutcome.finished(taskId, result(update, upload), metrics);
            case TASK_FAILED -> {
                TaskError error = update.getError();
                yield TaskOutcome.failed(taskId, new TaskOutcome.TaskFailure(error.getClassName(), error.getMessage(),
                        error.getStackTrace(), error.getException().toByteArray(), !error.getNotRetryable()),
                        metrics);
            }
            case TASK_KILLED -> TaskOutcome.ended(taskId, TaskOutcome.State.KILLED, metrics);
            default -> TaskOutcome.ended(taskId, TaskOutcome.State.UNKNOWN, metrics);
        };
    }

    /** What the executor measured; a figure it did not send is 0. */
    static TaskRunMetrics metrics(TaskMetrics metrics) {
        return new TaskRunMetrics(metrics.getRunNanos(), metrics.getDeserializeNanos(), metrics.getGcMillis(),
                metrics.getResultBytes(), metrics.getShuffleReadBytes(), metrics.getShuffleReadRecords(),
                metrics.getShuffleWriteBytes(), metrics.getShuffleWriteRecords(), metrics.getCacheHits(),
                metrics.getCacheMisses(), metrics.getSpills(), metrics.getSpillBytes());
    }

    /** The inline result, or the uploaded one when the update says so ({@code null} when that is missing). */
    private static byte[] result(TaskUpdate update, byte[] upload) {
        if (update.getUploadedResultBytes() > 0) {
            return upload != null && upload.length == update.getUploadedResultBytes() ? upload : null;
        }
        return update.getResult().toByteArray();
    }

    /** Block updates as changes, in one pass. */
    static List<BlockChange> blockChanges(List<BlockUpdate> updates) {
        List<BlockChange> changes = new ArrayList<>(updates.size());
        for (BlockUpdate update : updates) {
            changes.add(new BlockChange(new BlockId(update.getDatasetId(), update.getPartition()), update.getStored(),
                    update.getSizeBytes()));
        }
        return changes;
    }
}
