package io.ember.core.master;

import static java.util.Objects.requireNonNull;

/**
 * What the leader tells an application's driver about the application, in the master's own terms
 * ({@link MasterRpc} puts it on the driver's {@code WatchApplication} stream).
 */
sealed interface ApplicationNotice {

    /**
     * An executor of the application ended by itself with a non-zero exit code (its worker did not stop it).
     *
     * @param executorId the executor
     * @param workerId the worker it ran on
     * @param exitCode its process's exit code
     * @param beforeRegistering whether it ended before it registered
     * @param output the last lines it wrote
     */
    record ExecutorFailed(String executorId, String workerId, int exitCode, boolean beforeRegistering,
                          ExecutorOutput output) implements ApplicationNotice {
        public ExecutorFailed {
            requireNonNull(executorId, "executorId is null");
            requireNonNull(workerId, "workerId is null");
            requireNonNull(output, "output is null");
        }
    }

    /**
     * Why the application lacks executors it asked for.
     *
     * @param reason one sentence; empty when nothing the leader can name stands in the way (any more)
     */
    record Waiting(String reason) implements ApplicationNotice {
        public Waiting {
            requireNonNull(reason, "reason is null");
        }
    }

    /**
     * The leader gave the application up: it launches no more executors for it.
     *
     * @param reason one sentence saying why, quoting the last failed executor's output
     */
    record Failed(String reason) implements ApplicationNotice {
        public Failed {
            requireNonNull(reason, "reason is null");
        }
    }
}
