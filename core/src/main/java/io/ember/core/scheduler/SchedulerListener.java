package io.ember.core.scheduler;

import static java.util.Objects.requireNonNull;

import io.ember.api.shuffle.FetchFailedException;
import io.ember.core.job.JobId;
import io.ember.core.job.StageId;
import io.ember.core.storage.BlockChange;
import java.util.List;

/**
 * Hears what the driver's task scheduler does: jobs starting and ending, their stages submitted and
 * completed, tasks launching and ending. For tools (a progress bar, metrics, a UI) and for tests that
 * must know the order in which tasks were launched.
 *
 * <p>A job (one action) runs one or more stages: its map stages whose output is missing, parents
 * first, then its final stage; a stage is submitted again, with a new id, after a fetch failure.
 * Every event of a job's stages comes between its {@link #onJobStart} and {@link #onJobEnd}.
 *
 * <p>Threading: every method is called on one thread, {@code ember-listener-bus}, in the order the
 * scheduler did things, shortly after it did them; a listener that blocks delays the others, never
 * the scheduler. When listeners fall more than 10,000 events behind, further events are dropped (and
 * the drop is logged). An exception thrown by a listener is logged and the listener stays
 * registered. Every method does nothing by default.
 */
public interface SchedulerListener {

    /** A job started: one action, whose stages follow. */
    default void onJobStart(JobStart event) {
    }

    /** A job ended: its last stage finished, or it failed or was cancelled. */
    default void onJobEnd(JobEnd event) {
    }

    /** A stage was submitted; its tasks wait for cores in its job's pool. */
    default void onStageSubmitted(StageSubmitted event) {
    }

    /** A stage ended: all its tasks finished, or it failed or was cancelled. */
    default void onStageCompleted(StageCompleted event) {
    }

    /** A task was sent to an executor (it may wait there behind tasks sent ahead of free cores). */
    default void onTaskStart(TaskStart event) {
    }

    /** An executor reported a task's end, or the task was lost with its executor. */
    default void onTaskEnd(TaskEnd event) {
    }

    /**
     * An executor stored its first cached block, or dropped its last one (not sent when the
     * executor is lost with its blocks).
     */
    default void onCachedBlocks(CachedBlocks event) {
    }

    /**
     * An executor stored or dropped cached partitions (every report, with their sizes), or the
     * application unpersisted a dataset ({@link #onDatasetUnpersisted}). Not sent when an executor
     * is lost with its blocks: its removal says so.
     */
    default void onBlocksUpdated(BlocksUpdated event) {
    }

    /** The application unpersisted a dataset: every executor drops its cached partitions. */
    default void onDatasetUnpersisted(DatasetUnpersisted event) {
    }

    /**
     * @param jobId the job
     * @param description what the action computes, e.g. {@code count at Report.java:42}
     * @param pool the scheduler pool its stages compete in
     * @param timeMillis when, by the driver's clock
     */
    record JobStart(JobId jobId, String description, String pool, long timeMillis) {
        public JobStart {
            requireNonNull(jobId, "jobId is null");
            requireNonNull(description, "description is null");
            requireNonNull(pool, "pool is null");
        }
    }

    /**
     * @param jobId the job
     * @param succeeded whether its last stage finished (false: a stage failed, or it was cancelled)
     * @param timeMillis when, by the driver's clock
     */
    record JobEnd(JobId jobId, boolean succeeded, long timeMillis) {
        public JobEnd {
            requireNonNull(jobId, "jobId is null");
        }
    }

    /**
     * @param jobId the stage's job
     * @param stageId the stage
     * @param description what the stage computes, e.g. {@code map stage of shuffle 2 for count at
     *     Report.java:42}
     * @param pool the scheduler pool its tasks compete in
     * @param tasks how many tasks it has
     * @param timeMillis when, by the driver's clock
     */
    record StageSubmitted(JobId jobId, StageId stageId, String description, String pool, int tasks,
                          long timeMillis) {
        public StageSubmitted {
            requireNonNull(jobId, "jobId is null");
            requireNonNull(stageId, "stageId is null");
            requireNonNull(description, "description is null");
            requireNonNull(pool, "pool is null");
        }
    }

