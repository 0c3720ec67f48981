package io.ember.plugins;

import static java.util.Objects.requireNonNull;

import io.ember.api.allocation.AllocationContext;
import io.ember.api.allocation.ExecutorAllocationClient;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

/** A fixed {@link AllocationContext} around a given client and a stopped clock. */
record TestingAllocationContext(String applicationId, ExecutorAllocationClient client, Clock clock, int coresPerExecutor,
                                int configuredExecutors, int coresPerTask) implements AllocationContext {

    TestingAllocationContext {
        requireNonNull(applicationId, "applicationId is null");
        requireNonNull(client, "client is null");
        requireNonNull(clock, "clock is null");
    }

    static TestingAllocationContext of(ExecutorAllocationClient client, int configuredExecutors) {
        return new TestingAllocationContext("app-1", client, Clock.fixed(Instant.EPOCH, ZoneOffset.UTC), 4, configuredExecutors, 1);
    }
}
