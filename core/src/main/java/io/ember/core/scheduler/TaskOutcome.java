package io.ember.core.scheduler;

import static java.util.Objects.requireNonNull;

/**
 * How a task attempt ended on an executor, as the scheduler hears it: what the driver's wire
 * adapter made of the executor's update (and, for a large result, of its upload).
 *
 * @param taskId the task
 * @param state how it ended
 * @param result {@link State#FINISHED}: the serialized result, or {@code null} when the result was
 *     uploaded and the upload did not arrive whole (the task must run again); otherwise empty.
 *     Not copied
 * @param failure {@link State#FAILED}: why; otherwise {@code null}
 * @param metrics what the executor measured of the attempt
 */
public record TaskOutcome(long taskId, State state, byte[] result, TaskFailure failure, TaskRunMetrics metrics) {

    private static final byte[] NONE = new byte[0];

    public TaskOutcome {
        requireNonNull(state, "state is null");
        if (state == State.FAILED) {
            requireNonNull(failure, "failure is null");
        }
        requireNonNull(metrics, "metrics is null");
    }

    /** A task that finished with {@code result} ({@code null}: its uploaded result is missing). */
    public static TaskOutcome finished(long taskId, byte[] result, TaskRunMetrics metrics) {
        return new TaskOutcome(taskId, State.FINISHED, result, null, metrics);
    }

    /** A task that failed. */
    public static TaskOutcome failed(long taskId, TaskFailure failure, TaskRunMetrics metrics) {
        return new TaskOutcome(taskId, State.FAILED, NONE, failure, metrics);
    }

    /** A task that ended in {@code state} without a result or failure (killed, or a state unknown here). */
    public static TaskOutcome ended(long taskId, State state, TaskRunMetrics metrics) {
        return new TaskOutcome(taskId, state, NONE, null, metrics);
    }

    /** How a task attempt ended. */
    public enum State {
        /** It returned a result. */
        FINISHED,
        /** The user's code threw; the scheduler may run it again, unless the failure is not retryable. */
        FAILED,
        /** It was killed on the driver's request. */
        KILLED,
        /** The executor reported a state this driver does not know; the task runs again. */
        UNKNOWN
    }

    /**
     * Why a task failed.
     *
     * @param className the class of the exception the user's code threw
     * @param message its message; empty when it had none
     * @param stackTrace as {@link Throwable#printStackTrace} prints it
     * @param exception the exception, Java-serialized, when it could be; else empty. Not copied
     * @param retryable false when the executor says running the task again cannot cure it: the job
     *     fails at once, without the retries of {@code ember.task.maxFailures}
     */
    public record TaskFailure(String className, String message, String stackTrace, byte[] exception,
                              boolean retryable) {

        public TaskFailure {
            requireNonNull(className, "className is null");
            requireNonNull(message, "message is null");
            requireNonNull(stackTrace, "stackTrace is null");
            requireNonNull(exception, "exception is null");
        }
    }
}
