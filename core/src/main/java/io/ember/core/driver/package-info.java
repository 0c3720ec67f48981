/**
 * The driver: the application author's {@link io.ember.core.driver.EmberContext} and what it runs
 * on. {@link io.ember.core.driver.MasterUrl} parses {@code ember.master};
 * {@link io.ember.core.driver.DriverEndpoint} serves the executors' streams (registration,
 * heartbeats, shutdown); {@link io.ember.core.driver.ApplicationClient} registers the application
 * with the leader master and follows it across failovers, and is the allocation policy's
 * {@link io.ember.api.allocation.ExecutorAllocationClient}; it describes the application as an
 * {@link io.ember.core.driver.ApplicationDescriptor} and reaches the master through a
 * {@code MasterGateway}, whose gRPC adapter is {@code MasterCalls}; a
 * {@link io.ember.core.driver.ClusterLauncher} starts the cluster of {@code local-cluster[W,C]}.
 */
package io.ember.core.driver;
