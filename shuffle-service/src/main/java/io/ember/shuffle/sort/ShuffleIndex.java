package io.ember.shuffle.sort;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * The index of one map task's output: where each reduce partition's block starts in the data file,
 * and the checksum of each block.
 *
 * <p>Format (big-endian): magic {@code "EMBI"}, version (int, 1), partitions {@code n} (int),
 * checksum algorithm (byte: 0 none, 1 crc32c, 2 adler32), {@code n + 1} offsets (long; block
 * {@code r} is bytes {@code [offset[r], offset[r+1])}), {@code n} checksums (long), and a CRC-32C of
 * everything before it (long), so a damaged index is detected too.
 *
 * <p>Immutable and thread-safe.
 */
final class ShuffleIndex {

    private static final int MAGIC = 0x454d4249;   // "EMBI"
    private static final int VERSION = 1;
    /** Guards against reading a huge allocation from a damaged header. */
    static final int MAX_PARTITIONS = 1 << 20;

    private final long[] offsets;
    private final long[] checksums;
    private final ChecksumAlgorithm algorithm;

    /**
     * @param offsets {@code partitions + 1} non-decreasing offsets starting at 0
     * @param checksums one per partition
     * @param algorithm how the checksums were computed, or {@code null} when blocks carry none
     */
    ShuffleIndex(long[] offsets, long[] checksums, ChecksumAlgorithm algorithm) {
        requireNonNull(offsets, "offsets is null");
        requireNonNull(checksums, "checksums is null");
        if (offsets.length != checksums.length + 1 || offsets.length < 1 || offsets[0] != 0) {
            throw new IllegalArgumentException("an index has partitions + 1 offsets from 0 and a checksum per partition");
        }
        for (int i = 1; i < offsets.length; i++) {
            if (offsets[i] < offsets[i - 1]) {
                throw new IllegalArgumentException("offsets must not decrease: " + offsets[i - 1] + " then " + offsets[i]);
            }
        }
        this.offsets = offsets.clone();
        this.checksums = checksums.clone();
        this.algorithm = algorithm;
    }

    int partitions() {
        return checksums.length;
    }

    long offset(int reduceId) {
        return offsets[reduceId];
    }

    long length(int reduceId) {
        return offsets[reduceId + 1] - offsets[reduceId];
    }

    long checksum(int reduceId) {
        return checksums[reduceId];
    }

    /** The algorithm of the checksums, or {@code null} when the blocks carry none. */
    ChecksumAlgorithm algorithm() {
        return algorithm;
    }

    /** The total length of the data file this index describes. */
    long dataLength() {
        return offsets[offsets.length - 1];
    }

    /** The index as bytes, in the format above. */
    byte[] toBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(13 + 16 * offsets.length + 8);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeInt(partitions());
            out.writeByte(algorithm == null ? 0 : algorithm.ordinal() + 1);
            for (long offset : offsets) {
                out.writeLong(offset);
            }
            for (long checksum : checksums) {
                out.writeLong(checksum);
            }
            CRC32C crc = new CRC32C();
            crc.update(bytes.toByteArray());
            out.writeLong(crc.getValue());
        } catch (IOException e) {
            throw new UncheckedIOException(e);   // in memory: cannot happen
        }
        return bytes.toByteArray();
    }

    /**
     * Reads an index file.
     *
     * @throws IOException when it cannot be read, or is not an index (wrong magic, version, size or
     *     its own checksum does not match): the message says which
     */
    static ShuffleIndex read(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        return parse(bytes, file.toString());
    }

    static ShuffleIndex parse(byte[] bytes, String source) throws IOException {
        if (bytes.length < 13 + 8 + 8) {
            throw new IOException(source + " is not a shuffle index: " + bytes.length + " bytes");
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        if (buffer.getInt() != MAGIC) {
            throw new IOException(source + " is not a shuffle index: bad magic");
        }
        int version = buffer.getInt();
        if (version != VERSION) {
            throw new IOException(source + " has index version " + version + "; this reader knows " + VERSION);
        }
        int partitions = buffer.getInt();
        if (partitions < 0 || partitions > MAX_PARTITIONS
                || bytes.length != 13 + 8L * (partitions + 1) + 8L * partitions + 8) {
            throw new IOException(source + " is damaged: " + partitions + " partitions in " + bytes.length + " bytes");
        }
        int algorithmId = buffer.get();
        if (algorithmId < 0 || algorithmId > ChecksumAlgorithm.values().length) {
            throw new IOException(source + " names an unknown checksum algorithm " + algorithmId);
        }
        long[] offsets = new long[partitions + 1];
        for (int i = 0; i <= partitions; i++) {
            offsets[i] = buffer.getLong();
        }
        long[] checksums = new long[partitions];
        for (int i = 0; i < partitions; i++) {
            checksums[i] = buffer.getLong();
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, bytes.length - 8);
        if (buffer.getLong() != crc.getValue()) {
            throw new IOException(source + " is damaged: its checksum does not match");
        }
        try {
            return new ShuffleIndex(offsets, checksums,
                    algorithmId == 0 ? null : ChecksumAlgorithm.values()[algorithmId - 1]);
        } catch (IllegalArgumentException e) {
            throw new IOException(source + " is damaged: " + e.getMessage());
        }
    }

    /** Reads an index from a stream that holds exactly one (for fetched indexes). */
    static ShuffleIndex read(InputStream in, String source) throws IOException {
        return parse(new DataInputStream(in).readAllBytes(), source);
    }
}
