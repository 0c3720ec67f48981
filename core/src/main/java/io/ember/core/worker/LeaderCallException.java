package io.ember.core.worker;

import static java.util.Objects.requireNonNull;

/**
 * The leader master did not take a call of the worker: it could not be reached, or it refused. The
 * message is one line naming the leader, its address and the cause; {@link #refusal()} says what may
 * help, and {@link #reason()} is the leader's own word for a refusal.
 */
final class LeaderCallException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** What may make the leader take the call. */
    enum Refusal {
        /** Trying again: the leader was not reached, did not answer in time, or failed on its side. */
        TRY_AGAIN,
        /** Registering again first: the leader does not know this worker, or not in this state. */
        REGISTER_AGAIN,
        /** Nothing: the leader will never take this call. */
        FOR_GOOD
    }

    private final Refusal refusal;
    private final String reason;

    LeaderCallException(String message, Refusal refusal, String reason, Throwable cause) {
        super(message, cause);
        this.refusal = requireNonNull(refusal, "refusal is null");
        this.reason = requireNonNull(reason, "reason is null");
    }

    Refusal refusal() {
        return refusal;
    }

    /** The leader's description of its refusal, else the status's name (NOT_FOUND, say). */
    String reason() {
        return reason;
    }
}
