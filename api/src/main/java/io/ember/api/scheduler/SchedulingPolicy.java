package io.ember.api.scheduler;

/**
 * A scheduling policy: decides who gets the next free slot (an executor core at the driver, a
 * worker core at the master). The same policy serves both {@link SchedulingLevel levels}.
 *
 * <p>The policy itself is only a factory of {@link SchedulingQueue}s; all ordering state lives in
 * the queues. {@link #createQueue} may be called from any thread.
 */
public interface SchedulingPolicy {

    /** Creates an empty queue for one level. */
    SchedulingQueue createQueue(SchedulingLevel level);
}
