package io.ember.core.dataset;

import static java.util.Objects.requireNonNull;

import io.ember.core.serialization.RecordSerializer;
import io.ember.core.task.TaskContext;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * A task's spill files: records written in turn to a file of the task's spill directory, read back
 * in the same order. Every file is deleted, and every reader closed, when the task ends (by any
 * path), so nothing a task spilled outlives it.
 *
 * <p>Used by one task's thread.
 */
final class SpillFiles {

    private static final int BUFFER_BYTES = 64 << 10;

    private final TaskContext context;
    private final RecordSerializer serializer;
    private long bytesWritten;
    private int files;

    SpillFiles(TaskContext context) {
        this.context = requireNonNull(context, "context is null");
        this.serializer = context.records();
    }

    /** A file being written; {@link Writer#finish()} closes it and returns it for reading. */
    Writer create() {
        try {
            Path dir = Files.createDirectories(context.spillDirectory());
            Path file = Files.createTempFile(dir, "task-" + context.taskId() + "-", ".spill");
            context.onCompletion(() -> deleteQuietly(file));
            files++;
            OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), BUFFER_BYTES);
            context.onCompletion(() -> closeQuietly(out));   // a task that fails while it writes
            return new Writer(file, out);
        } catch (IOException e) {
            throw new UncheckedIOException("task " + context.taskId() + " cannot create a spill file in "
                    + context.spillDirectory() + ": " + e.getMessage(), e);
        }
    }

    /** The records of a finished file, in the order they were written; the file stays until the task ends. */
    Iterator<Object> read(Path file) {
        InputStream in;
        try {
            in = new BufferedInputStream(Files.newInputStream(file), BUFFER_BYTES);
        } catch (IOException e) {
            throw new UncheckedIOException("task " + context.taskId() + " cannot read its spill file " + file, e);
        }
        context.onCompletion(() -> closeQuietly(in));
        Iterator<Object> records = serializer.read(in);
        return new Iterator<>() {
            private boolean open = true;

            @Override
            public boolean hasNext() {
                if (open && !records.hasNext()) {
                    open = false;
                    closeQuietly(in);
                }
                return open;
            }

            @Override
            public Object next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return records.next();
            }
        };
    }

    /** Bytes written to this task's spill files so far. */
    long bytesWritten() {
        return bytesWritten;
    }

    /** How many spill files this task created. */
    int files() {
        return files;
    }

    /** One spill file being written. */
    final class Writer {
        private final Path file;
        private final OutputStream out;
        private final RecordSerializer.Encoder encoder = serializer.newEncoder();
        private long bytes;

        private Writer(Path file, OutputStream out) {
            this.file = file;
            this.out = out;
        }

        void write(Object record) {
            encoder.write(record);
            if (encoder.size() >= BUFFER_BYTES) {
                drain();
            }
        }

        /** Closes the file; returns it, to be {@link #read}. */
        Path finish() {
            drain();
            try {
                out.close();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write spill file " + file, e);
            }
            context.shuffleCounts().spilled(bytes);
            return file;
        }

        private void drain() {
            try {
                out.write(encoder.array(), 0, encoder.size());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write spill file " + file + ": " + e.getMessage(), e);
            }
            bytesWritten += encoder.size();
            bytes += encoder.size();
            encoder.reset();
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // the executor's work directory goes with the application
        }
    }

    private static void closeQuietly(Closeable stream) {
        try {
            stream.close();
        } catch (IOException e) {
            // the file is deleted with the task either way
        }
    }
}
