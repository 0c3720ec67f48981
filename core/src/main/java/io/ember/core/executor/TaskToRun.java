package io.ember.core.executor;

/**
 * A task the driver asks an executor to run: which partition of which stage, and which attempt.
 * The stage's code arrives separately, once per executor ({@link SerializedStage}).
 *
 * @param taskId unique in the driver's life
 * @param stageId the stage whose code the task runs
 * @param partition the partition it computes
 * @param attempt 0 for the first attempt of this partition, then 1, 2, ...
 */
public record TaskToRun(long taskId, int stageId, int partition, int attempt) {
}