    /**
     * @param jobId the stage's job
     * @param stageId the stage
     * @param succeeded whether every task finished (false: failed or cancelled)
     * @param timeMillis when, by the driver's clock
     */
    record StageCompleted(JobId jobId, StageId stageId, boolean succeeded, long timeMillis) {
        public StageCompleted {
            requireNonNull(jobId, "jobId is null");
            requireNonNull(stageId, "stageId is null");
        }
    }

    /**
     * @param jobId the task's job
     * @param stageId its stage
     * @param pool its job's pool
     * @param taskId unique among the application's task attempts
     * @param partition the partition it computes
     * @param attempt 0 for the first attempt of this partition
     * @param executorId where it was sent
     * @param locality how close to its input: {@link Locality#PROCESS_LOCAL} when sent to an executor
     *     caching its input, {@link Locality#ANY} otherwise
     * @param timeMillis when, by the driver's clock
     */
    record TaskStart(JobId jobId, StageId stageId, String pool, long taskId, int partition, int attempt,
                     String executorId, Locality locality, long timeMillis) {
        public TaskStart {
            requireNonNull(pool, "pool is null");
            requireNonNull(executorId, "executorId is null");
            requireNonNull(locality, "locality is null");
        }
    }

    /**
     * @param jobId the task's job
     * @param stageId its stage
     * @param pool its job's pool
     * @param taskId the attempt that ended
     * @param partition the partition it computed
     * @param executorId where it ran
     * @param outcome how it ended
     * @param metrics what the executor measured; {@link TaskRunMetrics#NONE} when lost
     * @param reason why it did not finish, in one line (the exception's class and message, or why its
     *     executor was lost); empty when it finished
     * @param timeMillis when the driver learnt of it, by the driver's clock
     */
    record TaskEnd(JobId jobId, StageId stageId, String pool, long taskId, int partition, String executorId,
                   Outcome outcome, TaskRunMetrics metrics, String reason, long timeMillis) {
        public TaskEnd {
            requireNonNull(pool, "pool is null");
            requireNonNull(executorId, "executorId is null");
            requireNonNull(outcome, "outcome is null");
            requireNonNull(metrics, "metrics is null");
            requireNonNull(reason, "reason is null");
        }

        /**
         * Whether it failed because it could not fetch a map output ({@link FetchFailedException}):
         * its stage then stops, and runs again once the map stage has made the lost output anew.
         */
        public boolean fetchFailed() {
            String fetchFailed = FetchFailedException.class.getName();
            return outcome == Outcome.FAILED && (reason.equals(fetchFailed) || reason.startsWith(fetchFailed + ":"));
        }

        /** How long it ran on the executor, 0 when unknown (lost, killed before running). */
        public long runNanos() {
            return metrics.runNanos();
        }
    }

    /**
     * @param executorId the executor
     * @param holdsBlocks whether it holds cached blocks now
     * @param timeMillis when, by the driver's clock
     */
    record CachedBlocks(String executorId, boolean holdsBlocks, long timeMillis) {
        public CachedBlocks {
            requireNonNull(executorId, "executorId is null");
        }
    }

    /**
     * @param executorId the executor that reported
     * @param changes what it stored or dropped
     * @param timeMillis when, by the driver's clock
     */
    record BlocksUpdated(String executorId, List<BlockChange> changes, long timeMillis) {
        public BlocksUpdated {
            requireNonNull(executorId, "executorId is null");
            changes = List.copyOf(changes);
        }
    }

    /**
     * @param datasetId the dataset unpersisted
     * @param timeMillis when, by the driver's clock
     */
    record DatasetUnpersisted(int datasetId, long timeMillis) {
    }

    /** How close to its input a task ran. */
    enum Locality {
        /** On an executor that caches its input. */
        PROCESS_LOCAL,
        /** Wherever cores were free: it had no preference, or waited long enough for one. */
        ANY
    }

    /** How a task attempt ended. */
    enum Outcome {
        /** It returned its result. */
        FINISHED,
        /** Its code threw; it may run again. */
        FAILED,
        /** It was killed because its job ended or was cancelled. */
        KILLED,
        /** Its executor went away (or killed it unasked); it runs again elsewhere. */
        LOST
    }
}
