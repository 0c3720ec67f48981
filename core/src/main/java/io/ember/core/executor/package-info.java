/**
 * The executor process: {@link io.ember.core.executor.ExecutorMain} parses the command line a
 * worker writes ({@link io.ember.core.executor.ExecutorArguments}) and runs an
 * {@link io.ember.core.executor.ExecutorBackend}, which registers with its driver over one
 * bidirectional stream and in ZooKeeper's executor registry, heartbeats, and exits when the driver
 * goes away.
 */
package io.ember.core.executor;
