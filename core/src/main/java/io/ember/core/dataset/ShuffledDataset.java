package io.ember.core.dataset;

import static java.util.Objects.requireNonNull;

import io.ember.core.storage.SizeEstimator;
import io.ember.core.task.TaskContext;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;

/**
 * The reduce side of a shuffle: partition {@code r} holds the records every map task wrote for
 * reduce partition {@code r}. With an aggregator, one pair per key with the values (or the map
 * side's combiners) merged; with a key order, the partition's records sorted by key; otherwise the
 * records as they arrive.
 *
 * @param <K> the key type
 * @param <C> the value type after the shuffle
 */
final class ShuffledDataset<K, V, C> extends Dataset<Pair<K, C>> {

    private static final long serialVersionUID = 1L;
    /** Estimates the reduce side's buffers; stateless apart from per-class layouts, shared by tasks. */
    private static final SizeEstimator ESTIMATOR = new SizeEstimator();

    private final ShuffleDependency<K, V, C> dependency;
    private final Aggregator<V, C> aggregator;
    private final Comparator<? super K> keyOrder;

    /**
     * @param aggregator merges a key's values (or combiners); {@code null} keeps every record
     * @param keyOrder sorts each partition by key; {@code null} keeps arrival order
     */
    ShuffledDataset(ShuffleDependency<K, V, C> dependency, Aggregator<V, C> aggregator, Comparator<? super K> keyOrder) {
        super(requireNonNull(dependency, "dependency is null").parent().runner());
        this.dependency = dependency;
        this.aggregator = aggregator;
        this.keyOrder = keyOrder;
    }

    @Override
    public int numPartitions() {
        return dependency.reducePartitions();
    }

    @Override
    protected List<ShuffleDependency<?, ?, ?>> shuffleDependencies() {
        return List.of(dependency);
    }

    @Override
    protected Iterator<Pair<K, C>> compute(int partition, TaskContext context) {
        if (aggregator == null && keyOrder == null) {
            return ShuffleInput.stream(dependency.shuffleId(), partition, context);   // nothing held in memory
        }
        Iterator<Pair<K, C>> records;
        if (aggregator == null) {
            records = ShuffleInput.stream(dependency.shuffleId(), partition, context);
        } else {
            records = aggregated(partition, context);
        }
        if (keyOrder == null) {
            return records;
        }
        ExternalSorter<Pair<K, C>> sorter = new ExternalSorter<>(context, (a, b) -> keyOrder.compare(a.key(), b.key()),
                ESTIMATOR);
        records.forEachRemaining(sorter::insert);
        return sorter.result();
    }

    /** The partition's pairs with each key's values (or map-side combiners) merged, spilling when memory is short. */
    private Iterator<Pair<K, C>> aggregated(int partition, TaskContext context) {
        if (dependency.mapSideCombine()) {
            SpillableAggregation<K, C, C> merged = new SpillableAggregation<>(context, combiner -> combiner,
                    aggregator::merge, aggregator::merge, aggregator.splitter(), ESTIMATOR);
            ShuffleInput.<Pair<K, C>>read(dependency.shuffleId(), partition, context,
                    record -> merged.insert(record.key(), record.value()));
            return merged.result();
        }
        SpillableAggregation<K, V, C> combined = new SpillableAggregation<>(context, aggregator::create,
                aggregator::add, aggregator::merge, aggregator.splitter(), ESTIMATOR);
        ShuffleInput.<Pair<K, V>>read(dependency.shuffleId(), partition, context,
                record -> combined.insert(record.key(), record.value()));
        return combined.result();
    }

    @Override
    protected String describe() {
        return ", shuffle=" + dependency.shuffleId() + (aggregator != null ? ", aggregated" : "")
                + (keyOrder != null ? ", sorted" : "");
    }
}
