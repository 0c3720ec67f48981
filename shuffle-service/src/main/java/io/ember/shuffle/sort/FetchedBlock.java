package io.ember.shuffle.sort;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A block as a {@link ShuffleClient} received it, not yet verified: its bytes, held in memory or
 * (a large one, see {@link FetchToDisk}) in a temporary file, and the checksum the server read from
 * the index. Whoever receives one owns it: a file-backed block's file is deleted by {@link #discard()}.
 *
 * <p>Immutable apart from its file; handed from the client's event loop to one reader.
 */
final class FetchedBlock {

    private final long requestId;
    private final String blockId;
    private final ChecksumAlgorithm algorithm;
    private final long checksum;
    private final byte[] bytes;         // null when in a file
    private final Path file;            // null when in memory
    private final long length;
    private final boolean intactOnDisk; // the checksum computed as the file was written matched

    /**
     * A block held in memory.
     *
     * @param requestId the fetch it answers
     * @param blockId the block's id as the server sent it
     * @param algorithm the checksum's algorithm, or {@code null} when the block carries none
     * @param checksum the stored checksum
     * @param data the bytes, owned by the receiver
     */
    FetchedBlock(long requestId, String blockId, ChecksumAlgorithm algorithm, long checksum, byte[] data) {
        this(requestId, blockId, algorithm, checksum, requireNonNull(data, "data is null"), null, data.length, false);
    }

    private FetchedBlock(long requestId, String blockId, ChecksumAlgorithm algorithm, long checksum, byte[] bytes,
                         Path file, long length, boolean intactOnDisk) {
        this.requestId = requestId;
        this.blockId = requireNonNull(blockId, "blockId is null");
        this.algorithm = algorithm;
        this.checksum = checksum;
        this.bytes = bytes;
        this.file = file;
        this.length = length;
        this.intactOnDisk = intactOnDisk;
    }

    /**
     * A block written to a temporary file as it arrived.
     *
     * @param computed the checksum of the bytes written, by {@code algorithm} (ignored without one)
     */
    static FetchedBlock inFile(long requestId, String blockId, ChecksumAlgorithm algorithm, long checksum, Path file,
                               long length, long computed) {
        return new FetchedBlock(requestId, blockId, algorithm, checksum, null, requireNonNull(file, "file is null"),
                length, algorithm == null || computed == checksum);
    }

    long requestId() {
        return requestId;
    }

    String blockId() {
        return blockId;
    }

    ChecksumAlgorithm algorithm() {
        return algorithm;
    }

    /** The bytes received. */
    long length() {
        return length;
    }

    /** The temporary file holding the bytes; empty when they are in memory. */
    Optional<Path> file() {
        return Optional.ofNullable(file);
    }

    /** Whether the bytes match the stored checksum (always, when the block carries none). */
    boolean intact() {
        return bytes == null ? intactOnDisk : BlockChecksum.matches(algorithm, checksum, bytes);
    }

    /** The bytes, read from the file when the block is in one (for small blocks and tests). */
    byte[] data() {
        if (bytes != null) {
            return bytes;
        }
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read fetched block " + blockId + " from " + file, e);
        }
    }

    /** A stream of the bytes; from the file when the block is in one (which stays until {@link #discard()}). */
    InputStream open() throws IOException {
        return bytes != null ? new ByteArrayInputStream(bytes) : Files.newInputStream(file);
    }

    /** Deletes the file, when the block is in one; an open stream of it reads on. Idempotent. */
    void discard() {
        if (file != null) {
            deleteQuietly(file);
        }
    }

    /** Deletes a fetched block's file, whole or half written; one that stays goes with the executor's directory. */
    static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // the executor's work directory goes with the application
        }
    }

    @Override
    public String toString() {
        return "FetchedBlock[" + blockId + ", " + length + " bytes" + (file == null ? "" : " in " + file) + "]";
    }
}
