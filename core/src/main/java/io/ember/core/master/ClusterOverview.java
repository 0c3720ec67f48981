package io.ember.core.master;

import static java.util.Objects.requireNonNull;

import io.ember.api.cluster.WorkerInfo;
import io.ember.api.scheduler.GroupStatus;
import java.util.List;
import java.util.Optional;

/**
 * What the leader knows of the cluster at one moment, for {@code DescribeCluster}: its workers, its
 * applications with their requests and running executors, and the application scheduler's queues.
 *
 * @param epoch the term's epoch
 * @param workers the registered workers
 * @param applications the registered applications, in the order the leader keeps them
 * @param queues the application scheduler's queues, sorted by name
 */
record ClusterOverview(long epoch, List<WorkerInfo> workers, List<Application> applications, List<GroupStatus> queues) {

    ClusterOverview {
        workers = List.copyOf(requireNonNull(workers, "workers is null"));
        applications = List.copyOf(requireNonNull(applications, "applications is null"));
        queues = List.copyOf(requireNonNull(queues, "queues is null"));
    }

    /**
     * One application.
     *
     * @param appId its id
     * @param description what its driver asked for, when the leader has it
     * @param requestedExecutors how many executors it asks for now
     * @param executors its executors, placed and not known to have ended
     */
    record Application(String appId, Optional<ApplicationDescription> description, int requestedExecutors,
                       List<ExecutorRecord> executors) {

        Application {
            requireNonNull(appId, "appId is null");
            requireNonNull(description, "description is null");
            executors = List.copyOf(requireNonNull(executors, "executors is null"));
        }
    }
}
