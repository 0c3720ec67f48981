package io.ember.core.master;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * An application that ended during the current term, as the web UI still shows it.
 *
 * @param appId its id
 * @param name its name
 * @param queue the queue it was in
 * @param registeredAt when it first registered
 * @param endedAt when it ended
 * @param outcome how it ended
 * @param reason why, in the words of the master's log line
 * @param uiUrl its driver's web UI, as the driver gave it; empty for none
 */
record EndedApplication(String appId, String name, String queue, Instant registeredAt, Instant endedAt,
                        Outcome outcome, String reason, String uiUrl) {

    EndedApplication {
        requireNonNull(appId, "appId is null");
        requireNonNull(name, "name is null");
        requireNonNull(queue, "queue is null");
        requireNonNull(registeredAt, "registeredAt is null");
        requireNonNull(endedAt, "endedAt is null");
        requireNonNull(outcome, "outcome is null");
        requireNonNull(reason, "reason is null");
        requireNonNull(uiUrl, "uiUrl is null");
    }

    /** How an application ended. */
    enum Outcome {
        /** Its driver unregistered it. */
        FINISHED,
        /** The leader had given it up (its executors kept failing) before it ended. */
        FAILED,
        /** Its driver went away without unregistering it (killed, crashed, cut off). */
        LOST
    }
}
