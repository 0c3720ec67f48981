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
        List<Weighted<K>> weighted = new ArrayList<>(sample.size());
        for (K key : sample) {
            weighted.add(new Weighted<>(key, 1));
        }
        return fromWeightedSample(weighted, partitions, order, ascending);
    }

    /**
     * A sampled key standing for {@code weight} records: a partition of n records sampled down to s
     * keys gives each of them the weight n / s, so a partition with more records counts for more.
     */
    public record Weighted<K>(K key, double weight) {
        public Weighted {
            if (!(weight > 0)) {
                throw new IllegalArgumentException("weight must be > 0: " + weight);
            }
        }
    }

    /**
     * Bounds for {@code partitions} ranges from a weighted sample of the keys: the sample is sorted and
     * cut where the running weight passes each multiple of (total weight / partitions); duplicate
     * bounds are merged, so there may be fewer partitions than asked for when the sample has few
     * distinct keys (never fewer than 1).
     */
    public static <K> RangePartitioner<K> fromWeightedSample(Collection<Weighted<K>> sample, int partitions,
                                                             Comparator<? super K> order, boolean ascending) {
        requireNonNull(sample, "sample is null");
        requireNonNull(order, "order is null");
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be >= 1: " + partitions);
        }
        Comparator<? super K> direction = ascending ? order : order.reversed();
        List<Weighted<K>> sorted = new ArrayList<>(sample);
        sorted.sort((a, b) -> direction.compare(a.key(), b.key()));
        double total = 0;
        for (Weighted<K> candidate : sorted) {
            total += candidate.weight();
        }
        List<Object> bounds = new ArrayList<>();
        double step = total / partitions;
        double cumulative = 0;
        int next = 1;
        for (int i = 0; i < sorted.size() && next < partitions; i++) {
            cumulative += sorted.get(i).weight();
            if (cumulative >= next * step) {
                K bound = sorted.get(i).key();
                @SuppressWarnings("unchecked")
                K previous = bounds.isEmpty() ? null : (K) bounds.get(bounds.size() - 1);
                if (previous == null || direction.compare(bound, previous) > 0) {
                    bounds.add(bound);
                }
                while (next < partitions && cumulative >= next * step) {
                    next++;
                }
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
