package io.ember.api.shuffle;

import java.io.InputStream;
import java.util.Objects;

/**
 * A block a {@link ShuffleReader} fetched and verified: its bytes are exactly what the map task
 * wrote for this reduce partition. The reader owns the stream; it is valid until the next call to
 * {@link ShuffleReader#next()} or {@link ShuffleReader#close()}.
 *
 * @param id the block
 * @param data its bytes
 */
public record ShuffleBlock(ShuffleBlockId id, InputStream data) {

    public ShuffleBlock {
        Objects.requireNonNull(id, "id is null");
        Objects.requireNonNull(data, "data is null");
    }
}
