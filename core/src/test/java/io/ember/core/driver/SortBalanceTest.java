package io.ember.core.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.core.dataset.Pair;
import io.ember.core.dataset.PairDataset;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * sortByKey's ranges come from a sample of whole partitions, weighted by their sizes: input that is
 * already sorted, and input whose partitions differ 64-fold in size and hold disjoint key ranges,
 * both end in output partitions within 2x of each other, and in order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
final class SortBalanceTest {

    private static final int OUTPUTS = 8;
    private static final Comparator<Long> NATURAL = (Comparator<Long> & Serializable) Long::compare;

    private EmberContext ember;

    @BeforeAll
    void start() {
        ember = EmberContext.builder().isolated().master("local[2]").appName("sort-balance").build();
    }

    @AfterAll
    void stop() {
        if (ember != null) {
            ember.close();
        }
    }

    @Test
    void alreadySortedInputInTwoPartitionsIsCutIntoEvenRanges() {
        PairDataset<Long, Long> sorted = ember.range(0, 200_000, 2).mapToPair(i -> new Pair<>(i, i));

        List<Long> sizes = sizes(sorted.sortByKey(NATURAL, true, OUTPUTS));

        assertBalanced(sizes, 200_000);
    }

    @Test
    void partitionsOfVeryDifferentSizesAndDisjointKeyRangesWeighTheirShare() {
        // partition p holds 1,000 x 4^p keys (1k, 4k, 16k, 64k), all within [p x 10^9, (p + 1) x 10^9)
        PairDataset<Long, Long> uneven = ember.range(0, 4, 4).mapPartitionsWithIndex((partition, ignored) -> {
            List<Pair<Long, Long>> records = new ArrayList<>();
            long count = 1_000L << (2 * partition);
            for (long i = 0; i < count; i++) {
                long key = partition * 1_000_000_000L + (i * 2_654_435_761L) % 1_000_000_000L;
                records.add(new Pair<>(key, i));
            }
            return records.iterator();
        }).pairs();

        List<Long> sizes = sizes(uneven.sortByKey(NATURAL, true, OUTPUTS));

        assertBalanced(sizes, 85_000);
    }

    /** The records in each output partition; also checks that the keys come out in order. */
    private static List<Long> sizes(PairDataset<Long, Long> sorted) {
        List<long[]> perPartition = sorted.keys().mapPartitions(keys -> {
            long count = 0;
            long outOfOrder = 0;
            long first = Long.MIN_VALUE;
            long previous = Long.MIN_VALUE;
            while (keys.hasNext()) {
                long key = keys.next();
                if (count == 0) {
                    first = key;
                } else if (key < previous) {
                    outOfOrder++;
                }
                previous = key;
                count++;
            }
            return List.of(new long[] {count, outOfOrder, first, previous}).iterator();
        }).collect();
        List<Long> sizes = new ArrayList<>();
        long lastOfPrevious = Long.MIN_VALUE;
        for (long[] partition : perPartition) {
            assertEquals(0, partition[1], "sorted within a partition");
            if (partition[0] > 0) {
                assertTrue(partition[2] >= lastOfPrevious, "ranges in order");
                lastOfPrevious = partition[3];
            }
            sizes.add(partition[0]);
        }
        return sizes;
    }

    private static void assertBalanced(List<Long> sizes, long total) {
        assertEquals(OUTPUTS, sizes.size(), sizes.toString());
        assertEquals(total, sizes.stream().mapToLong(Long::longValue).sum());
        long smallest = Collections.min(sizes);
        long largest = Collections.max(sizes);
        assertTrue(smallest > 0 && largest <= 2 * smallest, "output partitions within 2x of each other: " + sizes);
    }
}
