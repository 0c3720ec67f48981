package io.ember.core.dataset;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Up to {@code size} keys drawn uniformly from a whole partition (reservoir sampling: every record
 * has the same chance, wherever it is in the partition), with the partition's record count, for
 * {@link PairDataset#sortByKey}'s ranges. The draw is seeded by the partition's index, so a job run
 * again samples the same keys.
 *
 * @param records how many records the partition has
 * @param keys the sampled keys
 */
record PartitionSample<K>(long records, List<K> keys) implements Serializable {

    private static final long serialVersionUID = 1L;

    static <K, V> PartitionSample<K> of(int partition, Iterator<Pair<K, V>> records, int size) {
        List<K> reservoir = new ArrayList<>(Math.min(size, 1_024));
        SplittableRandom random = new SplittableRandom(0x5eed_0000L + partition);
        long seen = 0;
        while (records.hasNext()) {
            K key = records.next().key();
            if (seen < size) {
                reservoir.add(key);
            } else {
                long slot = random.nextLong(seen + 1);
                if (slot < size) {
                    reservoir.set((int) slot, key);
                }
            }
            seen++;
        }
        return new PartitionSample<>(seen, reservoir);
    }
}
