package io.ember.core.executor;

/**
 * What an executor tells its driver at every heartbeat.
 *
 * @param sentAtMillis the executor's wall clock when it sent it
 * @param activeTasks tasks launched and not ended
 * @param heapUsedBytes the JVM's heap in use
 * @param storageUsedBytes what the executor's cached blocks take
 */
record ExecutorHeartbeat(long sentAtMillis, int activeTasks, long heapUsedBytes, long storageUsedBytes) {
}
