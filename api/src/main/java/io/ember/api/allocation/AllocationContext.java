package io.ember.api.allocation;

import java.time.Clock;

/**
 * What an {@link AllocationPolicy} may use. Implemented by the host; thread-safe.
 */
public interface AllocationContext {

    /** The application the policy serves. */
    String applicationId();

    /** Where the policy asks for and releases executors. */
    ExecutorAllocationClient client();

    /**
     * The clock the policy must read time from (never {@link System#currentTimeMillis()}), so that
     * tests can drive it by hand.
     */
    Clock clock();

    /** Cores each executor of this application has ({@code ember.executor.cores}). */
    int coresPerExecutor();

    /**
     * The executor count the application asked for with {@code ember.executor.instances}; a
     * dynamic policy may treat it as a floor for its initial request.
     */
    int configuredExecutors();

    /** Cores each task uses ({@code ember.task.cpus}); tasks per executor is the quotient. */
    int coresPerTask();
}
