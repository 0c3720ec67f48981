package io.ember.shuffle.sort;

import static java.util.Objects.requireNonNull;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.Checksum;

/**
 * Writes a file as a sequence of blocks, one per reduce partition in order, through one buffer,
 * remembering each block's length and, when given an algorithm, its checksum (computed over the
 * buffer as it fills, never per small write). Both the spill files
 * and the data file of {@link SortShuffleWriter} are written with it.
 *
 * <p>A block's bytes come from memory ({@link #write}) or from a region of another file
 * ({@link #copy}); without a checksum to compute, a copy goes from file to file without passing
 * through the heap.
 *
 * <p>Not thread-safe: used by the one thread that owns its writer.
 */
final class BlockFileWriter implements Closeable {

    private final Path file;
    private final FileChannel channel;
    private final ByteBuffer buffer;
    private final Checksum checksum;
    private final long[] lengths;
    private final long[] checksums;
    private int block;
    /** Where the bytes in the buffer not yet added to the checksum start. */
    private int unsummed;
    private long blockStart;
    private long written;

    /**
     * Creates (or truncates) {@code file}.
     *
     * @param blocks how many blocks the file will hold
     * @param bufferSize bytes buffered before a write to the file
     * @param algorithm the checksum of every block, or {@code null} for none
     */
    BlockFileWriter(Path file, int blocks, int bufferSize, ChecksumAlgorithm algorithm) throws IOException {
        this.file = requireNonNull(file, "file is null");
        this.lengths = new long[blocks];
        this.checksums = new long[blocks];
        this.buffer = ByteBuffer.allocate(bufferSize);
        this.checksum = algorithm == null ? null : algorithm.newChecksum();
        this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE);
    }

    /** Appends bytes to the current block. */
    void write(byte[] bytes, int offset, int length) throws IOException {
        written += length;
        while (length > 0) {
            if (!buffer.hasRemaining()) {
                flush();
            }
            int n = Math.min(length, buffer.remaining());
            buffer.put(bytes, offset, n);
            offset += n;
            length -= n;
        }
    }

    /** Appends {@code length} bytes of {@code source} from {@code position} to the current block. */
    void copy(FileChannel source, Path sourceFile, long position, long length) throws IOException {
        long end = position + length;
        if (checksum == null) {
            flush();
            while (position < end) {
                long n = source.transferTo(position, end - position, channel);
                if (n <= 0 && position >= source.size()) {
                    throw new EOFException(sourceFile + " ends at " + source.size() + ", before " + end);
                }
                position += n;
            }
        } else {
            while (position < end) {
                if (!buffer.hasRemaining()) {
                    flush();
                }
                buffer.limit(buffer.position() + (int) Math.min(buffer.remaining(), end - position));
                int n = source.read(buffer, position);
                buffer.limit(buffer.capacity());
                if (n < 0) {
                    throw new EOFException(sourceFile + " ends at " + source.size() + ", before " + end);
                }
                position += n;
            }
        }
        written += length;
    }

    /** Ends the current block; the next bytes go to the next one. */
    void endBlock() {
        lengths[block] = written - blockStart;
        if (checksum != null) {
            sum();
            checksums[block] = checksum.getValue();
            checksum.reset();
        }
        block++;
        blockStart = written;
    }

    /** The length of every block; call after the last {@link #endBlock()}. */
    long[] lengths() {
        checkAllEnded();
        return lengths.clone();
    }

    /** The checksum of every block (zeros without an algorithm); call after the last {@link #endBlock()}. */
    long[] checksums() {
        checkAllEnded();
        return checksums.clone();
    }

    /** Bytes written so far. */
    long written() {
        return written;
    }

    private void checkAllEnded() {
        if (block != lengths.length) {
            throw new IllegalStateException(file + ": " + block + " of " + lengths.length + " blocks ended");
        }
    }

    /**
     * Adds the bytes buffered since the last call to the checksum: summing the buffer in large
     * pieces costs far less than summing each small record as it comes.
     */
    private void sum() {
        checksum.update(buffer.array(), unsummed, buffer.position() - unsummed);
        unsummed = buffer.position();
    }

    private void flush() throws IOException {
        if (checksum != null) {
            sum();
        }
        unsummed = 0;
        buffer.flip();
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
        buffer.clear();
    }

    /** Writes what is buffered and closes the file; the file stays. */
    @Override
    public void close() throws IOException {
        try (channel) {
            if (channel.isOpen()) {
                flush();
            }
        }
    }
}
