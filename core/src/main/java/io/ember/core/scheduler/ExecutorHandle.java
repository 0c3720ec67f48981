package io.ember.core.scheduler;

import io.ember.core.rpc.proto.DriverMessage;

/**
 * How the task scheduler reaches one executor: its stream in a cluster, the in-process executor in
 * {@code local[N]}.
 */
public interface ExecutorHandle {

    /** The executor's id. */
    String executorId();

    /** The host it runs on. */
    String host();

    /** Its cores. */
    int cores();

    /**
     * Sends a message; never blocks on the executor and never throws (a message to an executor
     * that went away is dropped: its loss is reported separately).
     */
    void send(DriverMessage message);
}
