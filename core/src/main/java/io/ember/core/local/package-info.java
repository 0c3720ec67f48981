/**
 * {@code local-cluster[W,C]}: an embedded ZooKeeper, a master and W workers with C cores each in
 * this JVM, executors as real processes, started for one application
 * ({@link io.ember.core.local.LocalClusterLauncher}) or on its own
 * ({@link io.ember.core.local.LocalCluster}).
 */
package io.ember.core.local;
