package io.ember.api.cluster;

/**
 * An executor: a JVM (or, in {@code local[N]} mode, a set of threads) that runs one application's
 * tasks on a thread pool, keeps its cached blocks, and heartbeats to its driver.
 *
 * <p>Contract: an executor registers with its driver and in the executor registry, runs at most
 * {@link ExecutorInfo#cores()} tasks at a time, and exits when its driver goes away.
 *
 * <p>Threading: the query methods are thread-safe; {@link #close()} is idempotent.
 */
public interface Executor extends AutoCloseable {

    /** This executor's registration. */
    ExecutorInfo info();

    /** Tasks running now. */
    int activeTasks();

    /** Stops accepting tasks, interrupts running ones and exits. */
    @Override
    void close();
}
