package io.ember.core.dataset;

import static java.util.Objects.requireNonNull;

import io.ember.core.task.TaskContext;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

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
    @SuppressWarnings("unchecked")
    protected Iterator<Pair<K, C>> compute(int partition, TaskContext context) {
        if (aggregator == null && keyOrder == null) {
            return ShuffleInput.stream(dependency.shuffleId(), partition, context);   // nothing held in memory
        }
        if (aggregator == null) {
            List<Pair<K, C>> records = new ArrayList<>();
            ShuffleInput.<Pair<K, C>>read(dependency.shuffleId(), partition, context, records::add);
            if (keyOrder != null) {
                records.sort((a, b) -> keyOrder.compare(a.key(), b.key()));
            }
            return records.iterator();
        }
        Map<K, C> merged = new HashMap<>();
        if (dependency.mapSideCombine()) {
            ShuffleInput.<Pair<K, C>>read(dependency.shuffleId(), partition, context, record -> {
                if (merged.containsKey(record.key())) {
                    merged.put(record.key(), aggregator.merge(merged.get(record.key()), record.value()));
                } else {
                    merged.put(record.key(), record.value());
                }
            });
        } else {
            ShuffleInput.<Pair<K, V>>read(dependency.shuffleId(), partition, context, record -> {
                if (merged.containsKey(record.key())) {
                    merged.put(record.key(), aggregator.add(merged.get(record.key()), record.value()));
                } else {
                    merged.put(record.key(), aggregator.create(record.value()));
                }
            });
        }
        List<Pair<K, C>> records = new ArrayList<>(merged.size());
        merged.forEach((key, value) -> records.add(new Pair<>(key, value)));
        if (keyOrder != null) {
            records.sort((a, b) -> keyOrder.compare(a.key(), b.key()));
        }
        return records.iterator();
    }

    @Override
    protected String describe() {
        return ", shuffle=" + dependency.shuffleId() + (aggregator != null ? ", aggregated" : "")
                + (keyOrder != null ? ", sorted" : "");
    }
}
