package io.ember.core.master;

import static java.util.Objects.requireNonNull;

/**
 * What a worker says about one of its executors, when it registers or when the executor's state
 * changes.
 *
 * @param executor the executor: its application, id, worker and resources
 * @param status where the executor's process is
 * @param exitCode the process's exit code, once it ended
 * @param message why it ended, or empty
 * @param output when it failed, the last lines it wrote (else {@link ExecutorOutput#NONE})
 */
record ExecutorReport(ExecutorRecord executor, Status status, int exitCode, String message, ExecutorOutput output) {

    ExecutorReport {
        requireNonNull(executor, "executor is null");
        requireNonNull(status, "status is null");
        requireNonNull(message, "message is null");
        requireNonNull(output, "output is null");
    }

    /** A report without output: of an executor starting, running, or ending without failing. */
    ExecutorReport(ExecutorRecord executor, Status status, int exitCode, String message) {
        this(executor, status, exitCode, message, ExecutorOutput.NONE);
    }

    /** Where an executor's process is, as its worker sees it. */
    enum Status {
        /** The worker did not say (or said something this master does not know). */
        UNSPECIFIED,
        /** The worker is starting the process. */
        LAUNCHING,
        /** The process is up. */
        RUNNING,
        /** The process ended with exit code 0. */
        EXITED,
        /** The process ended with a non-zero exit code or could not start. */
        FAILED,
        /** The worker killed it on request. */
        KILLED,
        /** Its worker went away. */
        LOST;

        /** Whether the process is starting or running. */
        boolean isAlive() {
            return this == LAUNCHING || this == RUNNING;
        }
    }
}
