package io.ember.core.scheduler;

import static java.util.Objects.requireNonNull;

/**
 * Hears what the driver's task scheduler does: jobs starting and ending, tasks launching and
 * ending. For tools (a progress bar, metrics, a UI) and for tests that must know the order in which
 * tasks were launched.
 *
 * <p>Threading: every method is called on one thread, {@code ember-listener-bus}, in the order the
 * scheduler did things, shortly after it did them; a listener that blocks delays the others, never
 * the scheduler. When listeners fall more than 10,000 events behind, further events are dropped (and
 * the drop is logged). An exception thrown by a listener is logged and the listener stays
 * registered. Every method does nothing by default.
 */
public interface SchedulerListener {

    /** A job was accepted; its tasks wait for cores in {@code pool}. */
    default void onJobStart(JobStart event) {
    }

    /** A job ended: all its tasks finished, or it failed or was cancelled. */
    default void onJobEnd(JobEnd event) {
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
     * @param jobId the job
     * @param stageId its stage
     * @param description what the job computes, e.g. {@code count at Report.java:42}
     * @param pool the scheduler pool its tasks compete in
     * @param tasks how many tasks it has
     * @param timeMillis when, by the driver's clock
     */
    record JobStart(int jobId, int stageId, String description, String pool, int tasks, long timeMillis) {
        public JobStart {
            requireNonNull(description, "description is null");
            requireNonNull(pool, "pool is null");
        }
    }

    /**
     * @param jobId the job
     * @param stageId its stage
     * @param succeeded whether every task finished (false: failed or cancelled)
     * @param timeMillis when, by the driver's clock
     */
    record JobEnd(int jobId, int stageId, boolean succeeded, long timeMillis) {
    }

    /**
     * @param jobId the task's job
     * @param stageId its stage
     * @param pool its job's pool
     * @param taskId unique among the application's task attempts
     * @param partition the partition it computes
     * @param attempt 0 for the first attempt of this partition
     * @param executorId where it was sent
     * @param timeMillis when, by the driver's clock
     */
    record TaskStart(int jobId, int stageId, String pool, long taskId, int partition, int attempt,
                     String executorId, long timeMillis) {
        public TaskStart {
            requireNonNull(pool, "pool is null");
            requireNonNull(executorId, "executorId is null");
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
     * @param runNanos how long it ran on the executor, 0 when unknown (lost, killed before running)
     * @param timeMillis when the driver learnt of it, by the driver's clock
     */
    record TaskEnd(int jobId, int stageId, String pool, long taskId, int partition, String executorId,
                   Outcome outcome, long runNanos, long timeMillis) {
        public TaskEnd {
            requireNonNull(pool, "pool is null");
            requireNonNull(executorId, "executorId is null");
            requireNonNull(outcome, "outcome is null");
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
