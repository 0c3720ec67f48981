package io.ember.api.shuffle;

import java.util.Objects;

/**
 * One block a reduce task needs: its id, where it can be fetched, and its length as the map task
 * reported it.
 *
 * @param id the block
 * @param location where it is served
 * @param length its length in bytes, > 0 (empty blocks are never fetched)
 */
public record MapBlock(ShuffleBlockId id, BlockLocation location, long length) {

    public MapBlock {
        Objects.requireNonNull(id, "id is null");
        Objects.requireNonNull(location, "location is null");
        if (length <= 0) {
            throw new IllegalArgumentException("a fetched block has bytes: " + id + " length " + length);
        }
    }
}
