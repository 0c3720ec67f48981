package io.ember.api.allocation;

import java.util.Collection;

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
 * breaking existing policies. The requests an application makes itself
 * ({@link #requestTotalExecutors}, {@link #requestExecutors}, {@link #killExecutors}, from
 * {@code EmberContext}) default to refusing with {@link UnsupportedOperationException}: a policy
 * takes them over only when it says how they combine with its own decisions.
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

    /**
     * A task of a stage that ended without a result (it failed, or its executor was lost) will run
     * again: it is pending again. Sent right after its {@link #onTaskEnd}. Since API 1.1.
     */
    default void onTaskResubmitted(int stageId) {
    }

    /**
     * Whether an executor holds cached blocks; sent when that changes (its first block stored, its
     * last one dropped). Since API 1.1.
     */
    default void onCachedBlocksChanged(String executorId, boolean holdsCachedBlocks) {
    }

    /**
     * An executor wrote map output of a shuffle that it serves itself, so the output is lost when
     * the executor goes. Output an external shuffle service serves (which outlives its executor) is
     * not reported. Since API 1.1.
     */
    default void onShuffleOutput(String executorId, int shuffleId) {
    }

    /**
     * Whether a running job needs a shuffle's output (a stage that writes or reads it runs or waits
     * to); sent when that changes. Since API 1.1.
     */
    default void onShuffleActive(int shuffleId, boolean active) {
    }

    /**
     * The driver cleaned up a shuffle nothing references any more: its files are deleted everywhere
     * and no job will read it again, so its output keeps no executor. Since API 1.4.
     */
    default void onShuffleRemoved(int shuffleId) {
    }

    /** An executor joined the application. */
    default void onExecutorAdded(String executorId) {
    }

    /** An executor left the application (released, lost or killed). */
    default void onExecutorRemoved(String executorId) {
    }

    /**
     * The application asks for {@code total} executors in all ({@code EmberContext.requestTotalExecutors});
     * the latest call wins. The policy decides how the request combines with its own decisions and
     * passes the resulting total to {@link ExecutorAllocationClient#requestTotalExecutors}. Since API
     * 1.1.
     *
     * @param total at least 0
     * @return whether the resulting request could be sent to the cluster manager
     * @throws UnsupportedOperationException when the policy does not take requests (the default)
     */
    default boolean requestTotalExecutors(int total) {
        throw new UnsupportedOperationException(getClass().getName() + " does not take executor requests");
    }

    /**
     * The application asks for {@code count} executors on top of the policy's current target
     * ({@code EmberContext.requestExecutors}). Since API 1.1.
     *
     * @param count at least 0
     * @return whether the resulting request could be sent to the cluster manager
     * @throws UnsupportedOperationException when the policy does not take requests (the default)
     */
    default boolean requestExecutors(int count) {
        throw new UnsupportedOperationException(getClass().getName() + " does not take executor requests");
    }

    /**
     * The application asks to kill these executors ({@code EmberContext.killExecutors}), running
     * tasks and all (they run again elsewhere). The policy kills them through
     * {@link ExecutorAllocationClient#killExecutors} with a target lowered so that they are not
     * replaced at once; ids it does not know are ignored. Since API 1.1.
     *
     * @return whether the request could be sent to the cluster manager
     * @throws UnsupportedOperationException when the policy does not take requests (the default)
     */
    default boolean killExecutors(Collection<String> executorIds) {
        throw new UnsupportedOperationException(getClass().getName() + " does not take executor kills");
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
