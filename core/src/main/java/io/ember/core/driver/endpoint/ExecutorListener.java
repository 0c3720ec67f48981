package io.ember.core.driver.endpoint;

import io.ember.api.cluster.ExecutorInfo;

/**
 * Hears executors join and leave a driver ({@link DriverEndpoint#addListener}).
 *
 * <p>Threading: called on the endpoint's one event thread, in the order the changes happened
 * (an executor's {@code executorAdded} always comes before its {@code executorRemoved}). Calls must
 * return quickly; an exception is logged and otherwise ignored.
 */
public interface ExecutorListener {

    /** An executor registered on its stream. */
    default void executorAdded(ExecutorInfo executor) {
    }

    /**
     * An executor left: its stream ended or broke, it was silent for longer than
     * {@code ember.executor.heartbeatTimeout}, it connected again on a new stream (an
     * {@code executorAdded} follows), or the driver shut it down.
     *
     * @param reason why, in an operator's words, e.g. {@code "no heartbeat for 10s"}
     */
    default void executorRemoved(ExecutorInfo executor, String reason) {
    }
}
