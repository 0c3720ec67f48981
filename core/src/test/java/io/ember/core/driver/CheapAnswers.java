package io.ember.core.driver;

import io.ember.core.dataset.Dataset;
import io.ember.core.dataset.Pair;
import java.io.Serializable;
import java.util.List;

/**
 * Answers of large jobs that are cheap to compute and to check: summed on the executors, compared
 * with a formula of the input, so that a lost, doubled or wrong record shows without the data ever
 * coming back to the driver.
 */
final class CheapAnswers {

    /** What a value weighs in a {@link #checksum}. */
    @FunctionalInterface
    interface SizeOf<V> extends Serializable {
        long of(V value);
    }

    private CheapAnswers() {
    }

    /** (pairs, Σ key × 31 + size of the value) over a dataset of pairs, summed on the executors. */
    static <V> Pair<Long, Long> checksum(Dataset<Pair<Long, V>> pairs, SizeOf<V> size) {
        return pairs.map(p -> new Pair<>(1L, p.key() * 31 + size.of(p.value())))
                .reduce((a, b) -> new Pair<>(a.key() + b.key(), a.value() + b.value()));
    }

    /** What {@link #checksum} gives for one pair per key 0..keys-1 whose values weigh {@code size} each. */
    static Pair<Long, Long> checksumOf(long keys, long size) {
        return new Pair<>(keys, 31 * (keys * (keys - 1) / 2) + keys * size);
    }

    /**
     * Per partition of {@code keys}, read in order on its executor: (keys, keys that are not one more
     * than the one before, the last key). A partition of the keys 0..n-1 in order gives (n, 0, n-1).
     */
    static List<Long> consecutiveness(Dataset<Long> keys) {
        return keys.mapPartitions(each -> {
            long previous = -1;
            long outOfOrder = 0;
            long count = 0;
            while (each.hasNext()) {
                long key = each.next();
                if (key != previous + 1) {
                    outOfOrder++;
                }
                previous = key;
                count++;
            }
            return List.of(count, outOfOrder, previous).iterator();
        }).collect();
    }
}
