package io.ember.core.driver;

import io.ember.core.dataset.Pair;
import io.ember.core.dataset.PairDataset;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

/**
 * The shuffle the local-cluster tests run and run again after losing executors: 200,000 records in
 * {@value #MAP_TASKS} map partitions, counted by key into 5,000 keys of 40 each. Its result is
 * exact, so a lost or doubled map output shows in {@link #expected()}.
 */
final class CountingShuffle {

    /** The map stage's tasks (its partitions). */
    static final int MAP_TASKS = 8;

    private CountingShuffle() {
    }

    /** The counts per key, reduced into {@code reducePartitions} partitions (not yet computed). */
    static PairDataset<Long, Long> counts(EmberContext ember, int reducePartitions) {
        return ember.range(0, 200_000, MAP_TASKS).mapToPair(i -> new Pair<>(i % 5_000, 1L))
                .reduceByKey(Long::sum, reducePartitions);
    }

    /** What {@link #counts} collects to: every key from 0 to 4,999, 40 times. */
    static Map<Long, Long> expected() {
        return LongStream.range(0, 5_000).boxed().collect(Collectors.toMap(k -> k, k -> 40L));
    }
}
