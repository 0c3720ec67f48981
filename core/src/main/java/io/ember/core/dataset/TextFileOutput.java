package io.ember.core.dataset;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import io.ember.core.files.FileTrees;
import io.ember.core.task.TaskContext;
import io.ember.core.task.TaskNotRetryableException;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Iterator;
import java.util.UUID;

/**
 * A text output directory, as {@link Dataset#saveAsTextFile} writes it: the driver
 * {@linkplain #prepare prepares} it, each task {@linkplain #writePartition writes} its partition to
 * {@code _temporary/part-NNNNN-attempt-<taskId>} and renames it to {@code part-NNNNN} (replacing a
 * copy an earlier attempt left, which has the same records), and the driver
 * {@linkplain #commit commits}: deletes {@code _temporary} and writes an empty {@code _SUCCESS}.
 *
 * <p>Every executor must write into the very directory the driver made, so the driver leaves a
 * random token in {@code _temporary/_token} and a task writes only where it finds that token: an
 * executor whose host does not share the directory, or has a directory of the same name of its own
 * (left by an earlier run on a local disk), fails with a {@link TaskNotRetryableException} naming
 * the directory, and the job fails on that first attempt instead of leaving parts nobody reads.
 *
 * @param directory the output directory's absolute path (a string: paths are not serializable)
 * @param token what {@code _temporary/_token} holds in the driver's directory
 */
record TextFileOutput(String directory, String token) implements Serializable {

    static final String TEMPORARY = "_temporary";
    static final String SUCCESS = "_SUCCESS";
    /** In {@code _temporary}, which the job's tasks only write {@code part-NNNNN-attempt-ID} files into. */
    static final String TOKEN = "_token";

    TextFileOutput {
        requireNonNull(directory, "directory is null");
        requireNonNull(token, "token is null");
    }

    /**
     * Creates the directory {@code path}, its {@code _temporary} and the token in it, on the driver.
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
        String token = UUID.randomUUID().toString();
        try {
            Files.createDirectories(directory.getParent());
            Files.createDirectory(directory);
            Files.createDirectory(directory.resolve(TEMPORARY));
            Files.writeString(directory.resolve(TEMPORARY).resolve(TOKEN), token, UTF_8);
        } catch (FileAlreadyExistsException e) {
            throw new IllegalArgumentException("output directory " + directory + " already exists; "
                    + "delete it or choose another path", e);
        } catch (IOException e) {
            throw new UncheckedIOException("could not create output directory " + directory + ": " + e, e);
        }
        return new TextFileOutput(directory.toString(), token);
    }

    /**
     * Writes one partition's records, on an executor.
     *
     * @throws TaskNotRetryableException when this host does not see the driver's directory: every
     *     attempt here would fail the same way
     */
    void writePartition(Iterator<?> records, TaskContext context) throws IOException {
        Path directory = Path.of(this.directory);
        Path temporary = directory.resolve(TEMPORARY);
        String part = partName(context.partition());
        Path attempt = temporary.resolve(part + "-attempt-" + context.taskId());
        checkSameDirectory(directory, temporary);
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

    /**
     * Fails unless {@code temporary} holds the driver's token: a part written elsewhere would be lost.
     *
     * @throws IOException when the token is there but cannot be read (which a retry may cure)
     */
    private void checkSameDirectory(Path directory, Path temporary) throws IOException {
        if (!Files.isDirectory(temporary)) {
            throw new TaskNotRetryableException("saveAsTextFile: the output directory " + directory + " that the "
                    + "driver created is not on this executor's host; it must be on a file system every host shares");
        }
        String found;
        try {
            found = Files.readString(temporary.resolve(TOKEN), UTF_8);
        } catch (NoSuchFileException e) {
            found = null;
        } catch (IOException e) {
            throw new IOException("saveAsTextFile: cannot read " + temporary.resolve(TOKEN) + ", which tells the "
                    + "driver's output directory from another of its name: " + e, e);
        }
        if (!token.equals(found)) {
            throw new TaskNotRetryableException("saveAsTextFile: the output directory " + directory + " on this "
                    + "executor's host is not the one the driver created (" + temporary.resolve(TOKEN)
                    + (found == null ? " is missing" : " holds another token")
                    + ": a directory of that name on this host's own disk?); it must be on a file system every "
                    + "host shares");
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
