package io.ember.api.cluster;

import java.util.Objects;

/**
 * One executor process of one application.
 *
 * @param executorId unique within its application
 * @param applicationId the application it serves
 * @param workerId the worker that launched it
 * @param host the address its RPC endpoint listens on
 * @param rpcPort the port it serves on, or 0 when it serves nothing (executors talk to their driver
 *     over a stream they open themselves)
 * @param cores task slots it runs at once, at least 1
 */
public record ExecutorInfo(String executorId, String applicationId, String workerId, String host, int rpcPort, int cores) {

    public ExecutorInfo {
        Objects.requireNonNull(executorId, "executorId is null");
        Objects.requireNonNull(applicationId, "applicationId is null");
        Objects.requireNonNull(workerId, "workerId is null");
        Objects.requireNonNull(host, "host is null");
        if (rpcPort != 0) {
            Checks.port(rpcPort, "rpcPort");
        }
        Checks.positive(cores, "cores");
    }
}
