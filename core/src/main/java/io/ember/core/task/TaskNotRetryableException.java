package io.ember.core.task;

/**
 * Thrown inside a task whose failure running it again cannot cure: a condition of the cluster's
 * set-up that every attempt would meet, such as an output directory the executor's host does not
 * share with the driver. The scheduler fails the job on the first such failure, without the
 * retries of {@code ember.task.maxFailures}, naming the executor and its host. Found anywhere in
 * the chain of causes of what the task threw, so code that wraps it keeps its meaning.
 */
public class TaskNotRetryableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public TaskNotRetryableException(String message) {
        super(message);
    }

    public TaskNotRetryableException(String message, Throwable cause) {
        super(message, cause);
    }
}
