package io.ember.core.dataset;

import static java.util.Objects.requireNonNull;

import io.ember.core.task.TaskContext;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The lines of a text file, or of the files of a directory, split by byte ranges. The files and
 * their sizes are listed on the driver when the dataset is created and shipped with it; executors
 * read the same paths, so in a cluster they must be on a shared filesystem.
 *
 * <p>A line belongs to the split in which it starts: a split skips the partial line at its start
 * (unless the byte before it ends a line) and reads past its end to finish its last line. Lines are
 * UTF-8 and end with {@code \n} or {@code \r\n}; the last line of a file may have no terminator.
 */
final class TextFileDataset extends Dataset<String> {

    private static final long serialVersionUID = 1L;

    private final String path;
    private final List<Split> splits;

    private TextFileDataset(JobRunner runner, String path, List<Split> splits) {
        super(runner);
        this.path = path;
        this.splits = List.copyOf(splits);
    }

    /**
     * Lists {@code path} and splits its files so that there are about {@code minPartitions} splits
     * or more: each file is cut into pieces of {@code totalSize / minPartitions} bytes (at least 1),
     * the last piece of a file taking the rest. Empty files give no split; an input with no bytes
     * still has one (empty) partition.
     *
     * @throws UncheckedIOException when {@code path} does not exist or cannot be listed
     */
    static TextFileDataset open(JobRunner runner, String path, int minPartitions) {
        requireNonNull(runner, "runner is null");
        requireNonNull(path, "path is null");
        if (minPartitions < 1) {
            throw new IllegalArgumentException("minPartitions must be >= 1: " + minPartitions);
        }
        Path root = Path.of(path).toAbsolutePath().normalize();
        if (!Files.exists(root)) {
            throw new UncheckedIOException("input path does not exist: " + root,
                    new NoSuchFileException(root.toString()));
        }
        try {
            List<Path> files = Files.isDirectory(root) ? listFiles(root) : List.of(root);
            List<Long> sizes = new ArrayList<>(files.size());
            long totalSize = 0;
            for (Path file : files) {
                long size = Files.size(file);
                sizes.add(size);
                totalSize += size;
            }
            long goalSize = Math.max(1, totalSize / minPartitions);
            List<Split> splits = new ArrayList<>();
            for (int i = 0; i < files.size(); i++) {
                long size = sizes.get(i);
                for (long offset = 0; offset < size; offset += goalSize) {
                    splits.add(new Split(files.get(i).toString(), offset, Math.min(size, offset + goalSize)));
                }
            }
            return new TextFileDataset(runner, root.toString(), splits);
        } catch (IOException e) {
            throw new UncheckedIOException("could not list input path " + root + ": " + e, e);
        }
    }

    /** The directory's regular files, by name, without those whose names start with '_' or '.'. */
    private static List<Path> listFiles(Path directory) throws IOException {
        try (Stream<Path> entries = Files.list(directory)) {
            return entries
                    .filter(entry -> {
                        String name = entry.getFileName().toString();
                        return !name.startsWith("_") && !name.startsWith(".");
                    })
                    .filter(Files::isRegularFile)
                    .sorted(Comparator.comparing(entry -> entry.getFileName().toString()))
                    .toList();
        }
    }

    /** The byte ranges, one per partition; empty when the input has no bytes. */
    List<Split> splits() {
        return splits;
    }

    @Override
    public int numPartitions() {
        return Math.max(1, splits.size());
    }

    @Override
    protected Iterator<String> compute(int partition, TaskContext context) {
        if (splits.isEmpty()) {
            return Collections.emptyIterator();
        }
        Split split = splits.get(partition);
        Path file = Path.of(split.file());
        if (!Files.isReadable(file)) {
            // The driver listed it; an executor that cannot read it is on a host without it.
            throw new UncheckedIOException(new IOException("cannot read input file " + file + " on this executor's "
                    + "host (" + (Files.exists(file) ? "not readable" : "no such file") + "); textFile reads the same "
                    + "path on every executor's host, so the file must be there on each (a shared file system)"));
        }
        return new LineSplitReader(file, split.start(), split.end());
    }

    @Override
    protected String describe() {
        return ", path=" + path;
    }

    /**
     * Bytes {@code start} (inclusive) to {@code end} (exclusive) of {@code file}.
     *
     * @param file an absolute path
     */
    record Split(String file, long start, long end) implements Serializable {

        Split {
            requireNonNull(file, "file is null");
            if (start < 0 || end <= start) {
                throw new IllegalArgumentException("a split needs 0 <= start < end: " + start + ", " + end);
            }
        }
    }
}
