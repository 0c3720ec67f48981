package io.ember.core.driver;

/**
 * The cluster gave the application up: its executors kept failing (they could not start, or kept
 * dying), so no more are launched for it. The message says why in one line, quoting what the last
 * failed executor wrote. Jobs of the context fail from then on with the same reason.
 */
public final class ApplicationFailedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    ApplicationFailedException(String message) {
        super(message);
    }
}
