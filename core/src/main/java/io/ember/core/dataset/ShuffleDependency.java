package io.ember.core.dataset;

import static java.util.Objects.requireNonNull;

import io.ember.core.job.ShuffleInput;
import io.ember.core.shuffle.Partitioner;
import io.ember.core.task.StageCode;
import java.io.Serializable;
import java.util.List;

/**
 * A wide dependency: every partition of the child reads from every partition of {@code parent},
 * through a shuffle. The parent's records are pairs; each goes to the reduce partition its key's
 * {@link #partitioner()} names, combined on the map side first when {@link #mapSideCombine()}.
 *
 * <p>Immutable; serialized with the stages on both sides of the shuffle.
 *
 * @param <K> the key type
 * @param <V> the parent's value type
 * @param <C> what the map side writes per key: {@code V}, or the combiner type with a map-side combine
 */
public final class ShuffleDependency<K, V, C> implements Serializable, ShuffleInput {

    private static final long serialVersionUID = 1L;

    private final int shuffleId;
    private final Dataset<? extends Pair<K, V>> parent;
    private final Partitioner partitioner;
    private final Aggregator<V, C> aggregator;
    private final boolean mapSideCombine;

    /**
     * @param aggregator combines values on the map side; {@code null} writes each record as it is
     */
    ShuffleDependency(Dataset<? extends Pair<K, V>> parent, Partitioner partitioner, Aggregator<V, C> aggregator) {
        this.parent = requireNonNull(parent, "parent is null");
        this.partitioner = requireNonNull(partitioner, "partitioner is null");
        this.aggregator = aggregator;
        this.mapSideCombine = aggregator != null;
        this.shuffleId = parent.runner().newDatasetId();
        parent.runner().shuffleDefined(this, shuffleId);
    }

    @Override
    public int shuffleId() {
        return shuffleId;
    }

    /** The dataset whose partitions the map stage computes. */
    public Dataset<? extends Pair<K, V>> parent() {
        return parent;
    }

    /** How many map tasks: the parent's partitions. */
    @Override
    public int mapPartitions() {
        return parent.numPartitions();
    }

    /** How many reduce partitions: the partitioner's. */
    @Override
    public int reducePartitions() {
        return partitioner.partitions();
    }

    Partitioner partitioner() {
        return partitioner;
    }

    Aggregator<V, C> aggregator() {
        return aggregator;
    }

    boolean mapSideCombine() {
        return mapSideCombine;
    }

    /** The code of the map stage: compute a parent partition, write it through the shuffle. */
    @Override
    public StageCode mapStage() {
        return new ShuffleMapStage<>(this);
    }

    /** The persisted datasets in the parent's lineage that a map task reads, nearest first. */
    @Override
    public int[] mapCachedDatasetIds() {
        return parent.cachedLineage();
    }

    /** The shuffles the parent's stage reads. */
    @Override
    public List<ShuffleDependency<?, ?, ?>> mapInputs() {
        return parent.stageInputs();
    }

    @Override
    public String toString() {
        return "shuffle " + shuffleId + " of " + parent + " into " + partitioner.partitions() + " partitions";
    }
}
