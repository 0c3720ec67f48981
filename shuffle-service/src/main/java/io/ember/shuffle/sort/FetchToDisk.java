package io.ember.shuffle.sort;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where a client puts a fetched block too large to hold in memory: a block longer than
 * {@code threshold} bytes is written to a temporary file in {@code directory} as its bytes arrive
 * (its checksum computed on the way), and read from there; smaller ones stay in memory. Immutable.
 *
 * @param threshold the longest block held in memory
 * @param directory where larger blocks go; empty: every block is held in memory (up to
 *     {@link ResponseDecoder#MAX_BLOCK_BYTES})
 */
record FetchToDisk(long threshold, Optional<Path> directory) {

    /** Every block in memory. */
    static final FetchToDisk NEVER = new FetchToDisk(Long.MAX_VALUE, Optional.empty());

    FetchToDisk {
        requireNonNull(directory, "directory is null");
        if (threshold < 0) {
            throw new IllegalArgumentException("threshold must be >= 0: " + threshold);
        }
    }

    /** Blocks longer than {@code threshold} go to files in {@code directory}. */
    static FetchToDisk above(long threshold, Path directory) {
        return new FetchToDisk(threshold, Optional.of(requireNonNull(directory, "directory is null")));
    }

    /** Whether a block of {@code length} bytes goes to a file. */
    boolean toDisk(long length) {
        return directory.isPresent() && length > threshold;
    }
}
