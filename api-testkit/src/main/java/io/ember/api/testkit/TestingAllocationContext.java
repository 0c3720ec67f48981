package io.ember.api.testkit;

import static java.util.Objects.requireNonNull;

import io.ember.api.allocation.AllocationContext;
import io.ember.api.allocation.ExecutorAllocationClient;
import java.time.Clock;

/**
 * A fixed {@link AllocationContext} to create an {@link io.ember.api.allocation.AllocationPolicy}
 * with in a test, usually around a {@link RecordingAllocationClient} and a {@link ManualClock}:
 *
 * <pre>{@code
 * RecordingAllocationClient client = new RecordingAllocationClient();
 * ManualClock clock = new ManualClock();
 * AllocationPolicy policy = factory.create(settings, TestingAllocationContext.of(client, clock));
 * }</pre>
 *
 * <p>Immutable; thread-safe when its client and clock are.
 *
 * @param applicationId the application the policy serves
 * @param client where the policy asks for and releases executors
 * @param clock the clock the policy reads
 * @param coresPerExecutor {@code ember.executor.cores}, at least 1
 * @param configuredExecutors {@code ember.executor.instances} (or its default), at least 0
 * @param configuredExecutorsSet whether the application set {@code ember.executor.instances} itself
 * @param coresPerTask {@code ember.task.cpus}, at least 1
 */
public record TestingAllocationContext(
        String applicationId,
        ExecutorAllocationClient client,
        Clock clock,
        int coresPerExecutor,
        int configuredExecutors,
        boolean configuredExecutorsSet,
        int coresPerTask) implements AllocationContext {

    /** The application id of {@link #of}. */
    public static final String APPLICATION_ID = "app-1";

    public TestingAllocationContext {
        requireNonNull(applicationId, "applicationId is null");
        requireNonNull(client, "client is null");
        requireNonNull(clock, "clock is null");
        if (coresPerExecutor < 1 || coresPerTask < 1) {
            throw new IllegalArgumentException("coresPerExecutor and coresPerTask must be >= 1: "
                    + coresPerExecutor + ", " + coresPerTask);
        }
        if (configuredExecutors < 0) {
            throw new IllegalArgumentException("configuredExecutors must be >= 0: " + configuredExecutors);
        }
    }

    /**
     * Application {@value #APPLICATION_ID}, one core per executor and per task (one task per
     * executor), {@code ember.executor.instances} left unset at 0.
     */
    public static TestingAllocationContext of(ExecutorAllocationClient client, Clock clock) {
        return new TestingAllocationContext(APPLICATION_ID, client, clock, 1, 0, false, 1);
    }

    /** This context with {@code coresPerExecutor} and {@code coresPerTask} cores. */
    public TestingAllocationContext withCores(int coresPerExecutor, int coresPerTask) {
        return new TestingAllocationContext(applicationId, client, clock, coresPerExecutor, configuredExecutors,
                configuredExecutorsSet, coresPerTask);
    }

    /** This context with {@code ember.executor.instances} set by the application to {@code executors}. */
    public TestingAllocationContext withConfiguredExecutors(int executors) {
        return new TestingAllocationContext(applicationId, client, clock, coresPerExecutor, executors, true,
                coresPerTask);
    }
}
