package io.ember.allocation.dynamic;

import java.util.HashMap;
import java.util.Map;

/**
 * Counts the pending and running tasks of the application's active stages, from the driver's
 * stage and task events.
 *
 * <p>A task is pending from its stage's submission until it starts, and running until it ends. A
 * task that ended without a result and will run again ({@link #taskResubmitted}) is pending again
 * until it starts once more. A stage's next submission (a new attempt) resets its pending count.
 *
 * <p>Not thread-safe: the policy calls it from its one allocation thread.
 */
final class TaskBacklog {

    private final Map<Integer, StageTasks> stages = new HashMap<>();
    private long pending;
    private long running;

    /** A stage (or a new attempt of it) was submitted with {@code tasks} tasks still to run. */
    void stageSubmitted(int stageId, int tasks) {
        if (tasks < 0) {
            throw new IllegalArgumentException("tasks must be >= 0: " + tasks + " (stage " + stageId + ")");
        }
        StageTasks stage = stages.computeIfAbsent(stageId, id -> new StageTasks());
        pending += tasks - stage.pending;
        stage.pending = tasks;
    }

    /** A stage finished; its pending and running tasks no longer count. Unknown stages are ignored. */
    void stageCompleted(int stageId) {
        StageTasks stage = stages.remove(stageId);
        if (stage != null) {
            pending -= stage.pending;
            running -= stage.running;
        }
    }

    /** A task of a stage started. Tasks of unknown (completed) stages are ignored. */
    void taskStarted(int stageId) {
        StageTasks stage = stages.get(stageId);
        if (stage == null) {
            return;
        }
        if (stage.pending > 0) {
            stage.pending--;
            pending--;
        }
        stage.running++;
        running++;
    }

    /** A task of a stage ended. Tasks of unknown (completed) stages are ignored. */
    void taskEnded(int stageId) {
        StageTasks stage = stages.get(stageId);
        if (stage != null && stage.running > 0) {
            stage.running--;
            running--;
        }
    }

    /**
     * A task of a stage that ended without a result will run again: one more task of the stage is
     * pending. Unknown (completed) stages are ignored.
     */
    void taskResubmitted(int stageId) {
        StageTasks stage = stages.get(stageId);
        if (stage != null && stage.pending < Integer.MAX_VALUE) {
            stage.pending++;
            pending++;
        }
    }

    /** Tasks submitted but not started, over all active stages. */
    long pendingTasks() {
        return pending;
    }

    /** Tasks started but not ended, over all active stages. */
    long runningTasks() {
        return running;
    }

    private static final class StageTasks {
        private int pending;
        private int running;
    }
}
