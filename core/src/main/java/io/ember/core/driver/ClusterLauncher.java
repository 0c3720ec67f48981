package io.ember.core.driver;

import io.ember.core.bootstrap.EmberEnvironment;

/**
 * Starts a cluster on this machine for {@code ember.master=local-cluster[W,C]}: an embedded
 * ZooKeeper, a master and {@code W} workers of {@code C} cores each. {@link EmberContext} calls it
 * before it connects, then treats the result like any running cluster.
 *
 * <p>Implemented outside this package (the local-cluster runtime); an {@link EmberContext} is given
 * one through its builder, or finds one with {@link java.util.ServiceLoader}.
 */
public interface ClusterLauncher {

    /**
     * Starts the cluster and returns once its leader master is elected (or about to be: the driver
     * waits for the leader up to {@code ember.rpc.timeout}).
     *
     * @param environment the application's configuration (secret, ports, executor settings) and
     *     loaded plugins (the local master schedules with the configured scheduler plugin)
     * @return the running cluster; the context closes it last
     * @throws RuntimeException with one line for an operator when the cluster cannot start
     */
    ClusterHandle start(MasterUrl.LocalClusterUrl url, EmberEnvironment environment);
}
