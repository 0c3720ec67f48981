package io.ember.api.shuffle;

import java.util.Iterator;

/**
 * Reads the blocks of one reduce partition from wherever they are: local blocks from disk, remote
 * ones fetched from many servers at once, with a bound on the bytes requested and not yet consumed.
 * Every block is checked against the checksum its writer stored; a corrupt block is fetched again,
 * and a block that cannot be had is a {@link FetchFailedException}. Blocks come in no particular
 * order.
 *
 * <p>Threading: used by one task thread; fetching may happen on the reader's own threads.
 */
public interface ShuffleReader extends Iterator<ShuffleBlock>, AutoCloseable {

    /**
     * {@inheritDoc}
     *
     * @throws FetchFailedException when a block cannot be fetched or stays corrupt
     */
    @Override
    ShuffleBlock next();

    /** Stops fetching and releases buffers and connections. Idempotent. */
    @Override
    void close();
}
