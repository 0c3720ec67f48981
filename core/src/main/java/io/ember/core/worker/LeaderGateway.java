package io.ember.core.worker;

import io.ember.core.coordination.LeaderInfo;

/**
 * How a worker's {@link LeaderLink} talks to the leader master, in the worker's own types; the
 * transport behind it ({@link GrpcLeaderGateway}) is the only place that knows the wire.
 *
 * <p>Threading: called on the link's thread, one call at a time; each call blocks until the leader
 * answers or the call's deadline passes, and throws a {@link LeaderCallException} saying in one
 * line why the leader did not take it.
 */
interface LeaderGateway {

    /**
     * Registers the worker with {@code leader}.
     *
     * @return the leader epoch the leader answered with
     */
    long register(LeaderInfo leader, WorkerRegistration registration);

    /** Tells {@code leader} of one executor's new state. */
    void report(LeaderInfo leader, String workerId, ExecutorReport report);

    /** The worker talks to {@code leader} no more (another leads, elsewhere): let go of what is kept for it. */
    void forget(LeaderInfo leader);
}
