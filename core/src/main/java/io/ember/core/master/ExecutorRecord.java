package io.ember.core.master;

import static java.util.Objects.requireNonNull;

/**
 * One executor the leader placed (or learned of after a failover).
 *
 * @param appId the application it serves
 * @param executorId unique within the application
 * @param workerId the worker running it
 * @param cores its cores
 * @param memoryBytes its memory
 */
record ExecutorRecord(String appId, String executorId, String workerId, int cores, long memoryBytes) {

    ExecutorRecord {
        requireNonNull(appId, "appId is null");
        requireNonNull(executorId, "executorId is null");
        requireNonNull(workerId, "workerId is null");
    }
}
