package io.ember.api.cluster;

import java.util.List;

/**
 * A worker process: offers a host's cores and memory to the cluster, launches executors as child
 * JVMs when the leader master asks, reports their exits, and runs the host's external shuffle
 * service.
 *
 * <p>Contract: a worker follows whichever master is leader, re-registering when the leader changes;
 * it refuses commands whose epoch is older than the newest it has seen. When an application ends
 * or its driver disappears, the worker kills the application's executors and cleans up their work
 * directories.
 *
 * <p>Threading: the query methods are thread-safe snapshots; {@link #close()} is idempotent and
 * kills the executors this worker launched.
 */
public interface Worker extends AutoCloseable {

    /** This worker's registration. */
    WorkerInfo info();

    /** The executors this worker has running now. */
    List<ExecutorInfo> executors();

    /** Deregisters, stops its executors and stops serving. */
    @Override
    void close();
}
