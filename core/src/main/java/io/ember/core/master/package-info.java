/**
 * The master: {@link MasterServer} joins the leader election and, while it leads, runs a
 * {@link Leadership} term on its event loop: the cluster's state ({@link MasterState}) rebuilt from
 * ZooKeeper and re-registrations ({@link Recovery}), the applications' lifecycle
 * ({@link Applications}), and executor placement on workers' free cores through the application
 * scheduler plugin, with relaunches under back-off and applications given up when their executors
 * keep failing ({@link ExecutorLaunches}, {@link ExecutorFailures}). Drivers follow their
 * applications through {@link ApplicationWatchers}: failed executors, why executors are missing, an
 * application given up.
 *
 * <p>The decisions take and return the master's own types and command workers through a
 * {@link WorkerGateway}. Only the transport adapters see {@code io.ember.core.rpc.proto}:
 * {@link MasterRpc} (requests in), {@link GrpcWorkerGateway} (commands out), {@link ZooKeeperRecords}
 * (the stored records, which stay protobuf) and {@link MasterMessages} (their conversions);
 * {@code ArchitectureTest} keeps it so.
 */
package io.ember.core.master;
