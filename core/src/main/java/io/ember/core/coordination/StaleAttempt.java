package io.ember.core.coordination;

/**
 * An attempt to take leadership found that leadership was lost (or the election closed) since it
 * began; a later attempt takes over. Control flow only: no message, no stack trace.
 */
final class StaleAttempt extends Exception {

    private static final long serialVersionUID = 1L;

    StaleAttempt() {
        super(null, null, false, false);
    }
}
