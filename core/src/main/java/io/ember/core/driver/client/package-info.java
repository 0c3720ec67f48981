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
 *
 * <h2>{@link ApplicationClient}</h2>
 *
 * <p><b>Registration.</b> {@link ApplicationClient#register} finds the leader through a
 * {@link io.ember.core.coordination.LeaderTracker} and calls {@code RegisterApplication} (each call
 * with an {@code ember.rpc.timeout} deadline), retrying, against whoever leads at the time, until a
 * leader accepts or the leader timeout passes. Right after the first success it creates the
 * driver's ephemeral liveness node {@code /ember/<cluster>/apps/<app>/driver}: the master ends the
 * application when that node vanishes (the driver's process or session died).
 *
 * <p><b>Failover.</b> On every new leader the client registers the application again with the same
 * id and the latest requested total, so the application and its executors survive; it retries until
 * a leader accepts (or the application is unregistered or the client closed). Executor kills not
 * yet acknowledged are sent again to the new leader.
 *
 * <p><b>Fencing.</b> The client records every leader epoch it sees (from ZooKeeper and from
 * responses) in an {@link io.ember.core.rpc.EpochFence}; a registration response carrying an older
 * epoch than the newest seen comes from a deposed master and is ignored (the call is retried on the
 * leader).
 *
 * <p><b>Watching.</b> From the first registration on, the client follows what the leader tells
 * about the application ({@code WatchApplication}: executors that failed, why executors are
 * missing, the application given up) and passes it to its {@link ApplicationEvents}; the watch
 * moves to each new leader with the re-registration ({@link ApplicationWatch}).
 *
 * <p>Following the leader and waiting between attempts are the
 * {@link io.ember.core.coordination.LeaderConversation}'s (the worker's LeaderLink has one too);
 * registering and unregistering against the leader of the moment are {@link LeaderCalls}',
 * registering again after a failover or a session loss {@link Reregistration}'s, the queued
 * executor requests {@link ExecutorRequests}'. Every call reaches the master through a
 * {@link MasterGateway} ({@link MasterCalls} over gRPC), so the client speaks the driver's own
 * types only.
 *
 * <p><b>Threading.</b> Thread-safe. {@link ApplicationClient#register} blocks its caller. Every
 * later call to the master runs on this client's one thread, in order, so executor requests reach
 * the master in the order they were made; {@link ApplicationClient#requestTotalExecutors} and
 * {@link ApplicationClient#killExecutors} only queue the request and return at once, as
 * {@link io.ember.api.allocation.ExecutorAllocationClient} promises. A request that fails is
 * retried shortly, the latest total only. {@link ApplicationClient#close()} is idempotent.
 */
package io.ember.core.driver.client;
