package io.ember.core.driver.client;

import static java.util.Objects.requireNonNull;

/**
 * One event of the leader's {@code WatchApplication} stream, in the driver's own types (see
 * {@link ApplicationEvents}).
 */
sealed interface WatchEvent {

    /** Passes the event to {@code events}. */
    void deliver(ApplicationEvents events);

    /** An executor failed. */
    record ExecutorFailed(ExecutorFailure failure) implements WatchEvent {
        public ExecutorFailed {
            requireNonNull(failure, "failure is null");
        }

        @Override
        public void deliver(ApplicationEvents events) {
            events.executorFailed(failure);
        }
    }

    /** Why executors are missing (empty: nothing named). */
    record Waiting(String reason) implements WatchEvent {
        public Waiting {
            requireNonNull(reason, "reason is null");
        }

        @Override
        public void deliver(ApplicationEvents events) {
            events.waiting(reason);
        }
    }

    /** The leader gave the application up. */
    record Failed(String reason) implements WatchEvent {
        public Failed {
            requireNonNull(reason, "reason is null");
        }

        @Override
        public void deliver(ApplicationEvents events) {
            events.applicationFailed(reason);
        }
    }
}
