/**
 * The worker: {@link io.ember.core.worker.WorkerServer} registers with the leader master (in
 * ZooKeeper and over RPC, through its {@link io.ember.core.worker.LeaderLink}), launches executors
 * as JVM processes in work directories of their own ({@link io.ember.core.worker.WorkerExecutors}),
 * reports their exits, and hosts the shuffle plugin's external service. It knows the executor only
 * by its launch contract ({@code ExecutorMain} and {@code ExecutorArguments}).
 *
 * <p>Its decisions take the worker's own types ({@code ExecutorAssignment}, {@code ExecutorReport},
 * {@code WorkerRegistration}, ...); only its transport adapters build or parse protobuf messages:
 * {@code WorkerRpc} (the leader's commands in), {@code GrpcLeaderGateway} (registration and reports
 * out, behind the {@code LeaderGateway}), {@code WorkerNode} (its record in ZooKeeper) and
 * {@code WorkerMessages} (their conversions).
 */
package io.ember.core.worker;
