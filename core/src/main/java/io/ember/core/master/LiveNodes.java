package io.ember.core.master;

/**
 * Which processes' ephemeral ZooKeeper nodes the master sees right now. A node that vanished and is
 * back belongs to a process that renewed its ZooKeeper session (after an outage of the ensemble, or
 * a long pause): the process is alive, and the term keeps what it runs.
 *
 * <p>Threading: called on the master's event loop; answers from the master's view of ZooKeeper and
 * never blocks.
 */
interface LiveNodes {

    /** Whether the worker's registration node exists. */
    boolean hasWorker(String workerId);

    /** Whether the executor's registration node exists. */
    boolean hasExecutor(String appId, String executorId);

    /** Whether the application's driver node exists. */
    boolean hasDriver(String appId);
}
