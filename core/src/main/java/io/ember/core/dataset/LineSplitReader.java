package io.ember.core.dataset;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * The lines that start within bytes {@code start} to {@code end} of a file, read lazily. A line
 * starts at byte 0 and after every {@code \n}; the reader skips to the first line start at or after
 * {@code start} and reads whole lines while they start before {@code end}, reading past {@code end}
 * to finish the last one. Terminators ({@code \n}, {@code \r\n}) are dropped; lines are decoded as
 * UTF-8 (a {@code \n} byte never occurs inside a multi-byte character, so lines are whole).
 *
 * <p>The file is closed when the last line has been read, or by {@link #close()}. Not thread-safe.
 */
final class LineSplitReader implements Iterator<String>, Closeable {

    private static final int BUFFER_SIZE = 64 * 1024;

    private final Path file;
    private final long end;
    private final FileChannel channel;
    private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER_SIZE).limit(0);
    /** File offset of the buffer's next byte. */
    private long position;
    private byte[] line = new byte[256];
    private String next;
    private boolean finished;

    LineSplitReader(Path file, long start, long end) {
        this.file = requireNonNull(file, "file is null");
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("a split needs 0 <= start <= end: " + start + ", " + end);
        }
        this.end = end;
        try {
            this.channel = FileChannel.open(file, StandardOpenOption.READ);
        } catch (IOException e) {
            throw new UncheckedIOException("could not open " + file + ": " + e, e);
        }
        try {
            if (start > 0) {
                // The line at 'start' is ours only if the byte before it ends a line; skipping through
                // the first '\n' from 'start - 1' lands exactly on our first line either way.
                channel.position(start - 1);
                position = start - 1;
                skipThroughNewline();
            }
        } catch (IOException | RuntimeException e) {
            closeQuietly(e);
            throw e instanceof IOException io ? failure(io) : (RuntimeException) e;
        }
    }

    @Override
    public boolean hasNext() {
        if (next == null && !finished) {
            try {
                next = readLine();
            } catch (IOException e) {
                closeQuietly(e);
                throw failure(e);
            }
            if (next == null) {
                close();
            }
        }
        return next != null;
    }

    @Override
    public String next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        String line = next;
        next = null;
        return line;
    }

    /** Stops reading and closes the file; idempotent. */
    @Override
    public void close() {
        finished = true;
        try {
            channel.close();
        } catch (IOException e) {
            throw failure(e);
        }
    }

    /** The next line starting before {@code end}, or {@code null}. */
    private String readLine() throws IOException {
        if (position >= end) {
            return null;
        }
        int length = 0;
        boolean any = false;
        while (true) {
            if (!buffer.hasRemaining() && !fill()) {
                return any ? decode(length, false) : null;
            }
            byte[] bytes = buffer.array();
            int from = buffer.position();
            int limit = buffer.limit();
            int newline = from;
            while (newline < limit && bytes[newline] != '\n') {
                newline++;
            }
            int chunk = newline - from;
            if (length + chunk > line.length) {
                line = Arrays.copyOf(line, Math.max(length + chunk, line.length * 2));
            }
            System.arraycopy(bytes, from, line, length, chunk);
            length += chunk;
            any = true;
            if (newline < limit) {
                buffer.position(newline + 1);
                position += chunk + 1;
                return decode(length, true);
            }
            buffer.position(limit);
            position += chunk;
        }
    }

    private String decode(int length, boolean terminated) {
        if (terminated && length > 0 && line[length - 1] == '\r') {
            length--;
        }
        return new String(line, 0, length, UTF_8);
    }

    private void skipThroughNewline() throws IOException {
        while (true) {
            if (!buffer.hasRemaining() && !fill()) {
                return;
            }
            byte b = buffer.get();
            position++;
            if (b == '\n') {
                return;
            }
        }
    }

    /** Refills the buffer; false at the end of the file. */
    private boolean fill() throws IOException {
        buffer.clear();
        int read;
        do {
            read = channel.read(buffer);
        } while (read == 0);
        buffer.flip();
        return read > 0;
    }

    private UncheckedIOException failure(IOException e) {
        return new UncheckedIOException("could not read " + file + ": " + e, e);
    }

    private void closeQuietly(Exception cause) {
        finished = true;
        try {
            channel.close();
        } catch (IOException e) {
            cause.addSuppressed(e);
        }
    }
}
