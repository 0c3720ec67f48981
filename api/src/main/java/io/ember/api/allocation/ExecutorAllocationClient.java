package io.ember.api.allocation;

import java.util.Collection;
import java.util.Set;

/**
 * The driver's side of executor allocation: asks the cluster for executors and releases them.
 * Implemented by the host; thread-safe; calls do not block on the cluster (requests are sent
 * asynchronously and granted as workers have room).
 */
public interface ExecutorAllocationClient {

    /**
     * Sets how many executors the application wants in total, counting those it has; the latest
     * call wins. Executors beyond the target are not killed; pending requests above it are
     * cancelled.
     *
     * @return {@code false} when the request could not be sent (the master is unreachable)
     */
    boolean requestTotalExecutors(int total);

    /**
     * Kills the named executors and sets the application's total to {@code total} in the same
     * step, so that the cluster manager never sees the executors gone under the old total (and
     * replaces them) nor the new total with the executors still there. The driver stops sending
     * tasks to them first. Unknown ids are ignored; the total is set in any case.
     *
     * <p>Called by the policy on its own (releasing idle executors), an executor that runs a task
     * at that moment (one was just sent to it) is not killed: the policy hears of that task with
     * {@link AllocationPolicy#onTaskStart} and may release the executor later. Called while the
     * policy serves the application's {@link AllocationPolicy#killExecutors}, the executors go at
     * once, with their running tasks, which run again elsewhere.
     *
     * @param total the total the application wants once they are gone, as
     *     {@link #requestTotalExecutors} takes it
     * @return {@code false} when the request could not be sent
     */
    boolean killExecutors(Collection<String> executorIds, int total);

    /** The total the application asked for last (0 before the first request). */
    int requestedTotal();

    /** The executors the application holds now. */
    Set<String> executorIds();
}
