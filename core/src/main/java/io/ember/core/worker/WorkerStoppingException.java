package io.ember.core.worker;

/** The worker is stopping and takes no more executors; the message says so, naming the worker. */
final class WorkerStoppingException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    WorkerStoppingException(String workerId) {
        super("worker " + workerId + " is stopping");
    }
}
