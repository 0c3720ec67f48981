package io.ember.core.master;

import static java.util.Objects.requireNonNull;

import io.ember.api.cluster.WorkerInfo;
import java.util.List;
import java.util.Set;

/**
 * The cluster as ZooKeeper records it when a term begins, read into the master's own types (records
 * that cannot be read are left out): what a new leader rebuilds its state from.
 *
 * @param workers the live workers
 * @param applications the registered applications
 * @param executors the live executors, in the order of their applications
 * @param liveDrivers the applications whose driver is alive
 */
record RecoveredCluster(List<WorkerInfo> workers, List<Application> applications, List<ExecutorRecord> executors,
                        Set<String> liveDrivers) {

    RecoveredCluster {
        workers = List.copyOf(requireNonNull(workers, "workers is null"));
        applications = List.copyOf(requireNonNull(applications, "applications is null"));
        executors = List.copyOf(requireNonNull(executors, "executors is null"));
        liveDrivers = Set.copyOf(requireNonNull(liveDrivers, "liveDrivers is null"));
    }

    /** Nothing at all: the first leader of a new cluster. */
    static final RecoveredCluster EMPTY = new RecoveredCluster(List.of(), List.of(), List.of(), Set.of());

    /**
     * One stored application.
     *
     * @param appId its id (the name of its record)
     * @param description what its driver asked for
     * @param requestedExecutors its executor request when it was stored
     * @param registrationOrder its place in the order applications registered in
     * @param registeredAtMillis when it first registered, in milliseconds since the epoch; 0 when its
     *     record does not say (written by a leader before they kept it)
     */
    record Application(String appId, ApplicationDescription description, int requestedExecutors,
                       long registrationOrder, long registeredAtMillis) {

        Application {
            requireNonNull(appId, "appId is null");
            requireNonNull(description, "description is null");
        }
    }
}
