package io.ember.core.driver;

import io.ember.api.scheduler.SchedulingPolicy;

/** A cluster a {@link ClusterLauncher} started: how to reach it, and how to stop it. */
public interface ClusterHandle extends AutoCloseable {

    /** The ZooKeeper ensemble of the cluster, {@code host:port[,host:port...]}. */
    String zookeeperConnect();

    /** The cluster's name (its namespace under {@code /ember}). */
    String cluster();

    /**
     * The driver's scheduler settings were reloaded: a cluster whose master runs in this process (and
     * so shares the driver's configuration) orders applications by the new policy too. Does nothing by
     * default.
     */
    default void replaceSchedulingPolicy(SchedulingPolicy policy) {
    }

    /** Stops the cluster: masters, workers (and their executors), then ZooKeeper. Idempotent. */
    @Override
    void close();
}
