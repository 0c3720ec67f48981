package io.ember.core.executor;

/**
 * A task's result could not be serialized to go back to the driver: the task fails with this. The
 * message names the result's class and the class that is not serializable.
 */
public final class ResultNotSerializableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ResultNotSerializableException(String message) {
        super(message);
    }
}
