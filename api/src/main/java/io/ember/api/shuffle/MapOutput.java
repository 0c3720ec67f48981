package io.ember.api.shuffle;

import java.util.Arrays;

/**
 * What one map task wrote: the length in bytes of its block for each reduce partition (0 when it
 * wrote nothing for it). Immutable; the array is copied in and out.
 */
public final class MapOutput {

    private final long[] partitionLengths;
    private final int spills;

    /** @param partitionLengths bytes per reduce partition, each >= 0 */
    public MapOutput(long[] partitionLengths) {
        this(partitionLengths, 0);
    }

    /**
     * @param partitionLengths bytes per reduce partition, each >= 0
     * @param spills how many times the writer spilled records to disk before it merged them (0 when
     *     everything fit in memory, or the writer does not say)
     */
    public MapOutput(long[] partitionLengths, int spills) {
        if (spills < 0) {
            throw new IllegalArgumentException("spills must be >= 0: " + spills);
        }
        this.spills = spills;
        this.partitionLengths = partitionLengths.clone();
        for (long length : this.partitionLengths) {
            if (length < 0) {
                throw new IllegalArgumentException("partition lengths must be >= 0: " + Arrays.toString(partitionLengths));
            }
        }
    }

    /** How many reduce partitions. */
    public int partitions() {
        return partitionLengths.length;
    }

    /** The length of reduce partition {@code reduceId}'s block. */
    public long length(int reduceId) {
        return partitionLengths[reduceId];
    }

    /** How many times the writer spilled to disk before merging. */
    public int spills() {
        return spills;
    }

    /** The lengths of all blocks, a copy. */
    public long[] lengths() {
        return partitionLengths.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof MapOutput o && Arrays.equals(partitionLengths, o.partitionLengths);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(partitionLengths);
    }

    @Override
    public String toString() {
        return "MapOutput" + Arrays.toString(partitionLengths);
    }
}
