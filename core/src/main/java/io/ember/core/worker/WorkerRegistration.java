package io.ember.core.worker;

import static java.util.Objects.requireNonNull;

import io.ember.api.cluster.WorkerInfo;
import java.util.List;

/**
 * What a worker tells each new leader when it registers: what it offers, and the executors it is
 * launching or running (after a takeover, the worker's word is the truth about them).
 *
 * @param worker the worker's address and resources
 * @param executors its executors launching or running
 * @param uiUrl the base URL of its web UI, for the master's pages; empty when it serves none
 */
record WorkerRegistration(WorkerInfo worker, List<ExecutorReport> executors, String uiUrl) {

    WorkerRegistration {
        requireNonNull(worker, "worker is null");
        executors = List.copyOf(requireNonNull(executors, "executors is null"));
        requireNonNull(uiUrl, "uiUrl is null");
    }

    /** A registration of a worker without a web UI. */
    WorkerRegistration(WorkerInfo worker, List<ExecutorReport> executors) {
        this(worker, executors, "");
    }
}
