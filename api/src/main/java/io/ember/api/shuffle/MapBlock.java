package io.ember.api.shuffle;

import java.util.Objects;

/**
 * One block a reduce task needs: its id, where it can be fetched, and its length as the driver knows
 * it.
 *
 * <p>Lengths are exact in shuffles of up to 2,000 reduce partitions. Above that the driver keeps the
 * lengths of large blocks and an average for the others (as Spark's map output tracker does), so
 * {@code length} may be an estimate: a reader plans its fetches and bounds its bytes in flight with
 * it, and takes the true length from the server that sends the block. Compare the two only when
 * {@code lengthExact}.
 *
 * @param id the block
 * @param location where it is served
 * @param length its length in bytes, > 0 (empty blocks are never fetched)
 * @param lengthExact whether {@code length} is the length the map task wrote (else an estimate)
 * @since 1.5 for {@code lengthExact}
 */
public record MapBlock(ShuffleBlockId id, BlockLocation location, long length, boolean lengthExact) {

    public MapBlock {
        Objects.requireNonNull(id, "id is null");
        Objects.requireNonNull(location, "location is null");
        if (length <= 0) {
            throw new IllegalArgumentException("a fetched block has bytes: " + id + " length " + length);
        }
    }

    /** A block whose length is exact. */
    public MapBlock(ShuffleBlockId id, BlockLocation location, long length) {
        this(id, location, length, true);
    }
}
