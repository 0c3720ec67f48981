package io.ember.core.cli;

import static java.util.Objects.requireNonNull;

import io.ember.core.master.web.MasterApi;
import java.util.List;

/**
 * What {@code ember status} reports, and the document {@code --json} prints (its component names
 * are the fields' names, documented in {@code docs/monitoring.md}): the masters from ZooKeeper, the
 * workers and applications from the leader's REST API, and totals.
 *
 * @param cluster the cluster's name
 * @param zooKeeper the ZooKeeper connect string it was read from
 * @param leader the leader master
 * @param masters every master in the election, the leader first
 * @param workers the leader's {@code /api/v1/workers}
 * @param applications the leader's {@code /api/v1/applications}: registered ones, then those that ended
 *     in its term
 * @param totals counts over them
 */
record ClusterStatus(String cluster, String zooKeeper, Leader leader, List<Master> masters,
                     List<MasterApi.Worker> workers, List<MasterApi.Application> applications, Totals totals) {

    ClusterStatus {
        requireNonNull(cluster, "cluster is null");
        requireNonNull(zooKeeper, "zooKeeper is null");
        requireNonNull(leader, "leader is null");
        masters = List.copyOf(requireNonNull(masters, "masters is null"));
        workers = List.copyOf(requireNonNull(workers, "workers is null"));
        applications = List.copyOf(requireNonNull(applications, "applications is null"));
        requireNonNull(totals, "totals is null");
    }

    /**
     * The leader, as its ZooKeeper record names it.
     *
     * @param masterId its id
     * @param address its RPC address
     * @param epoch its leadership's epoch
     * @param uiUrl its web UI and REST API
     */
    record Leader(String masterId, String address, long epoch, String uiUrl) {
    }

    /**
     * A master in the election.
     *
     * @param masterId its id
     * @param role {@code LEADER} or {@code STANDBY}
     */
    record Master(String masterId, String role) {
    }

    /**
     * Counts over the cluster.
     *
     * @param workers registered workers
     * @param cores cores they offer
     * @param coresUsed cores executors hold
     * @param applications registered applications (not ended)
     * @param applicationsWaiting of those, the ones lacking executors they asked for
     * @param executors executors placed, launching or running
     * @param executorsRunning of those, the ones whose process runs
     */
    record Totals(int workers, int cores, int coresUsed, int applications, int applicationsWaiting, int executors,
                  int executorsRunning) {

        static Totals of(List<MasterApi.Worker> workers, List<MasterApi.Application> applications) {
            int cores = workers.stream().mapToInt(MasterApi.Worker::cores).sum();
            int coresUsed = workers.stream().mapToInt(MasterApi.Worker::coresUsed).sum();
            List<MasterApi.Application> live = applications.stream().filter(a -> !a.ended()).toList();
            int waiting = (int) live.stream().filter(a -> a.state().equals("WAITING")).count();
            int executors = live.stream().mapToInt(a -> a.executors().size()).sum();
            int running = (int) live.stream().flatMap(a -> a.executors().stream())
                    .filter(e -> e.state().equals("RUNNING")).count();
            return new Totals(workers.size(), cores, coresUsed, live.size(), waiting, executors, running);
        }
    }
}
