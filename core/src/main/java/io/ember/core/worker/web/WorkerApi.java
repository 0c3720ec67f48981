package io.ember.core.worker.web;

import static java.util.Objects.requireNonNull;

/**
 * The resources of a worker's REST API under {@code /api/v1/}, as JSON through {@code Json}: each
 * record's component names are its fields' names, the stable API that {@code docs/monitoring.md}
 * documents. An absent text is empty, never null; an absent time is 0. Sizes are in MiB
 * ({@code memoryMb}), times in milliseconds since the epoch.
 */
public final class WorkerApi {

    private WorkerApi() {
    }

    /**
     * {@code /api/v1/worker}: this worker.
     *
     * @param id its id
     * @param host where it, its shuffle service and its executors are reached
     * @param rpcPort its control-plane port
     * @param cores cores it offers to executors
     * @param coresUsed cores its executors hold, launching or running
     * @param memoryMb memory it offers to executors
     * @param memoryUsedMb memory its executors hold
     * @param executors its executors launching or running
     * @param shufflePort the port of its host's shuffle service; 0 for none (executors serve their own blocks)
     * @param shuffleServiceEmbedded whether it runs that service itself (else {@code ember shuffle-service} does)
     * @param masterId the leader it follows; empty when there is none now
     * @param masterAddress the leader's RPC address; empty when there is none
     * @param masterUrl the leader's web UI; empty when there is none, or it serves none
     * @param uiUrl this worker's web UI
     * @param workDir where its executors' work directories (and their logs) are
     */
    public record Worker(String id, String host, int rpcPort, int cores, int coresUsed, long memoryMb,
                         long memoryUsedMb, int executors, int shufflePort, boolean shuffleServiceEmbedded,
                         String masterId, String masterAddress, String masterUrl, String uiUrl, String workDir) {

        public Worker {
            requireNonNull(id, "id is null");
            requireNonNull(host, "host is null");
            requireNonNull(masterId, "masterId is null");
            requireNonNull(masterAddress, "masterAddress is null");
            requireNonNull(masterUrl, "masterUrl is null");
            requireNonNull(uiUrl, "uiUrl is null");
            requireNonNull(workDir, "workDir is null");
        }
    }

    /**
     * {@code /api/v1/executors}: an executor this worker launched, running or among the last ones
     * that ended.
     *
     * @param id its id within its application
     * @param appId its application
     * @param cores its cores
     * @param memoryMb its heap
     * @param state {@code LAUNCHING}, {@code RUNNING}, {@code EXITED} (exit code 0), {@code FAILED}
     *     (another exit code, or it could not start) or {@code KILLED} (the worker stopped it)
     * @param pid its process id; 0 when it has not started
     * @param startTime when the worker was asked to launch it
     * @param endTime when it ended; 0 while it lives
     * @param exitCode its exit code once ended; else 0
     * @param hasLogs whether it has log files ({@code /logs/<appId>/<id>/stdout} and {@code stderr}):
     *     its process started
     */
    public record Executor(String id, String appId, int cores, long memoryMb, String state, long pid,
                           long startTime, long endTime, int exitCode, boolean hasLogs) {

        public Executor {
            requireNonNull(id, "id is null");
            requireNonNull(appId, "appId is null");
            requireNonNull(state, "state is null");
        }

        /** Whether it is launching or running. */
        public boolean live() {
            return endTime == 0;
        }
    }
}
