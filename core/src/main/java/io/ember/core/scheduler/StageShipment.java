package io.ember.core.scheduler;

import static java.util.Objects.requireNonNull;

import io.ember.core.job.JobId;
import io.ember.core.job.StageId;

/**
 * A stage's code on its way to an executor that has not seen it: sent once per executor, with
 * the first batch that runs one of its tasks there.
 *
 * @param stageId the stage
 * @param jobId the job it belongs to
 * @param code its {@link io.ember.core.task.StageCode}, Java-serialized once on the driver; shared,
 *     not copied (callers must not modify it)
 */
public record StageShipment(StageId stageId, JobId jobId, byte[] code) {

    public StageShipment {
        requireNonNull(stageId, "stageId is null");
        requireNonNull(jobId, "jobId is null");
        requireNonNull(code, "code is null");
    }
}
