package io.ember.core.driver;

/**
 * Fewer executors registered than were awaited within the time allowed
 * ({@link EmberContext#awaitExecutors}). The message says how many did, out of how many.
 */
public final class ExecutorWaitTimeoutException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int registered;
    private final int awaited;

    ExecutorWaitTimeoutException(String message, int registered, int awaited) {
        super(message);
        this.registered = registered;
        this.awaited = awaited;
    }

    /** How many executors were registered when the wait ended. */
    public int registered() {
        return registered;
    }

    /** How many were awaited. */
    public int awaited() {
        return awaited;
    }
}
