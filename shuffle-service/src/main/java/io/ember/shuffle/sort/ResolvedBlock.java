package io.ember.shuffle.sort;

import static java.util.Objects.requireNonNull;

import io.ember.api.shuffle.ShuffleBlockId;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.Checksum;

/**
 * Where one block is on disk, found through {@link ShuffleFiles} and its {@link ShuffleIndex}: the
 * byte range of the data file and the checksum the writer stored.
 *
 * <p>{@link #resolve} is the one way the shuffle server and the local reader find a block; it never
 * returns a file outside the executor's directories.
 *
 * @param id the block
 * @param dataFile the map task's data file
 * @param offset where the block starts in it
 * @param length the block's length
 * @param algorithm the checksum's algorithm, or {@code null} when the block carries none
 * @param checksum the stored checksum
 */
record ResolvedBlock(ShuffleBlockId id, Path dataFile, long offset, long length, ChecksumAlgorithm algorithm,
                     long checksum) {

    /** The buffer a streamed block is read through. */
    private static final int STREAM_BUFFER = 64 << 10;

    ResolvedBlock {
        requireNonNull(id, "id is null");
        requireNonNull(dataFile, "dataFile is null");
    }

    /** The block's bytes do not match the checksum its writer stored. */
    static final class CorruptBlockException extends IOException {
        private static final long serialVersionUID = 1L;

        CorruptBlockException(String message) {
            super(message);
        }
    }

    /**
     * Finds a block of an executor's output.
     *
     * @throws IOException naming the block when its files are missing, damaged or outside the
     *     executor's directories, or it has no such partition
     */
    static ResolvedBlock resolve(ShuffleFiles files, ShuffleBlockId id) throws IOException {
        requireNonNull(files, "files is null");
        requireNonNull(id, "id is null");
        Path index = contained(files, files.indexFile(id.shuffleId(), id.mapId()), id);
        Path data = contained(files, files.dataFile(id.shuffleId(), id.mapId()), id);
        ShuffleIndex shuffleIndex;
        try {
            shuffleIndex = ShuffleIndex.read(index);
        } catch (NoSuchFileException e) {
            throw new IOException("no map output for " + id + " (no index file)");
        } catch (IOException e) {
            throw new IOException("cannot read the index of " + id + ": " + e.getMessage(), e);
        }
        if (id.reduceId() >= shuffleIndex.partitions()) {
            throw new IOException("no partition " + id.reduceId() + " in the map output of " + id + ": it has "
                    + shuffleIndex.partitions() + " partitions");
        }
        long dataLength;
        try {
            dataLength = Files.size(data);
        } catch (NoSuchFileException e) {
            throw new IOException("no map output for " + id + " (no data file)");
        }
        if (dataLength < shuffleIndex.dataLength()) {
            throw new IOException("the data file of " + id + " is truncated: " + dataLength + " bytes, its index says "
                    + shuffleIndex.dataLength());
        }
        return new ResolvedBlock(id, data, shuffleIndex.offset(id.reduceId()), shuffleIndex.length(id.reduceId()),
                shuffleIndex.algorithm(), shuffleIndex.checksum(id.reduceId()));
    }

    /** Reads the block's bytes; blocks are at most what an array holds. */
    byte[] readAll() throws IOException {
        if (length > Integer.MAX_VALUE - 8) {
            throw new IOException("block of " + length + " bytes is larger than this reader can hold");
        }
        ByteBuffer buffer = ByteBuffer.allocate((int) length);
        try (FileChannel channel = FileChannel.open(dataFile, StandardOpenOption.READ)) {
            while (buffer.hasRemaining()) {
                if (channel.read(buffer, offset + buffer.position()) < 0) {
                    throw new IOException(dataFile + " ended before the block did");
                }
            }
        }
        return buffer.array();
    }

    /**
     * Reads the block's bytes and checks them against the stored checksum: what it returns is
     * exactly what the map task wrote.
     *
     * @throws CorruptBlockException naming the block and the file when the checksum does not match
     * @throws IOException when the file cannot be read
     */
    byte[] readChecked() throws IOException {
        byte[] bytes = readAll();
        if (!BlockChecksum.matches(algorithm, checksum, bytes)) {
            throw new CorruptBlockException(id + " in " + dataFile + " is corrupt: its " + algorithm.word()
                    + " checksum does not match");
        }
        return bytes;
    }

    /**
     * The block's bytes as a stream, checked against the stored checksum before the first byte is
     * returned: a block of at most {@code inMemoryUpTo} bytes is read whole ({@link #readChecked()});
     * a longer one is read twice from the file, once to check it (a sequential read the page cache
     * mostly serves) and once as the caller reads, so it is never held whole in memory. The caller
     * closes the stream.
     *
     * @throws CorruptBlockException naming the block and the file when the checksum does not match
     * @throws IOException when the file cannot be read
     */
    InputStream openChecked(long inMemoryUpTo) throws IOException {
        if (length <= inMemoryUpTo) {
            return new ByteArrayInputStream(readChecked());
        }
        if (algorithm != null) {
            Checksum computed = algorithm.newChecksum();
            try (InputStream in = openRange()) {
                byte[] buffer = new byte[STREAM_BUFFER];
                for (int n; (n = in.read(buffer)) > 0; ) {
                    computed.update(buffer, 0, n);
                }
            }
            if (computed.getValue() != checksum) {
                throw new CorruptBlockException(id + " in " + dataFile + " is corrupt: its " + algorithm.word()
                        + " checksum does not match");
            }
        }
        return openRange();
    }

    /** The block's byte range of the data file, buffered; it fails when the file ends before the block. */
    private InputStream openRange() throws IOException {
        FileChannel channel = FileChannel.open(dataFile, StandardOpenOption.READ);
        try {
            channel.position(offset);
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        InputStream file = Channels.newInputStream(channel);
        return new BufferedInputStream(new InputStream() {
            private long left = length;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (left == 0) {
                    return -1;
                }
                int n = file.read(b, off, (int) Math.min(len, left));
                if (n < 0) {
                    throw new IOException(dataFile + " ended before the block " + id + " did");
                }
                left -= n;
                return n;
            }

            @Override
            public void close() throws IOException {
                file.close();
            }
        }, STREAM_BUFFER);
    }

    /**
     * The file, checked to be inside one of the executor's directories: by its normalized path, and
     * when it exists by its real path (so no symbolic link leads out).
     */
    private static Path contained(ShuffleFiles files, Path file, ShuffleBlockId id) throws IOException {
        Path normalized = file.normalize();
        for (Path dir : files.localDirs()) {
            Path root = dir.normalize();
            if (normalized.startsWith(root) && !normalized.equals(root)) {
                if (Files.exists(normalized) && !normalized.toRealPath().startsWith(root.toRealPath())) {
                    break;
                }
                return normalized;
            }
        }
        throw new IOException("the files of " + id + " are outside the executor's directories");
    }
}
