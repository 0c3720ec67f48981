package io.ember.shuffle.sort;

import io.ember.api.shuffle.ShuffleBlockId;

/**
 * Receives the outcome of each block of a fetch: exactly one call per requested block.
 *
 * <p>Called on a Netty event loop: implementations hand the result over and return quickly.
 */
interface BlockListener {

    /**
     * A block arrived (not yet verified against its checksum). The listener owns it from now on: a
     * block written to a file is {@link FetchedBlock#discard() discarded} once it is of no more use.
     */
    void onBlock(ShuffleBlockId id, FetchedBlock block);

    /** A block cannot be had from this server: refused, missing, or the connection failed. */
    void onFailure(ShuffleBlockId id, String reason, Throwable cause);
}
