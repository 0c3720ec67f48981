package io.ember.scheduler.fifo;

import static java.util.Objects.requireNonNull;

import io.ember.api.scheduler.SchedulingLevel;
import io.ember.api.scheduler.SchedulingPolicy;
import io.ember.api.scheduler.SchedulingQueue;

/**
 * First-in, first-out scheduling at both levels: task sets at the driver and applications at the
 * master are ordered the same way (see {@link FifoSchedulingQueue}).
 *
 * <p>Stateless and thread-safe; {@link #createQueue} may be called from any thread.
 */
public final class FifoSchedulingPolicy implements SchedulingPolicy {

    @Override
    public SchedulingQueue createQueue(SchedulingLevel level) {
        requireNonNull(level, "level is null");
        return new FifoSchedulingQueue();
    }
}
