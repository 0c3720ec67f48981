package io.ember.api.cluster;

import java.util.List;

/**
 * The driver of one application: the user's program. It registers the application with the
 * leader master, splits each action into jobs, stages and tasks, and schedules tasks on the
 * executors that register with it.
 *
 * <p>Contract: the driver follows the leader master across failovers without losing its executors.
 * When it stops (or its process dies), the cluster stops its executors.
 *
 * <p>Threading: the query methods are thread-safe snapshots; {@link #close()} is idempotent.
 */
public interface Driver extends AutoCloseable {

    /** The application this driver runs. */
    ApplicationInfo application();

    /** The executors registered with this driver now. */
    List<ExecutorInfo> executors();

    /** Ends the application: releases its executors and deregisters it. */
    @Override
    void close();
}
