package io.ember.core.worker.web;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;

/**
 * A worker and its executors at one moment: what its page, REST resources and metrics show.
 *
 * @param worker the worker
 * @param executors its executors launching or running, oldest first, then the last ones that ended,
 *     newest first
 * @param activity what it has done since it started
 */
public record WorkerStatus(WorkerApi.Worker worker, List<WorkerApi.Executor> executors, Activity activity) {

    public WorkerStatus {
        requireNonNull(worker, "worker is null");
        executors = List.copyOf(requireNonNull(executors, "executors is null"));
        requireNonNull(activity, "activity is null");
    }

    /**
     * The worker process's counts and connections, for its metrics.
     *
     * @param executorsLaunched executors it launched
     * @param executorsEnded executors that ended, by how: {@code exited}, {@code failed}, {@code killed}
     * @param shuffleApplications applications whose files or registrations its embedded shuffle service
     *     holds; -1 when it embeds none
     * @param zooKeeperConnected whether its ZooKeeper client is connected now
     * @param rpcErrors the calls its RPC server ended with a status other than OK, by status code
     */
    public record Activity(long executorsLaunched, Map<String, Long> executorsEnded, int shuffleApplications,
                           boolean zooKeeperConnected, Map<String, Long> rpcErrors) {

        public Activity {
            executorsEnded = Map.copyOf(requireNonNull(executorsEnded, "executorsEnded is null"));
            rpcErrors = Map.copyOf(requireNonNull(rpcErrors, "rpcErrors is null"));
        }
    }
}
