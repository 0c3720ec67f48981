package io.ember.core.shuffle;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * Partitions by ranges of keys, so that reduce partition {@code i} holds only keys below those of
 * partition {@code i + 1}: what {@code sortByKey} needs for a globally sorted result. The ranges
 * come from a sample of the keys ({@link #fromSample}), so partitions get about as many records
 * each, even when keys are skewed; a key equal to a bound goes to the lower partition.
 *
 * <p>Immutable; {@link #partition} takes O(log partitions).
 *
 * @param <K> the key type
 */
public final class RangePartitioner<K> implements Partitioner {

    private static final long serialVersionUID = 1L;

    private final Object[] upperBounds;
    private final Comparator<? super K> order;
    private final boolean ascending;

    private RangePartitioner(Object[] upperBounds, Comparator<? super K> order, boolean ascending) {
        this.upperBounds = upperBounds;
        this.order = order;
        this.ascending = ascending;
    }

    /**
     * Bounds for {@code partitions} ranges from a sample of the keys: the sample is sorted and cut
     * into {@code partitions} equal runs; duplicate bounds are merged, so there may be fewer
     * partitions than asked for when the sample has few distinct keys (never fewer than 1).
     *
     * @param order a serializable comparator of the keys (natural order: {@code Comparator.naturalOrder()})
     * @param ascending whether partition 0 holds the smallest keys
     */
    public static <K> RangePartitioner<K> fromSample(Collection<? extends K> sample, int partitions,
                                                     Comparator<? super K> order, boolean ascending) {
        requireNonNull(sample, "sample is null");
        requireNonNull(order, "order is null");
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be >= 1: " + partitions);
        }
        List<K> sorted = new ArrayList<>(sample);
        Comparator<? super K> direction = ascending ? order : order.reversed();
        sorted.sort(direction);
        List<Object> bounds = new ArrayList<>();
        for (int i = 1; i < partitions && !sorted.isEmpty(); i++) {
            K bound = sorted.get(Math.min(sorted.size() - 1, (int) ((long) i * sorted.size() / partitions)));
            @SuppressWarnings("unchecked")
            K previous = bounds.isEmpty() ? null : (K) bounds.get(bounds.size() - 1);
            if (previous == null || direction.compare(bound, previous) > 0) {
                bounds.add(bound);
            }
        }
        return new RangePartitioner<>(bounds.toArray(), order, ascending);
    }

    @Override
    public int partitions() {
        return upperBounds.length + 1;
    }

    @Override
    @SuppressWarnings("unchecked")
    public int partition(Object key) {
        Comparator<Object> direction = (Comparator<Object>) (ascending ? order : order.reversed());
        int found = Arrays.binarySearch(upperBounds, key, direction);
        return found >= 0 ? found : -found - 1;
    }

    @Override
    public String toString() {
        return "RangePartitioner[" + partitions() + " partitions, " + (ascending ? "ascending" : "descending") + "]";
    }
}
