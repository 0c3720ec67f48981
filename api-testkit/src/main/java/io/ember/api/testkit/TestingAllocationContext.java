package io.ember.api.testkit;

import io.ember.api.allocation.AllocationContext;
import io.ember.api.allocation.ExecutorAllocationClient;
import java.time.Clock;

/** A fixed {@link AllocationContext}. */
public record TestingAllocationContext(
        String applicationId,
        ExecutorAllocationClient client,
        Clock clock,
        int coresPerExecutor,
        int configuredExecutors,
        boolean configuredExecutorsSet,
        int coresPerTask) implements AllocationContext {

    /** One task per executor, no configured instances. */
    public static TestingAllocationContext of(ExecutorAllocationClient client, Clock clock) {
        return new TestingAllocationContext("app-1", client, clock, 1, 0, true, 1);
    }
}
