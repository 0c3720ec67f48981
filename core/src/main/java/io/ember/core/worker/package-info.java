/**
 * The worker: {@link io.ember.core.worker.WorkerServer} registers with the leader master (in
 * ZooKeeper and over RPC, through its {@link io.ember.core.worker.LeaderLink}), launches executors
 * as JVM processes in work directories of their own, reports their exits, and hosts the shuffle
 * plugin's external service. It knows the executor only by its launch contract
 * ({@code ExecutorMain} and {@code ExecutorArguments}).
 */
package io.ember.core.worker;
