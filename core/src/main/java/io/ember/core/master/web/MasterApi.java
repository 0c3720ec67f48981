package io.ember.core.master.web;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * The resources of a master's REST API under {@code /api/v1/}, as JSON through {@code Json}: each
 * record's component names are its fields' names, the stable API that {@code docs/monitoring.md}
 * documents (and {@code ember status} reads). An absent text is empty, never null; an absent time
 * is 0. Sizes are in MiB ({@code memoryMb}), times in milliseconds since the epoch, durations in
 * milliseconds.
 */
public final class MasterApi {

    private MasterApi() {
    }

    /**
     * {@code /api/v1/master}: this master.
     *
     * @param masterId its id in the election
     * @param state {@code LEADER} or {@code STANDBY}
     * @param epoch the leadership's epoch: its own while it leads, else the leader's it knows of (0 for none)
     * @param cluster the cluster's name
     * @param address where its RPC server is reached, {@code host:port}
     * @param zooKeeper the ZooKeeper connect string it uses
     * @param leaderId the leader's id; empty when there is none now
     * @param leaderAddress the leader's RPC address; empty when there is none
     * @param leaderUrl the leader's web UI; empty when there is none or it serves none
     * @param uiUrl this master's web UI
     */
    public record Master(String masterId, String state, long epoch, String cluster, String address,
                         String zooKeeper, String leaderId, String leaderAddress, String leaderUrl, String uiUrl) {

        public Master {
            requireNonNull(masterId, "masterId is null");
            requireNonNull(state, "state is null");
            requireNonNull(cluster, "cluster is null");
            requireNonNull(address, "address is null");
            requireNonNull(zooKeeper, "zooKeeper is null");
            requireNonNull(leaderId, "leaderId is null");
            requireNonNull(leaderAddress, "leaderAddress is null");
            requireNonNull(leaderUrl, "leaderUrl is null");
            requireNonNull(uiUrl, "uiUrl is null");
        }

        /** Whether it leads. */
        public boolean leads() {
            return "LEADER".equals(state);
        }
    }

    /**
     * {@code /api/v1/workers}: a worker as the leader knows it.
     *
     * @param id its id
     * @param host where it (and its shuffle service) is reached
     * @param rpcPort its control-plane port
     * @param state {@code ALIVE}, {@code UNREACHABLE} (it did not take a launch: nothing is placed on it
     *     for now) or {@code RECOVERING} (known from ZooKeeper after a takeover, not registered yet)
     * @param cores cores it offers
     * @param coresUsed cores its executors hold, launching or running
     * @param memoryMb memory it offers
     * @param memoryUsedMb memory its executors hold
     * @param shufflePort its host's shuffle service; 0 for none
     * @param executors its executors, launching or running
     * @param lastContact when it last registered or reported an executor to the leader; 0 when not since
     *     the leader took over (workers do not heartbeat the master: their ZooKeeper session is their
     *     liveness)
     * @param uiUrl its web UI; empty when it serves none
     */
    public record Worker(String id, String host, int rpcPort, String state, int cores, int coresUsed, long memoryMb,
                         long memoryUsedMb, int shufflePort, int executors, long lastContact, String uiUrl) {

        public Worker {
            requireNonNull(id, "id is null");
            requireNonNull(host, "host is null");
            requireNonNull(state, "state is null");
            requireNonNull(uiUrl, "uiUrl is null");
        }
    }

    /**
     * {@code /api/v1/applications}: an application, registered or ended in this leader's term.
     *
     * @param id its id
     * @param name its name
     * @param queue the application scheduler's queue it is in
     * @param state {@code RUNNING} (it has every executor it asks for), {@code WAITING} (it lacks some),
     *     {@code FAILED} (given up: its executors failed too often), or once ended {@code FINISHED} (its
     *     driver unregistered it), {@code LOST} (its driver went away) or {@code FAILED}
     * @param coresGranted cores its executors hold, launching or running
     * @param coresPerExecutor cores of each executor
     * @param memoryPerExecutorMb memory of each executor
     * @param executorsRequested executors it asks for now
     * @param executors its executors, launching or running; none once it ended
     * @param submissionTime when it first registered
     * @param endTime when it ended; 0 while it runs
     * @param durationMillis from its registration to now, or to its end
     * @param endReason why it ended; empty while it runs
     * @param uiUrl its driver's web UI; empty when the driver serves none or did not say
     */
    public record Application(String id, String name, String queue, String state, int coresGranted,
                              int coresPerExecutor, long memoryPerExecutorMb, int executorsRequested,
                              List<Executor> executors, long submissionTime, long endTime, long durationMillis,
                              String endReason, String uiUrl) {

        public Application {
            requireNonNull(id, "id is null");
            requireNonNull(name, "name is null");
            requireNonNull(queue, "queue is null");
            requireNonNull(state, "state is null");
            executors = List.copyOf(requireNonNull(executors, "executors is null"));
            requireNonNull(endReason, "endReason is null");
            requireNonNull(uiUrl, "uiUrl is null");
        }

        /** Whether it has ended. */
        public boolean ended() {
            return endTime > 0;
        }
    }

    /**
     * An executor of an application, as the leader placed it.
     *
     * @param id its id within the application
     * @param workerId the worker it runs on
     * @param host that worker's host
     * @param cores its cores
     * @param memoryMb its memory
     * @param state {@code LAUNCHING} (placed; its process has not registered yet) or {@code RUNNING}
     */
    public record Executor(String id, String workerId, String host, int cores, long memoryMb, String state) {

        public Executor {
            requireNonNull(id, "id is null");
            requireNonNull(workerId, "workerId is null");
            requireNonNull(host, "host is null");
            requireNonNull(state, "state is null");
        }
    }

    /**
     * {@code /api/v1/queues}: a queue of the application scheduler ({@code ember.scheduler}) and its share.
     *
     * @param name its name ({@code ember.app.queue})
     * @param mode how its applications share its cores: {@code fifo} or {@code fair}
     * @param weight its share relative to the other queues once every minShare is met
     * @param minShare cores it is owed before weights apply
     * @param maxShare the most cores it may hold; null when unbounded
     * @param coresHeld cores its applications' executors hold, launching or running
     * @param coresPending further cores its applications asked for and lack (its demand)
     * @param applications registered applications in it
     */
    public record Queue(String name, String mode, double weight, int minShare, Integer maxShare, int coresHeld,
                        int coresPending, int applications) {

        public Queue {
            requireNonNull(name, "name is null");
            requireNonNull(mode, "mode is null");
        }
    }
}
