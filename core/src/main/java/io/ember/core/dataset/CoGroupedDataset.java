package io.ember.core.dataset;

import static java.util.Objects.requireNonNull;

import io.ember.core.storage.SizeEstimator;
import io.ember.core.task.TaskContext;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Two pair datasets shuffled by the same partitioner and grouped by key: partition {@code r} has
 * one record per key found in either side's reduce partition {@code r}, with the values of each
 * side (an empty list when a side has none). What joins are made of.
 *
 * @param <K> the key type
 * @param <V> the left values
 * @param <W> the right values
 */
final class CoGroupedDataset<K, V, W> extends Dataset<Pair<K, Pair<List<V>, List<W>>>> {

    private static final long serialVersionUID = 1L;
    private static final SizeEstimator ESTIMATOR = new SizeEstimator();

    private final ShuffleDependency<K, V, V> left;
    private final ShuffleDependency<K, W, W> right;

    CoGroupedDataset(ShuffleDependency<K, V, V> left, ShuffleDependency<K, W, W> right) {
        super(requireNonNull(left, "left is null").parent().runner());
        this.left = left;
        this.right = requireNonNull(right, "right is null");
        if (left.reducePartitions() != right.reducePartitions()) {
            throw new IllegalArgumentException("co-grouped shuffles need the same partitions: "
                    + left.reducePartitions() + " and " + right.reducePartitions());
        }
    }

    @Override
    public int numPartitions() {
        return left.reducePartitions();
    }

    @Override
    protected List<ShuffleDependency<?, ?, ?>> shuffleDependencies() {
        return List.of(left, right);
    }

    @Override
    protected Iterator<Pair<K, Pair<List<V>, List<W>>>> compute(int partition, TaskContext context) {
        SpillableAggregation<K, Side, Pair<List<V>, List<W>>> groups = new SpillableAggregation<>(context,
                side -> side.addTo(new Pair<>(new ArrayList<>(), new ArrayList<>())),
                (both, side) -> side.addTo(both),
                (a, b) -> {
                    a.key().addAll(b.key());
                    a.value().addAll(b.value());
                    return a;
                }, CombinerSplitter.listPairs(), ESTIMATOR);
        ShuffleInput.<Pair<K, V>>read(left.shuffleId(), partition, context,
                record -> groups.insert(record.key(), new Side(true, record.value())));
        ShuffleInput.<Pair<K, W>>read(right.shuffleId(), partition, context,
                record -> groups.insert(record.key(), new Side(false, record.value())));
        return groups.result();
    }

    /** A value of the left or the right side. */
    private record Side(boolean left, Object value) {
        @SuppressWarnings("unchecked")
        <A, B> Pair<List<A>, List<B>> addTo(Pair<List<A>, List<B>> both) {
            if (left) {
                both.key().add((A) value);
            } else {
                both.value().add((B) value);
            }
            return both;
        }
    }

    @Override
    protected String describe() {
        return ", cogroup of shuffles " + left.shuffleId() + " and " + right.shuffleId();
    }
}
