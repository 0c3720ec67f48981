package io.ember.core.driver;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * The driver's named counters and gauges, read with {@link EmberContext#metrics()}. Counters only
 * grow; gauges are read when a snapshot is taken.
 *
 * <p>Thread-safe; counting is a {@link LongAdder} increment, cheap enough for any thread.
 */
final class DriverMetrics {

    /** Executors that registered with the driver. */
    static final String EXECUTORS_ADDED = "executors.added";
    /** Executors that left the driver (released, killed or lost). */
    static final String EXECUTORS_REMOVED = "executors.removed";
    /** Executors registered now (gauge). */
    static final String EXECUTORS_LIVE = "executors.live";
    /** The executor total the application asks the cluster for now (gauge). */
    static final String ALLOCATION_TARGET = "allocation.target";
    /** Decisions that raised the requested total. */
    static final String TARGET_RAISED = "allocation.target.raised";
    /** Decisions that lowered the requested total. */
    static final String TARGET_LOWERED = "allocation.target.lowered";
    /** Executors added to the requested total, summed over the raises. */
    static final String EXECUTORS_REQUESTED = "allocation.executors.requested";
    /** Executors the allocation policy released on its own (idle ones). */
    static final String EXECUTORS_RELEASED = "allocation.executors.released";
    /** Executors killed at the application's request ({@code EmberContext.killExecutors}). */
    static final String EXECUTORS_KILLED = "allocation.executors.killed";
    /** Jobs (actions) started. */
    static final String JOBS_STARTED = "jobs.started";
    /** Jobs that returned their result. */
    static final String JOBS_SUCCEEDED = "jobs.succeeded";
    /** Jobs that failed or were cancelled. */
    static final String JOBS_FAILED = "jobs.failed";
    /** Stages submitted (a resubmitted stage counts again). */
    static final String STAGES_SUBMITTED = "stages.submitted";
    /** Stages whose every task finished. */
    static final String STAGES_COMPLETED = "stages.completed";
    /** Stages that ended without all their results. */
    static final String STAGES_FAILED = "stages.failed";

    private final Map<String, LongAdder> counters = new ConcurrentHashMap<>();
    private final Map<String, LongSupplier> gauges = new ConcurrentHashMap<>();

    /** Adds {@code amount} to a counter, creating it at 0 first. */
    void add(String counter, long amount) {
        counters.computeIfAbsent(requireNonNull(counter, "counter is null"), name -> new LongAdder()).add(amount);
    }

    /** Makes a counter appear in snapshots (at 0) before anything is counted. */
    void declare(String... names) {
        for (String name : names) {
            counters.computeIfAbsent(name, n -> new LongAdder());
        }
    }

    /** A gauge, read at every snapshot; replaces one of the same name. */
    void gauge(String name, LongSupplier value) {
        gauges.put(requireNonNull(name, "name is null"), requireNonNull(value, "value is null"));
    }

    /** One counter's or gauge's value now; 0 when there is none of that name. */
    long value(String name) {
        LongAdder counter = counters.get(name);
        if (counter != null) {
            return counter.sum();
        }
        LongSupplier gauge = gauges.get(name);
        return gauge == null ? 0 : gauge.getAsLong();
    }

    /** Every counter's and gauge's value now, by name. */
    SortedMap<String, Long> snapshot() {
        SortedMap<String, Long> values = new TreeMap<>();
        counters.forEach((name, counter) -> values.put(name, counter.sum()));
        gauges.forEach((name, gauge) -> values.put(name, gauge.getAsLong()));
        return Collections.unmodifiableSortedMap(values);
    }
}
