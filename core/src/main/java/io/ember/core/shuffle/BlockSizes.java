package io.ember.core.shuffle;

import static java.util.Objects.requireNonNull;

import io.ember.api.shuffle.MapOutput;
import java.io.Serializable;
import java.util.Arrays;
import java.util.BitSet;

/**
 * The length of each reduce partition's block in one map task's output, as the driver keeps it and
 * ships it to reduce tasks: every length when there are few reduce partitions, or, past
 * {@link #EXACT_UP_TO} of them, which blocks are empty, the lengths of the blocks at or above a threshold,
 * and one average for the rest. A shuffle of 3,000 × 3,000 partitions then takes a few hundred bytes
 * per map task instead of 24 KB; a reduce task plans its fetches with the estimates, and the server
 * that sends a block says its true length.
 *
 * <p>Immutable; thread-safe.
 */
public sealed interface BlockSizes extends Serializable permits BlockSizes.Exact, BlockSizes.Approximate {

    /** Up to this many reduce partitions every length is kept; above it, small lengths are averaged. */
    int EXACT_UP_TO = 2000;

    /** How many blocks (reduce partitions). */
    int count();

    /** The length of reduce partition {@code reduceId}'s block: 0 exactly when it is empty. */
    long size(int reduceId);

    /** Whether {@link #size(int)} of {@code reduceId} is the block's true length, not an estimate. */
    boolean exact(int reduceId);

    /** The total length of the blocks, exact. */
    long total();

    /** Every length kept. */
    static BlockSizes exact(long[] lengths) {
        return new Exact(new MapOutput(requireNonNull(lengths, "lengths is null")).lengths());   // checks, copies
    }

    /**
     * These sizes as the driver keeps them: unchanged up to {@link #EXACT_UP_TO} blocks; above, the
     * lengths of blocks of {@code accurateThreshold} bytes or more kept and the other non-empty ones
     * averaged.
     */
    default BlockSizes compact(long accurateThreshold) {
        if (accurateThreshold < 1) {
            throw new IllegalArgumentException("accurateThreshold must be >= 1: " + accurateThreshold);
        }
        if (!(this instanceof Exact exact) || count() <= EXACT_UP_TO) {
            return this;
        }
        return Approximate.of(exact.lengths, accurateThreshold);
    }

    /** Every length. */
    record Exact(long[] lengths) implements BlockSizes {

        private static final long serialVersionUID = 1L;

        @Override
        public long[] lengths() {
            return lengths.clone();
        }

        @Override
        public int count() {
            return lengths.length;
        }

        @Override
        public long size(int reduceId) {
            return lengths[reduceId];
        }

        @Override
        public boolean exact(int reduceId) {
            return true;
        }

        @Override
        public long total() {
            long total = 0;
            for (long length : lengths) {
                total += length;
            }
            return total;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Exact exact && Arrays.equals(lengths, exact.lengths);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(lengths);
        }

        @Override
        public String toString() {
            return "Exact" + Arrays.toString(lengths);
        }
    }

    /**
     * Which blocks have bytes, the lengths of the large ones, an average for the others.
     *
     * @param count how many blocks
     * @param nonEmpty the blocks with bytes
     * @param average the mean length of the non-empty blocks below the threshold (at least 1)
     * @param largeIds the blocks at or above the threshold, ascending
     * @param largeSizes their lengths, in the order of {@code largeIds}
     * @param total the exact total of all blocks
     */
    record Approximate(int count, BitSet nonEmpty, long average, int[] largeIds, long[] largeSizes, long total)
            implements BlockSizes {

        private static final long serialVersionUID = 1L;

        public Approximate {
            requireNonNull(nonEmpty, "nonEmpty is null");
            nonEmpty = (BitSet) nonEmpty.clone();
            largeIds = largeIds.clone();
            largeSizes = largeSizes.clone();
            if (largeIds.length != largeSizes.length) {
                throw new IllegalArgumentException(largeIds.length + " large ids, " + largeSizes.length + " sizes");
            }
        }

        static Approximate of(long[] lengths, long accurateThreshold) {
            BitSet nonEmpty = new BitSet(lengths.length);
            int large = 0;
            long smallBytes = 0;
            int small = 0;
            long total = 0;
            for (int i = 0; i < lengths.length; i++) {
                total += lengths[i];
                if (lengths[i] >= accurateThreshold) {
                    large++;
                } else if (lengths[i] > 0) {
                    small++;
                    smallBytes += lengths[i];
                }
                if (lengths[i] > 0) {
                    nonEmpty.set(i);
                }
            }
            int[] largeIds = new int[large];
            long[] largeSizes = new long[large];
            for (int i = 0, j = 0; i < lengths.length; i++) {
                if (lengths[i] >= accurateThreshold) {
                    largeIds[j] = i;
                    largeSizes[j++] = lengths[i];
                }
            }
            long average = small == 0 ? 1 : Math.max(1, Math.round((double) smallBytes / small));
            return new Approximate(lengths.length, nonEmpty, average, largeIds, largeSizes, total);
        }

        @Override
        public long size(int reduceId) {
            if (reduceId < 0 || reduceId >= count) {
                throw new IndexOutOfBoundsException("block " + reduceId + " of " + count);
            }
            if (!nonEmpty.get(reduceId)) {
                return 0;
            }
            int large = Arrays.binarySearch(largeIds, reduceId);
            return large >= 0 ? largeSizes[large] : average;
        }

        @Override
        public boolean exact(int reduceId) {
            return !nonEmpty.get(reduceId) || Arrays.binarySearch(largeIds, reduceId) >= 0;
        }

        @Override
        public BitSet nonEmpty() {
            return (BitSet) nonEmpty.clone();
        }

        @Override
        public int[] largeIds() {
            return largeIds.clone();
        }

        @Override
        public long[] largeSizes() {
            return largeSizes.clone();
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Approximate that && count == that.count && average == that.average
                    && total == that.total && nonEmpty.equals(that.nonEmpty) && Arrays.equals(largeIds, that.largeIds)
                    && Arrays.equals(largeSizes, that.largeSizes);
        }

        @Override
        public int hashCode() {
            return (nonEmpty.hashCode() * 31 + Long.hashCode(average)) * 31 + Arrays.hashCode(largeIds);
        }

        @Override
        public String toString() {
            return "Approximate[" + count + " blocks, " + nonEmpty.cardinality() + " non-empty, " + largeIds.length
                    + " of them exact, the others ~" + average + " bytes, " + total + " in all]";
        }
    }
}
