package io.ember.core.task;

/** Thrown inside a task that was asked to stop; the task ends as killed, not failed. */
public final class TaskKilledException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public TaskKilledException(String message) {
        super(message);
    }
}
