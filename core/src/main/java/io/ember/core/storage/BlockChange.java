package io.ember.core.storage;

import static java.util.Objects.requireNonNull;

import io.ember.core.task.BlockId;

/**
 * A block a {@link BlockManager} stored or dropped.
 *
 * @param id the block
 * @param stored {@code true}: it is held now; {@code false}: it was dropped (evicted, or removed on
 *     request)
 * @param sizeBytes its estimated size
 */
public record BlockChange(BlockId id, boolean stored, long sizeBytes) {

    public BlockChange {
        requireNonNull(id, "id is null");
        if (sizeBytes < 0) {
            throw new IllegalArgumentException("sizeBytes must be >= 0: " + sizeBytes);
        }
    }
}
