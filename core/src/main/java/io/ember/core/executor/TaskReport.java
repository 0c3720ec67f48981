package io.ember.core.executor;

import static java.util.Objects.requireNonNull;

import io.ember.core.task.TaskNotRetryableException;

/**
 * How a task ended on an executor, as the executor reports it to its driver: one per task.
 *
 * @param taskId the task
 * @param state how it ended
 * @param result {@link State#FINISHED} with the result inline: the serialized result; otherwise
 *     empty. Not copied
 * @param uploadedResultBytes {@link State#FINISHED} with the result uploaded on the side (it was
 *     over the executor's direct limit): its size; otherwise 0
 * @param failure {@link State#FAILED}: why; otherwise {@code null}
 * @param metrics what the task cost
 */
public record TaskReport(long taskId, State state, byte[] result, long uploadedResultBytes, Failure failure,
                         Metrics metrics) {

    private static final byte[] EMPTY = new byte[0];

    public TaskReport {
        requireNonNull(state, "state is null");
        requireNonNull(result, "result is null");
        requireNonNull(metrics, "metrics is null");
        if (state == State.FAILED) {
            requireNonNull(failure, "failure is null");
        }
    }

    /** A task that finished with its serialized result inline. */
    public static TaskReport finished(long taskId, byte[] result, Metrics metrics) {
        return new TaskReport(taskId, State.FINISHED, result, 0, null, metrics);
    }

    /** A task that finished with its serialized result, {@code bytes} long, already uploaded. */
    public static TaskReport uploaded(long taskId, long bytes, Metrics metrics) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("an uploaded result has bytes: " + bytes);
        }
        return new TaskReport(taskId, State.FINISHED, EMPTY, bytes, null, metrics);
    }

    /** A task that failed. */
    public static TaskReport failed(long taskId, Failure failure, Metrics metrics) {
        return new TaskReport(taskId, State.FAILED, EMPTY, 0, failure, metrics);
    }

    /** A task that was killed. */
    public static TaskReport killed(long taskId, Metrics metrics) {
        return new TaskReport(taskId, State.KILLED, EMPTY, 0, null, metrics);
    }

    /** Whether the result went to the driver on the side, not in this report. */
    public boolean isUploaded() {
        return uploadedResultBytes > 0;
    }

    /** How a task ended. */
    public enum State {
        /** It returned a result (inline, or uploaded). */
        FINISHED,
        /** Its code threw, its code could not be loaded, or its result could not be sent. */
        FAILED,
        /** It was killed on the driver's request (or the executor closed). */
        KILLED
    }

    /**
     * Why a task failed.
     *
     * @param className the class of the exception
     * @param message its message; empty when it had none
     * @param stackTrace as {@link Throwable#printStackTrace} prints it
     * @param exception the exception, Java-serialized, when it could be; else empty. Not copied
     * @param retryable false when running the task again cannot cure the failure (a
     *     {@link TaskNotRetryableException} among its causes): its job fails at once
     */
    public record Failure(String className, String message, String stackTrace, byte[] exception, boolean retryable) {

        public Failure {
            requireNonNull(className, "className is null");
            requireNonNull(message, "message is null");
            requireNonNull(stackTrace, "stackTrace is null");
            requireNonNull(exception, "exception is null");
        }
    }

    /**
     * What a task cost, as its executor measured it; 0 for what it did not do (or never got to).
     *
     * @param deserializeNanos getting its stage's code (deserializing it, for the stage's first task here)
     * @param runNanos running its code
     * @param gcMillis time the JVM spent in garbage collection from the task's start to its end
     *     (the whole JVM's collections: shared by the tasks running at the same time)
     * @param resultBytes the length of its serialized result, inline or uploaded
     * @param shuffleReadBytes the length of the shuffle blocks delivered to it, local and fetched
     * @param shuffleReadRecords the shuffle records it took
     * @param shuffleWriteBytes the length of the map output it committed
     * @param shuffleWriteRecords the records of the map output it committed
     * @param cacheHits cached partitions it read
     * @param cacheMisses partitions of a persisted dataset it computed
     */
    public record Metrics(long deserializeNanos, long runNanos, long gcMillis, long resultBytes,
                          long shuffleReadBytes, long shuffleReadRecords, long shuffleWriteBytes,
                          long shuffleWriteRecords, int cacheHits, int cacheMisses, int spills, long spillBytes) {

        /** A task that never ran. */
        public static final Metrics NONE = new Metrics(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }
}
