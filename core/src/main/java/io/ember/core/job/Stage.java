package io.ember.core.job;

import static java.util.Objects.requireNonNull;

import io.ember.core.task.StageCode;
import java.util.Arrays;

/**
 * One stage of a job: a task per partition, each running the same code. The task scheduler runs
 * one stage at a time; a job is its final stage plus the shuffles that stage reads.
 *
 * @param description what the stage computes, for logs, e.g. {@code map stage of shuffle 2 for
 *     count at Report.java:42}
 * @param code what each task runs; serialized once for the whole stage
 * @param partitions the partitions to compute, each once, in the order results are wanted
 * @param cachedDatasetIds the persisted datasets whose partition {@code p} task {@code p} reads,
 *     nearest first; a task prefers an executor holding one of these blocks
 */
public record Stage(String description, StageCode code, int[] partitions, int[] cachedDatasetIds) {

    public Stage {
        requireNonNull(description, "description is null");
        requireNonNull(code, "code is null");
        partitions = requireNonNull(partitions, "partitions is null").clone();
        cachedDatasetIds = requireNonNull(cachedDatasetIds, "cachedDatasetIds is null").clone();
        for (int partition : partitions) {
            if (partition < 0) {
                throw new IllegalArgumentException("partitions must be >= 0: " + Arrays.toString(partitions));
            }
        }
    }

    @Override
    public int[] partitions() {
        return partitions.clone();
    }

    @Override
    public int[] cachedDatasetIds() {
        return cachedDatasetIds.clone();
    }

    @Override
    public String toString() {
        return "Stage[" + description + ", " + partitions.length + " partition(s)]";
    }
}
