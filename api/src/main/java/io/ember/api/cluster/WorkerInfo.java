package io.ember.api.cluster;

import java.util.Objects;

/**
 * A worker as the master knows it.
 *
 * @param workerId unique in the cluster, stable for the worker process's life
 * @param host the address executors and the shuffle service are reached on
 * @param rpcPort the worker's control-plane port
 * @param shufflePort the port of the worker host's external shuffle service; 0 when it runs none
 * @param cores cores the worker offers to executors, at least 1
 * @param memoryBytes memory the worker offers to executors, at least 1
 */
public record WorkerInfo(String workerId, String host, int rpcPort, int shufflePort, int cores, long memoryBytes) {

    public WorkerInfo {
        Objects.requireNonNull(workerId, "workerId is null");
        Objects.requireNonNull(host, "host is null");
        Checks.port(rpcPort, "rpcPort");
        if (shufflePort != 0) {
            Checks.port(shufflePort, "shufflePort");
        }
        Checks.positive(cores, "cores");
        Checks.positive(memoryBytes, "memoryBytes");
    }
}
