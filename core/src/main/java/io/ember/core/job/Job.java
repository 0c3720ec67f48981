package io.ember.core.job;

import static java.util.Objects.requireNonNull;

import io.ember.core.task.StageCode;
import java.util.List;

/**
 * One action's work, as a dataset hands it to the driver: its final stage, and the shuffles that
 * stage reads (whose map stages run first, as stages of the same job).
 *
 * @param finalStage the stage whose results the action wants; its description is the job's
 * @param shuffles the shuffles the final stage reads; their map stages run first
 */
public record Job(Stage finalStage, List<? extends ShuffleInput> shuffles) {

    public Job {
        requireNonNull(finalStage, "finalStage is null");
        shuffles = List.copyOf(requireNonNull(shuffles, "shuffles is null"));
    }

    /**
     * A job whose final stage is described by {@code description}, runs {@code code} on
     * {@code partitions} and prefers executors holding partitions of {@code cachedDatasetIds} (see
     * {@link Stage}).
     */
    public Job(String description, StageCode code, int[] partitions, int[] cachedDatasetIds,
               List<? extends ShuffleInput> shuffles) {
        this(new Stage(description, code, partitions, cachedDatasetIds), shuffles);
    }

    /** A job that reads no shuffle. */
    public Job(String description, StageCode code, int[] partitions, int[] cachedDatasetIds) {
        this(description, code, partitions, cachedDatasetIds, List.of());
    }

    /** What the job is, for logs and the job summary, e.g. {@code "count at Pi.java:42"}. */
    public String description() {
        return finalStage.description();
    }

    /** What each task of the final stage runs. */
    public StageCode code() {
        return finalStage.code();
    }

    /** The partitions the action wants, each once, in the order results are wanted; a copy. */
    public int[] partitions() {
        return finalStage.partitions();
    }

    /** The persisted datasets the final stage's task {@code p} reads partition {@code p} of, nearest first; a copy. */
    public int[] cachedDatasetIds() {
        return finalStage.cachedDatasetIds();
    }

    @Override
    public String toString() {
        return "Job[" + finalStage.description() + ", " + finalStage.partitions().length + " partition(s)]";
    }
}
