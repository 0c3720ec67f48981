package io.ember.core.shuffle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

final class PartitionersTest {

    @Test
    void hashPartitioningSendsEqualKeysToOnePartitionAndSpreadsLongs() {
        HashPartitioner partitioner = new HashPartitioner(8);
        int[] counts = new int[8];
        for (long i = 0; i < 80_000; i++) {
            long key = i << 32;   // differ only in the high bits: a plain hashCode % 8 would put all in few partitions
            int p = partitioner.partition(key);
            assertEquals(p, partitioner.partition(Long.valueOf(key)));
            counts[p]++;
        }
        for (int count : counts) {
            assertTrue(count > 7_000 && count < 13_000, "every partition gets about 1/8: " + Arrays.toString(counts));
        }
        assertEquals(0, partitioner.partition(null));
        assertTrue(IntStream.range(-1000, 1000).map(partitioner::partition).allMatch(p -> p >= 0 && p < 8));
        assertThrows(IllegalArgumentException.class, () -> new HashPartitioner(0));
    }

    @Test
    void rangePartitioningKeepsKeysOrderedAcrossPartitionsAndBalancesSkew() throws Exception {
        SplittableRandom random = new SplittableRandom(7);
        List<Integer> keys = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            keys.add(random.nextInt(10) < 5 ? random.nextInt(100) : random.nextInt(1_000_000));   // half the keys below 100
        }
        RangePartitioner<Integer> partitioner = roundTrip(RangePartitioner.fromSample(keys.subList(0, 2_000), 4,
                (Comparator<Integer> & Serializable) Integer::compare, true));

        assertEquals(4, partitioner.partitions());
        int[] counts = new int[4];
        int[] max = {Integer.MIN_VALUE, Integer.MIN_VALUE, Integer.MIN_VALUE, Integer.MIN_VALUE};
        int[] min = {Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE};
        for (int key : keys) {
            int p = partitioner.partition(key);
            counts[p]++;
            max[p] = Math.max(max[p], key);
            min[p] = Math.min(min[p], key);
        }
        for (int p = 1; p < 4; p++) {
            assertTrue(max[p - 1] <= min[p], "partition " + (p - 1) + " ends before " + p + " starts");
        }
        for (int count : counts) {
            assertTrue(count > 3_000 && count < 7_000, "balanced from the sample: " + Arrays.toString(counts));
        }
    }

    @Test
    void descendingRangesPutTheLargestKeysFirst() {
        RangePartitioner<Integer> partitioner = RangePartitioner.fromSample(IntStream.range(0, 100).boxed().toList(), 2,
                Comparator.naturalOrder(), false);

        assertEquals(0, partitioner.partition(99));
        assertEquals(1, partitioner.partition(0));
    }

    @Test
    void aSampleWithFewDistinctKeysGivesFewerPartitions() {
        RangePartitioner<String> partitioner = RangePartitioner.fromSample(List.of("a", "a", "a", "b", "b", "b"), 6,
                Comparator.naturalOrder(), true);

        assertEquals(3, partitioner.partitions(), "bounds a and b: keys up to a, up to b, above b");
        assertEquals(0, partitioner.partition("a"));
        assertEquals(1, partitioner.partition("b"));
        assertEquals(2, partitioner.partition("z"));
        assertEquals(1, RangePartitioner.fromSample(List.<String>of(), 4, Comparator.naturalOrder(), true).partitions());
    }

    @SuppressWarnings("unchecked")
    private static <T> T roundTrip(T value) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (T) in.readObject();
        }
    }
}
