/**
 * The driver's client of the leader master: {@link io.ember.core.driver.client.ApplicationClient}
 * registers the application (an {@link io.ember.core.driver.client.ApplicationDescriptor}) with the
 * leader, registers it again after a failover or a lost ZooKeeper session, and carries the
 * allocation policy's executor requests as its {@link io.ember.api.allocation.ExecutorAllocationClient}.
 * It follows what the leader tells about the application (failed executors, why executors are
 * missing, the application given up) and hands it to an
 * {@link io.ember.core.driver.client.ApplicationEvents}.
 *
 * <p>Its decisions reach the master through a {@code MasterGateway}, in the driver's own types;
 * only {@code MasterCalls} (the gRPC calls) and {@code ApplicationMessages} (the conversions) see
 * protobuf. It uses nothing else of the driver.
 */
package io.ember.core.driver.client;
