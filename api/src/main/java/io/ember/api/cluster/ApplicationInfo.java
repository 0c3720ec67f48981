package io.ember.api.cluster;

import java.util.Objects;

/**
 * An application registered with the master.
 *
 * @param applicationId unique in the cluster
 * @param name the name the user gave it
 * @param queue the master-level scheduling queue it competes in ({@code ember.app.queue})
 * @param coresPerExecutor cores of each of its executors, at least 1
 * @param memoryPerExecutorBytes memory of each of its executors, at least 1
 */
public record ApplicationInfo(String applicationId, String name, String queue, int coresPerExecutor,
                              long memoryPerExecutorBytes) {

    public ApplicationInfo {
        Objects.requireNonNull(applicationId, "applicationId is null");
        Objects.requireNonNull(name, "name is null");
        Objects.requireNonNull(queue, "queue is null");
        Checks.positive(coresPerExecutor, "coresPerExecutor");
        Checks.positive(memoryPerExecutorBytes, "memoryPerExecutorBytes");
    }
}
