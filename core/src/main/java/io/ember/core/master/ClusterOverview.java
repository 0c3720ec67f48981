package io.ember.core.master;

import static java.util.Objects.requireNonNull;

import io.ember.api.cluster.WorkerInfo;
import io.ember.api.scheduler.GroupStatus;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What the leader knows of the cluster at one moment, for {@code DescribeCluster} and the web UI: its
 * workers with what they use, its applications with their requests and running executors, the
 * application scheduler's queues, and the applications that ended in this term.
 *
 * @param epoch the term's epoch
 * @param workers the registered workers, sorted by id
 * @param applications the registered applications, in the order the leader keeps them
 * @param queues the application scheduler's queues, sorted by name
 * @param ended the applications that ended in this term, newest first (a bounded number)
 */
record ClusterOverview(long epoch, List<Worker> workers, List<Application> applications, List<GroupStatus> queues,
                       List<EndedApplication> ended) {

    ClusterOverview {
        workers = List.copyOf(requireNonNull(workers, "workers is null"));
        applications = List.copyOf(requireNonNull(applications, "applications is null"));
        queues = List.copyOf(requireNonNull(queues, "queues is null"));
        ended = List.copyOf(requireNonNull(ended, "ended is null"));
    }

    /** Where a worker stands with the leader. */
    enum WorkerState {
        /** Registered with this term, and takes launches. */
        ALIVE,
        /** It did not take a launch (dead, or stopping): nothing is placed on it for now. */
        UNREACHABLE,
        /** Known from ZooKeeper's record after a takeover; it has not registered with this term yet. */
        RECOVERING
    }

    /** Where an application stands with the leader. */
    enum ApplicationState {
        /** It has every executor it asks for. */
        RUNNING,
        /** It lacks executors it asked for. */
        WAITING,
        /** Given up: its executors failed too often, and none is launched for it any more. */
        FAILED
    }

    /**
     * One worker.
     *
     * @param info what it offers
     * @param uiUrl its web UI's base URL; empty when it has none or has not said yet
     * @param state where it stands
     * @param usedCores cores its executors hold, launching or running
     * @param usedMemoryBytes memory its executors hold
     * @param lastContact when it last registered or reported an executor to this term; empty when it has not yet
     */
    record Worker(WorkerInfo info, String uiUrl, WorkerState state, int usedCores, long usedMemoryBytes,
                  Optional<Instant> lastContact) {

        Worker {
            requireNonNull(info, "info is null");
            requireNonNull(uiUrl, "uiUrl is null");
            requireNonNull(state, "state is null");
            requireNonNull(lastContact, "lastContact is null");
        }
    }

    /**
     * One application.
     *
     * @param appId its id
     * @param description what its driver asked for, when the leader has it
     * @param requestedExecutors how many executors it asks for now
     * @param executors its executors, placed and not known to have ended
     * @param name its name
     * @param queue the queue it is in
     * @param state where it stands
     * @param registeredAt when it first registered
     * @param registeredExecutors the ids of its executors whose process has registered in ZooKeeper
     *     (running); the others are still launching
     */
    record Application(String appId, Optional<ApplicationDescription> description, int requestedExecutors,
                       List<ExecutorRecord> executors, String name, String queue, ApplicationState state,
                       Instant registeredAt, Set<String> registeredExecutors) {

        Application {
            requireNonNull(appId, "appId is null");
            requireNonNull(description, "description is null");
            executors = List.copyOf(requireNonNull(executors, "executors is null"));
            requireNonNull(name, "name is null");
            requireNonNull(queue, "queue is null");
            requireNonNull(state, "state is null");
            requireNonNull(registeredAt, "registeredAt is null");
            registeredExecutors = Set.copyOf(requireNonNull(registeredExecutors, "registeredExecutors is null"));
        }
    }
}
