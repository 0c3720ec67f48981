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
     * The executor count of {@code ember.executor.instances} (its default when unset), what the
     * {@code static} policy holds; a dynamic policy may treat it as a floor for its initial request
     * when {@link #configuredExecutorsSet()}.
     */
    int configuredExecutors();

    /**
     * Whether the application set {@code ember.executor.instances} itself, rather than leaving its
     * default. Since API 1.1; hosts of API 1.0 behave as if it were always set.
     */
    default boolean configuredExecutorsSet() {
        return true;
    }

    /** Cores each task uses ({@code ember.task.cpus}); tasks per executor is the quotient. */
    int coresPerTask();
}
