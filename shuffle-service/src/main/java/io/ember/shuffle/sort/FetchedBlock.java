package io.ember.shuffle.sort;

import static java.util.Objects.requireNonNull;

/**
 * A block as a {@link ShuffleClient} received it, not yet verified: its bytes and the checksum the
 * server read from the index.
 *
 * @param requestId the fetch it answers
 * @param blockId the block's id as the server sent it
 * @param algorithm the checksum's algorithm, or {@code null} when the block carries none
 * @param checksum the stored checksum
 * @param data the bytes, owned by the receiver
 */
record FetchedBlock(long requestId, String blockId, ChecksumAlgorithm algorithm, long checksum, byte[] data) {

    FetchedBlock {
        requireNonNull(blockId, "blockId is null");
        requireNonNull(data, "data is null");
    }

    /** Whether the bytes match the stored checksum (always, when the block carries none). */
    boolean intact() {
        return BlockChecksum.matches(algorithm, checksum, data);
    }
}
