package io.ember.examples.shortestfirst;

import static java.util.Objects.requireNonNull;

import io.ember.api.scheduler.SchedulingLevel;
import io.ember.api.scheduler.SchedulingPolicy;
import io.ember.api.scheduler.SchedulingQueue;

/**
 * Shortest remaining work first at both levels: task sets at the driver, applications at the
 * master (see {@link ShortestFirstQueue} for what "remaining work" is at each).
 *
 * <p>Immutable and thread-safe; {@link #createQueue} may be called from any thread.
 */
public final class ShortestFirstSchedulingPolicy implements SchedulingPolicy {

    private final int starvationLimit;

    /**
     * @param starvationLimit slots that may go to other items while an item with pending work
     *     waits, at least 1
     */
    public ShortestFirstSchedulingPolicy(int starvationLimit) {
        if (starvationLimit < 1) {
            throw new IllegalArgumentException("starvationLimit must be >= 1: " + starvationLimit);
        }
        this.starvationLimit = starvationLimit;
    }

    @Override
    public SchedulingQueue createQueue(SchedulingLevel level) {
        requireNonNull(level, "level is null");
        return new ShortestFirstQueue(level, starvationLimit);
    }
}
