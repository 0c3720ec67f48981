package io.ember.shuffle.sort;

import java.util.zip.Checksum;

/**
 * Computes a block's checksum the way the writer stores it in the index: a fresh checksum of the
 * algorithm over the block's bytes, its {@link Checksum#getValue()}.
 *
 * <p>Stateless and thread-safe.
 */
final class BlockChecksum {

    private BlockChecksum() {
    }

    /** The checksum of {@code bytes}. */
    static long of(ChecksumAlgorithm algorithm, byte[] bytes) {
        Checksum checksum = algorithm.newChecksum();
        checksum.update(bytes, 0, bytes.length);
        return checksum.getValue();
    }

    /** Whether {@code bytes} match the stored checksum; always when the block carries none. */
    static boolean matches(ChecksumAlgorithm algorithm, long expected, byte[] bytes) {
        return algorithm == null || of(algorithm, bytes) == expected;
    }
}
