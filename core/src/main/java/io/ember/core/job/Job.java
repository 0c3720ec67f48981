package io.ember.core.job;

import static java.util.Objects.requireNonNull;

import io.ember.core.task.StageCode;
import java.util.Arrays;
import java.util.List;

/**
 * One action's work, as a dataset hands it to the driver: the final stage's code and partitions,
 * and the shuffles it reads (whose map stages run first, as stages of the same job).
 *
 * @param description what the job is, for logs and the job summary, e.g. {@code "count at Pi.java:42"}
 * @param code what each task runs; serialized once for the whole job
 * @param partitions the partitions to compute, each once, in the order results are wanted
 * @param shuffles the shuffles the final stage reads; their map stages run first
 * @param cachedDatasetIds the persisted datasets in the lineage of the job's dataset, nearest first,
 *     whose partition {@code p} is what task {@code p} reads (narrow, one-to-one dependencies); a task
 *     prefers an executor holding one of these blocks
 */
public record Job(String description, StageCode code, int[] partitions, int[] cachedDatasetIds,
                  List<? extends ShuffleInput> shuffles) {

    /** A job that reads no shuffle. */
    public Job(String description, StageCode code, int[] partitions, int[] cachedDatasetIds) {
        this(description, code, partitions, cachedDatasetIds, List.of());
    }

    public Job {
        shuffles = List.copyOf(requireNonNull(shuffles, "shuffles is null"));
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
        return "Job[" + description + ", " + partitions.length + " partition(s)]";
    }
}
