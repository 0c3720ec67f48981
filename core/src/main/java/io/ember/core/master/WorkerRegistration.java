package io.ember.core.master;

import static java.util.Objects.requireNonNull;

import io.ember.api.cluster.WorkerInfo;
import java.util.List;

/**
 * A worker registering with the leader: what it offers, and the executors it already runs or is
 * starting (after a takeover, its report is the truth about them).
 *
 * @param worker the worker's address and resources
 * @param executors what the worker reports of its executors
 * @param uiUrl the base URL of the worker's web UI; empty when it serves none
 */
record WorkerRegistration(WorkerInfo worker, List<ExecutorReport> executors, String uiUrl) {

    WorkerRegistration {
        requireNonNull(worker, "worker is null");
        executors = List.copyOf(requireNonNull(executors, "executors is null"));
        requireNonNull(uiUrl, "uiUrl is null");
    }

    /** A worker without a web UI. */
    WorkerRegistration(WorkerInfo worker, List<ExecutorReport> executors) {
        this(worker, executors, "");
    }
}
