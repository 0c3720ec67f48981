package io.ember.core.worker;

import static java.util.Objects.requireNonNull;

/**
 * What a worker tells the leader about one of its executors: when it registers (the executors
 * launching or running) and whenever one changes state.
 *
 * @param executor the executor, as placed on this worker
 * @param status where its process is
 * @param exitCode the process's exit code once it ended, else 0
 * @param message why it ended, or empty
 * @param pid its process id once started, else 0
 * @param output when it failed, the last lines it wrote; else {@link ExecutorOutput#NONE}
 */
record ExecutorReport(ExecutorAssignment executor, Status status, int exitCode, String message, long pid,
                      ExecutorOutput output) {

    ExecutorReport {
        requireNonNull(executor, "executor is null");
        requireNonNull(status, "status is null");
        requireNonNull(message, "message is null");
        requireNonNull(output, "output is null");
    }

    /** A report without output: of an executor starting, running, or ending without failing. */
    ExecutorReport(ExecutorAssignment executor, Status status, int exitCode, String message, long pid) {
        this(executor, status, exitCode, message, pid, ExecutorOutput.NONE);
    }

    /** Where an executor's process is, as its worker sees it. */
    enum Status {
        /** The worker is starting the process. */
        LAUNCHING,
        /** The process is up. */
        RUNNING,
        /** The process ended with exit code 0. */
        EXITED,
        /** The process ended with a non-zero exit code or could not start. */
        FAILED,
        /** The worker stopped it (on request, or because the worker stopped). */
        KILLED
    }
}
