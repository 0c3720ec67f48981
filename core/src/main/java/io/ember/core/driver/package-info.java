/**
 * The driver: the application author's {@link io.ember.core.driver.EmberContext} and the runtime
 * it runs on, chosen once by {@code ember.master} ({@link io.ember.core.driver.MasterUrl}): one
 * in-process executor for {@code local[N]} ({@code LocalRuntime}, started through the
 * {@link io.ember.core.driver.LocalMode} service), or a cluster's executors ({@code ClusterRuntime},
 * whose {@code ClusterSession} wires the endpoint, the master client and the allocation policy's
 * {@code AllocationLoop}; a {@link io.ember.core.driver.ClusterLauncher} starts the cluster of
 * {@code local-cluster[W,C]}).
 *
 * <p>The driver's two conversations have packages of their own, which never use this one:
 * {@link io.ember.core.driver.endpoint} serves the executors, {@link io.ember.core.driver.client}
 * talks to the leader master.
 */
package io.ember.core.driver;
