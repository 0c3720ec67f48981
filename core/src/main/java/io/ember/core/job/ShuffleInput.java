package io.ember.core.job;

import io.ember.core.task.StageCode;
import java.util.List;

/**
 * A shuffle that a stage reads, as the stage planner sees the dataset graph: how many map and
 * reduce partitions it has and how to compute its map side, which may itself read shuffles. The
 * dataset layer implements it; the planner runs the map stage of every input whose output is
 * missing before the stage that reads it.
 *
 * <p>Implementations are immutable and thread-safe.
 */
public interface ShuffleInput {

    /** The shuffle's id, unique within the application; names its blocks. */
    int shuffleId();

    /** How many map tasks the shuffle's map stage has. */
    int mapPartitions();

    /** How many reduce partitions the shuffle writes. */
    int reducePartitions();

    /** The code of the map stage: compute a map partition and write it through the shuffle. */
    StageCode mapStage();

    /**
     * The persisted datasets a map task reads through narrow dependencies, nearest first (a map
     * task prefers an executor caching one of its blocks); see {@link Job#cachedDatasetIds()}.
     */
    int[] mapCachedDatasetIds();

    /** The shuffles the map stage itself reads. */
    List<? extends ShuffleInput> mapInputs();
}
