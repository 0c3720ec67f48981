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
     * Releases the named executors once their running tasks are done (or at once, for idle ones).
     * Unknown ids are ignored.
     *
     * @return {@code false} when the request could not be sent
     */
    boolean killExecutors(Collection<String> executorIds);

    /** The executors the application holds now. */
    Set<String> executorIds();
}
