package io.ember.core.local;

import static java.util.Objects.requireNonNull;

import io.ember.api.shuffle.BlockLocation;
import io.ember.core.executor.SerializedStage;
import io.ember.core.executor.TaskExecutor;
import io.ember.core.executor.TaskToRun;
import io.ember.core.job.StageId;
import io.ember.core.scheduler.ExecutorGateway;
import io.ember.core.scheduler.StageShipment;
import io.ember.core.scheduler.TaskLaunch;
import java.util.ArrayList;
import java.util.List;

/**
 * The task scheduler's way to {@code local[N]}'s one executor, in the driver's JVM: each call
 * becomes the {@link TaskExecutor}'s, in the executor's own types, on the scheduler's thread, with
 * no message in between. Stage code passes as the bytes the scheduler serialized, not copied. What
 * the executor reports comes back through {@link LocalReports}.
 *
 * <p>Threading: called on the scheduler's thread only (as every {@link ExecutorGateway}); each call
 * returns at once, as the task executor's do.
 */
final class LocalGateway implements ExecutorGateway {

    private final String executorId;
    private final int cores;
    private final TaskExecutor executor;

    LocalGateway(String executorId, int cores, TaskExecutor executor) {
        this.executorId = requireNonNull(executorId, "executorId is null");
        this.cores = cores;
        this.executor = requireNonNull(executor, "executor is null");
    }

    @Override
    public String executorId() {
        return executorId;
    }

    @Override
    public String host() {
        return "localhost";
    }

    @Override
    public int cores() {
        return cores;
    }

    @Override
    public void launch(List<StageShipment> stages, List<TaskLaunch> tasks) {
        executor.launch(stages(stages), tasks(tasks));
    }

    @Override
    public void kill(long taskId, String reason) {
        executor.kill(taskId, reason);
    }

    @Override
    public void forgetStages(List<StageId> stageIds) {
        int[] ids = new int[stageIds.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = stageIds.get(i).value();
        }
        executor.forgetStages(ids);
    }

    @Override
    public void dropBlocks(int datasetId) {
        executor.dropBlocks(datasetId);
    }

    @Override
    public void removeShuffle(int shuffleId, List<BlockLocation> services) {
        executor.removeShuffle(shuffleId, services);
    }

    @Override
    public String toString() {
        return "LocalGateway[" + executorId + ", " + cores + " core(s)]";
    }

    /** The stages in the executor's type, sharing their bytes. */
    static List<SerializedStage> stages(List<StageShipment> stages) {
        if (stages.isEmpty()) {
            return List.of();
        }
        List<SerializedStage> converted = new ArrayList<>(stages.size());
        for (int i = 0, n = stages.size(); i < n; i++) {
            StageShipment stage = stages.get(i);
            converted.add(new SerializedStage(stage.stageId().value(), stage.jobId().value(), stage.code()));
        }
        return converted;
    }

    /** The tasks in the executor's type, in launch order. */
    static List<TaskToRun> tasks(List<TaskLaunch> tasks) {
        List<TaskToRun> converted = new ArrayList<>(tasks.size());
        for (int i = 0, n = tasks.size(); i < n; i++) {
            TaskLaunch task = tasks.get(i);
            converted.add(new TaskToRun(task.taskId(), task.stageId().value(), task.partition(), task.attempt()));
        }
        return converted;
    }
}
