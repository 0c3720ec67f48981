package io.ember.core.master.web;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;

/**
 * A master and, when it leads, its cluster, at one moment: what its pages, REST resources and
 * metrics show. A standby knows no workers, applications or queues (it names the leader instead).
 *
 * @param master the master itself
 * @param workers the registered workers, sorted by id
 * @param applications the registered applications in the leader's order, then the ones that ended
 *     in this term, newest first
 * @param queues the application scheduler's queues, sorted by name
 * @param activity what the master process has done since it started
 */
public record MasterStatus(MasterApi.Master master, List<MasterApi.Worker> workers,
                           List<MasterApi.Application> applications, List<MasterApi.Queue> queues,
                           Activity activity) {

    public MasterStatus {
        requireNonNull(master, "master is null");
        workers = List.copyOf(requireNonNull(workers, "workers is null"));
        applications = List.copyOf(requireNonNull(applications, "applications is null"));
        queues = List.copyOf(requireNonNull(queues, "queues is null"));
        requireNonNull(activity, "activity is null");
    }

    /**
     * The master process's counts and connections, for its metrics.
     *
     * @param leaderships times it became the leader
     * @param executorsLaunched executors it asked workers to launch
     * @param executorsFailed executors that failed
     * @param executorRequests executor requests drivers sent it as the leader
     * @param executorKills executors drivers asked it to kill
     * @param zooKeeperConnected whether its ZooKeeper client is connected now
     * @param rpcErrors the calls its RPC server ended with a status other than OK, by status code
     */
    public record Activity(long leaderships, long executorsLaunched, long executorsFailed, long executorRequests,
                           long executorKills, boolean zooKeeperConnected, Map<String, Long> rpcErrors) {

        public Activity {
            rpcErrors = Map.copyOf(requireNonNull(rpcErrors, "rpcErrors is null"));
        }
    }
}
