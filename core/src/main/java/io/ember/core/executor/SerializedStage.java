package io.ember.core.executor;

import static java.util.Objects.requireNonNull;

/**
 * A stage's code as the driver ships it to an executor that has not seen it: sent once per
 * executor, with the first tasks of the stage there, and deserialized by the stage's first task.
 *
 * @param stageId the stage
 * @param jobId the job it belongs to (0 from a driver that does not say)
 * @param code its {@link io.ember.core.task.StageCode}, Java-serialized on the driver; shared, not
 *     copied (nobody modifies it)
 */
public record SerializedStage(int stageId, int jobId, byte[] code) {

    public SerializedStage {
        requireNonNull(code, "code is null");
    }
}
