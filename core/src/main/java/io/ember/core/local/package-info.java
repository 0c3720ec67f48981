/**
 * The local modes. {@code local[N]}: the executor's {@link io.ember.core.executor.TaskExecutor} on N
 * threads of the driver's JVM, which the task scheduler calls through a gateway in Ember's own types
 * ({@link io.ember.core.local.LocalModeLauncher}). {@code local-cluster[W,C]}: an embedded
 * ZooKeeper, a master and W workers with C cores each in this JVM, executors as real processes,
 * started for one application ({@link io.ember.core.local.LocalClusterLauncher}) or on its own
 * ({@link io.ember.core.local.LocalCluster}).
 */
package io.ember.core.local;
