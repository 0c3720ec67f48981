package io.ember.core.scheduler;

import static java.util.Objects.requireNonNull;

import io.ember.core.job.StageId;

/**
 * One task the scheduler launches on an executor: which partition of which stage, and which attempt.
 * The stage's code travels separately, once per executor ({@link StageShipment}).
 *
 * @param taskId unique in the driver's life
 * @param stageId the stage whose code the task runs
 * @param partition the partition it computes
 * @param attempt 0 for the first attempt of this partition, then 1, 2, ...
 */
public record TaskLaunch(long taskId, StageId stageId, int partition, int attempt) {

    public TaskLaunch {
        requireNonNull(stageId, "stageId is null");
    }
}
