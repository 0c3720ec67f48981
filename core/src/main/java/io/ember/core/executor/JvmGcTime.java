package io.ember.core.executor;

import static java.util.Objects.requireNonNull;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The time this JVM has spent in garbage collection so far, in milliseconds: the sum of
 * {@link GarbageCollectorMXBean#getCollectionTime()} over its collectors (a collector that does not
 * say, -1, adds nothing). A task's GC time is this at its end minus this at its start, as Spark's
 * {@code jvmGCTime}: the collections of the whole JVM while the task ran, so tasks running at the
 * same time all count the same pauses.
 *
 * <p>Thread-safe: the collectors' beans answer from any thread.
 */
final class JvmGcTime implements LongSupplier {

    private final GarbageCollectorMXBean[] collectors;

    /** The JVM's own collectors. */
    JvmGcTime() {
        this(ManagementFactory.getGarbageCollectorMXBeans());
    }

    JvmGcTime(List<GarbageCollectorMXBean> collectors) {
        this.collectors = requireNonNull(collectors, "collectors is null").toArray(new GarbageCollectorMXBean[0]);
    }

    @Override
    public long getAsLong() {
        long total = 0;
        for (GarbageCollectorMXBean collector : collectors) {
            total += Math.max(0, collector.getCollectionTime());
        }
        return total;
    }

    @Override
    public String toString() {
        return "JvmGcTime[" + collectors.length + " collector(s)]";
    }
}
