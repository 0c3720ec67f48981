package io.ember.api.allocation;

/**
 * Decides how many executors one application holds, from the events the driver sends and the time
 * on the {@link AllocationContext#clock() clock}, and acts through the
 * {@link ExecutorAllocationClient}.
 *
 * <p>Threading: the host delivers {@link #start()}, every event, every {@link #tick()} and
 * {@link #close()} on one thread, one at a time, so an implementation needs no locking of its own.
 * Calls must return quickly: they run on the driver's allocation thread.
 *
 * <p>Every event method has an empty default, so later API versions can add events without
 * breaking existing policies.
 */
public interface AllocationPolicy extends AutoCloseable {

    /** The application has registered; make the initial request. */
    void start();

    /** A stage with {@code tasks} tasks was submitted. */
    default void onStageSubmitted(int stageId, int tasks) {
    }

    /** A stage finished (successfully or not); its pending tasks are gone. */
    default void onStageCompleted(int stageId) {
    }

    /** A task of a stage started on an executor. */
    default void onTaskStart(int stageId, String executorId) {
    }

    /** A task of a stage ended on an executor (whatever its outcome). */
    default void onTaskEnd(int stageId, String executorId) {
    }

    /** An executor joined the application. */
    default void onExecutorAdded(String executorId) {
    }

    /** An executor left the application (released, lost or killed). */
    default void onExecutorRemoved(String executorId) {
    }

    /**
     * Called periodically (about every 100 ms); time-based decisions (backlog and idle timeouts)
     * are made here against the context's clock.
     */
    default void tick() {
    }

    /** The application is ending; release what the policy holds. Idempotent. */
    @Override
    default void close() {
    }
}
