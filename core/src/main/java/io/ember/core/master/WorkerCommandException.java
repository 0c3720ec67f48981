package io.ember.core.master;

/**
 * A worker did not take a command (unreachable, too slow, or it refused); the message is one line
 * naming the worker, its address and the cause.
 */
final class WorkerCommandException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    WorkerCommandException(String message, Throwable cause) {
        super(message, cause);
    }
}
