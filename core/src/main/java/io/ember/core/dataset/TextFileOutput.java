package io.ember.core.dataset;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import io.ember.core.files.FileTrees;
import io.ember.core.task.TaskContext;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Iterator;

/**
 * A text output directory, as {@link Dataset#saveAsTextFile} writes it: the driver
 * {@linkplain #prepare prepares} it, each task {@linkplain #writePartition writes} its partition to
 * {@code _temporary/part-NNNNN-attempt-<taskId>} and renames it to {@code part-NNNNN} (replacing a
 * copy an earlier attempt left, which has the same records), and the driver
 * {@linkplain #commit commits}: deletes {@code _temporary} and writes an empty {@code _SUCCESS}.
 *
 * @param directory the output directory's absolute path (a string: paths are not serializable)
 */
record TextFileOutput(String directory) implements Serializable {

    static final String TEMPORARY = "_temporary";
    static final String SUCCESS = "_SUCCESS";

    TextFileOutput {
        requireNonNull(directory, "directory is null");
    }

    /**
     * Creates the directory {@code path} and its {@code _temporary}, on the driver.
     *
     * @throws IllegalArgumentException when {@code path} exists
     */
    static TextFileOutput prepare(String path) {
        requireNonNull(path, "path is null");
        Path directory = Path.of(path).toAbsolutePath().normalize();
        if (Files.exists(directory)) {
            throw new IllegalArgumentException("output directory " + directory + " already exists; "
                    + "delete it or choose another path");
        }
        try {
            Files.createDirectories(directory.getParent());
            Files.createDirectory(directory);
            Files.createDirectory(directory.resolve(TEMPORARY));
        } catch (FileAlreadyExistsException e) {
            throw new IllegalArgumentException("output directory " + directory + " already exists; "
                    + "delete it or choose another path", e);
        } catch (IOException e) {
            throw new UncheckedIOException("could not create output directory " + directory + ": " + e, e);
        }
        return new TextFileOutput(directory.toString());
    }

    /** Writes one partition's records, on an executor. */
    void writePartition(Iterator<?> records, TaskContext context) throws IOException {
        Path directory = Path.of(this.directory);
        Path temporary = directory.resolve(TEMPORARY);
        String part = partName(context.partition());
        Path attempt = temporary.resolve(part + "-attempt-" + context.taskId());
        if (!Files.isDirectory(temporary)) {
            // The driver made it: an executor that does not see it would write where nobody looks.
            throw new IOException("the output directory " + directory + " that the driver created is not on this "
                    + "executor's host; saveAsTextFile writes into it from every executor, so it must be on a file "
                    + "system every host shares");
        }
        try (Writer out = Files.newBufferedWriter(attempt, UTF_8)) {
            while (records.hasNext()) {
                context.throwIfKilled();
                out.write(String.valueOf(records.next()));
                out.write('\n');
            }
        }
        Path target = directory.resolve(part);
        try {
            Files.move(attempt, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(attempt, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Deletes {@code _temporary} and writes {@code _SUCCESS}, on the driver after the job. */
    void commit() {
        Path directory = Path.of(this.directory);
        try {
            FileTrees.deleteRecursively(directory.resolve(TEMPORARY));
            Files.write(directory.resolve(SUCCESS), new byte[0]);
        } catch (IOException e) {
            throw new UncheckedIOException("could not commit output directory " + directory + ": " + e, e);
        }
    }

    /** Deletes {@code _temporary} after a failed job, best effort; the failure is added to {@code cause}. */
    void abort(Throwable cause) {
        try {
            FileTrees.deleteRecursively(Path.of(directory).resolve(TEMPORARY));
        } catch (IOException | UncheckedIOException e) {
            cause.addSuppressed(e);
        }
    }

    static String partName(int partition) {
        return String.format("part-%05d", partition);
    }
}
