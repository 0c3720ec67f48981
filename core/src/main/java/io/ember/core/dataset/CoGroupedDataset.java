package io.ember.core.dataset;

import static java.util.Objects.requireNonNull;

import io.ember.core.task.TaskContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

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
        Map<K, Pair<List<V>, List<W>>> groups = new HashMap<>();
        ShuffleInput.<Pair<K, V>>read(left.shuffleId(), partition, context,
                record -> groups.computeIfAbsent(record.key(), k -> new Pair<>(new ArrayList<>(), new ArrayList<>()))
                        .key().add(record.value()));
        ShuffleInput.<Pair<K, W>>read(right.shuffleId(), partition, context,
                record -> groups.computeIfAbsent(record.key(), k -> new Pair<>(new ArrayList<>(), new ArrayList<>()))
                        .value().add(record.value()));
        List<Pair<K, Pair<List<V>, List<W>>>> records = new ArrayList<>(groups.size());
        groups.forEach((key, values) -> records.add(new Pair<>(key, values)));
        return records.iterator();
    }

    @Override
    protected String describe() {
        return ", cogroup of shuffles " + left.shuffleId() + " and " + right.shuffleId();
    }
}
