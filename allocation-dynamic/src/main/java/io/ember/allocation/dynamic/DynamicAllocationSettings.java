package io.ember.allocation.dynamic;

import static java.util.Objects.requireNonNull;

import io.ember.api.config.ConfigKey;
import io.ember.api.config.Settings;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The settings of the {@code dynamic} allocation policy, parsed and checked against each other.
 * Their keys are relative to {@code ember.allocation.dynamic.} and carry Spark's defaults.
 *
 * <p>{@link #from(Settings)} turns a host-checked {@link Settings} view into this record and
 * rejects combinations that are valid key by key but not together, naming the key and where its
 * value came from. The canonical constructor repeats every check with plain
 * {@link IllegalArgumentException}s, so a record built by hand is never inconsistent.
 *
 * <p>Immutable and thread-safe.
 *
 * @param minExecutors the fewest executors held
 * @param maxExecutors the most executors held ({@link Integer#MAX_VALUE} when unbounded)
 * @param initialExecutors the executors asked for at start, before any task exists
 * @param executorAllocationRatio the share of full parallelism to aim for, in (0, 1]
 * @param schedulerBacklogTimeout how long tasks must wait before the first executors are added
 * @param sustainedSchedulerBacklogTimeout how long between further additions while tasks wait
 * @param executorIdleTimeout how long an executor without tasks is kept
 * @param cachedExecutorIdleTimeout how long an idle executor holding cached blocks is kept;
 *     empty is forever
 * @param shuffleTrackingEnabled whether output of an active shuffle (one a running job needs) that
 *     an executor serves itself keeps it when idle
 * @param shuffleTrackingTimeout how long an idle executor holding output of an active shuffle is
 *     kept when shuffle tracking is on; empty is as long as the shuffle stays active
 */
public record DynamicAllocationSettings(
        int minExecutors,
        int maxExecutors,
        int initialExecutors,
        double executorAllocationRatio,
        Duration schedulerBacklogTimeout,
        Duration sustainedSchedulerBacklogTimeout,
        Duration executorIdleTimeout,
        Optional<Duration> cachedExecutorIdleTimeout,
        boolean shuffleTrackingEnabled,
        Optional<Duration> shuffleTrackingTimeout) {

    static final ConfigKey<Integer> MIN_EXECUTORS = ConfigKey.intKey("minExecutors")
            .min(0)
            .defaultValue(0)
            .doc("The fewest executors the application keeps, however idle it is.")
            .build();

    static final ConfigKey<Integer> MAX_EXECUTORS = ConfigKey.intKey("maxExecutors")
            .min(0)
            .defaultDescription("unbounded")
            .doc("The most executors the application asks for, however many tasks wait.")
            .build();

    static final ConfigKey<Integer> INITIAL_EXECUTORS = ConfigKey.intKey("initialExecutors")
            .min(0)
            .defaultDescription("the value of minExecutors")
            .doc("The executors asked for when the application starts, before any task is known. The start "
                    + "request is the largest of minExecutors, this value and ember.executor.instances, "
                    + "capped at maxExecutors. Must lie between minExecutors and maxExecutors.")
            .build();

    static final ConfigKey<Double> EXECUTOR_ALLOCATION_RATIO = ConfigKey.doubleKey("executorAllocationRatio")
            .greaterThan(0.0)
            .max(1.0)
            .defaultValue(1.0)
            .doc("The share of full parallelism to aim for: 1 asks for an executor slot per pending or "
                    + "running task, 0.5 for half as many executors, trading latency for fewer executors.")
            .build();

    static final ConfigKey<Duration> SCHEDULER_BACKLOG_TIMEOUT = ConfigKey.durationKey("schedulerBacklogTimeout")
            .greaterThan(Duration.ZERO)
            .defaultValue(Duration.ofSeconds(1))
            .doc("How long tasks must have been waiting for a slot, without a break, before executors are "
                    + "added.")
            .build();

    static final ConfigKey<Duration> SUSTAINED_SCHEDULER_BACKLOG_TIMEOUT =
            ConfigKey.durationKey("sustainedSchedulerBacklogTimeout")
                    .greaterThan(Duration.ZERO)
                    .defaultDescription("the value of schedulerBacklogTimeout")
                    .doc("While tasks keep waiting after the first addition, how long between further additions; "
                            + "each adds twice as many executors as the one before (1, 2, 4, ...), never more "
                            + "than the tasks need.")
                    .build();

    static final ConfigKey<Duration> EXECUTOR_IDLE_TIMEOUT = ConfigKey.durationKey("executorIdleTimeout")
            .greaterThan(Duration.ZERO)
            .defaultValue(Duration.ofSeconds(60))
            .doc("How long an executor may run no task before it is released (never below minExecutors "
                    + "or the executors the current tasks need).")
            .build();

    static final ConfigKey<Duration> CACHED_EXECUTOR_IDLE_TIMEOUT = ConfigKey.durationKey("cachedExecutorIdleTimeout")
            .greaterThan(Duration.ZERO)
            .defaultDescription("never")
            .doc("How long an idle executor that holds cached blocks is kept, instead of "
                    + "executorIdleTimeout; by default such an executor is never released.")
            .build();

    static final ConfigKey<Boolean> SHUFFLE_TRACKING_ENABLED = ConfigKey.booleanKey("shuffleTracking.enabled")
            .defaultValue(true)
            .doc("Keep an idle executor that holds map output of a shuffle it serves itself while a running job "
                    + "needs that shuffle (for shuffleTracking.timeout), so that dynamic allocation works without "
                    + "the external shuffle service. Output of shuffles no running job needs keeps no executor: "
                    + "Ember has no shuffle cleaner yet, so that stands in for Spark's clean-up (Spark also keeps "
                    + "executors holding output of inactive shuffles that are not cleaned up yet). When off, "
                    + "shuffle output keeps no executor; output lost with a released executor is recomputed when "
                    + "needed. Output the external shuffle service serves never keeps an executor.")
            .build();

    static final ConfigKey<Duration> SHUFFLE_TRACKING_TIMEOUT = ConfigKey.durationKey("shuffleTracking.timeout")
            .greaterThan(Duration.ZERO)
            .defaultDescription("never")
            .doc("With shuffleTracking.enabled, how long an idle executor holding output of a shuffle that a "
                    + "running job needs is kept, instead of executorIdleTimeout (the shorter of this and "
                    + "cachedExecutorIdleTimeout when it also holds cached blocks); by default as long as a "
                    + "running job needs the shuffle. Once no running job needs it (Ember has no shuffle cleaner, "
                    + "so this stands in for Spark's clean-up), the executor's ordinary idle timeout applies, "
                    + "counted from when it became idle.")
            .build();

    /** Every key, in the order documentation lists them. */
    static final List<ConfigKey<?>> KEYS = List.of(
            MIN_EXECUTORS,
            MAX_EXECUTORS,
            INITIAL_EXECUTORS,
            EXECUTOR_ALLOCATION_RATIO,
            SCHEDULER_BACKLOG_TIMEOUT,
            SUSTAINED_SCHEDULER_BACKLOG_TIMEOUT,
            EXECUTOR_IDLE_TIMEOUT,
            CACHED_EXECUTOR_IDLE_TIMEOUT,
            SHUFFLE_TRACKING_ENABLED,
            SHUFFLE_TRACKING_TIMEOUT);

    /**
     * Checks every value on its own and against the others.
     *
     * @throws IllegalArgumentException naming the offending value
     */
    public DynamicAllocationSettings {
        requireNonNull(schedulerBacklogTimeout, "schedulerBacklogTimeout is null");
        requireNonNull(sustainedSchedulerBacklogTimeout, "sustainedSchedulerBacklogTimeout is null");
        requireNonNull(executorIdleTimeout, "executorIdleTimeout is null");
        requireNonNull(cachedExecutorIdleTimeout, "cachedExecutorIdleTimeout is null");
        requireNonNull(shuffleTrackingTimeout, "shuffleTrackingTimeout is null");
        if (minExecutors < 0 || maxExecutors < 0 || initialExecutors < 0) {
            throw new IllegalArgumentException("executor counts must be >= 0: min " + minExecutors
                    + ", max " + maxExecutors + ", initial " + initialExecutors);
        }
        if (minExecutors > maxExecutors) {
            throw new IllegalArgumentException(
                    "minExecutors (" + minExecutors + ") must not exceed maxExecutors (" + maxExecutors + ")");
        }
        if (initialExecutors < minExecutors || initialExecutors > maxExecutors) {
            throw new IllegalArgumentException("initialExecutors (" + initialExecutors + ") must lie between minExecutors ("
                    + minExecutors + ") and maxExecutors (" + maxExecutors + ")");
        }
        if (!(executorAllocationRatio > 0.0 && executorAllocationRatio <= 1.0)) {
            throw new IllegalArgumentException("executorAllocationRatio must be in (0, 1]: " + executorAllocationRatio);
        }
        positive(schedulerBacklogTimeout, "schedulerBacklogTimeout");
        positive(sustainedSchedulerBacklogTimeout, "sustainedSchedulerBacklogTimeout");
        positive(executorIdleTimeout, "executorIdleTimeout");
        cachedExecutorIdleTimeout.ifPresent(d -> positive(d, "cachedExecutorIdleTimeout"));
        shuffleTrackingTimeout.ifPresent(d -> positive(d, "shuffleTracking.timeout"));
    }

    /**
     * Reads the policy's settings, filling in the defaults that depend on other keys.
     *
     * @param settings a view declared with {@link #KEYS}
     * @throws io.ember.api.config.InvalidSettingException when minExecutors exceeds maxExecutors, or
     *     initialExecutors is set outside [minExecutors, maxExecutors]
     */
    public static DynamicAllocationSettings from(Settings settings) {
        requireNonNull(settings, "settings is null");
        int min = settings.get(MIN_EXECUTORS);
        int max = settings.find(MAX_EXECUTORS).orElse(Integer.MAX_VALUE);
        if (min > max) {
            throw settings.invalid(MIN_EXECUTORS.name(), "'" + min + "' must not exceed maxExecutors (" + max
                    + ", from " + settings.origin(MAX_EXECUTORS.name()) + "); expected " + range(0, max));
        }
        int initial = settings.find(INITIAL_EXECUTORS).orElse(min);
        if (initial < min || initial > max) {
            throw settings.invalid(INITIAL_EXECUTORS.name(), "'" + initial + "' is outside [minExecutors, maxExecutors]"
                    + " (" + min + ", " + describeMax(max) + "); expected " + range(min, max));
        }
        Duration backlog = settings.get(SCHEDULER_BACKLOG_TIMEOUT);
        return new DynamicAllocationSettings(
                min,
                max,
                initial,
                settings.get(EXECUTOR_ALLOCATION_RATIO),
                backlog,
                settings.find(SUSTAINED_SCHEDULER_BACKLOG_TIMEOUT).orElse(backlog),
                settings.get(EXECUTOR_IDLE_TIMEOUT),
                settings.find(CACHED_EXECUTOR_IDLE_TIMEOUT),
                settings.get(SHUFFLE_TRACKING_ENABLED),
                settings.find(SHUFFLE_TRACKING_TIMEOUT));
    }

    private static String range(int min, int max) {
        return max == Integer.MAX_VALUE ? "an integer, at least " + min : "an integer from " + min + " to " + max;
    }

    private static String describeMax(int max) {
        return max == Integer.MAX_VALUE ? "unbounded" : String.valueOf(max);
    }

    private static void positive(Duration duration, String name) {
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be > 0: " + duration);
        }
    }
}
