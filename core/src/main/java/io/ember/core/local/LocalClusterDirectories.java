package io.ember.core.local;

import static java.util.Objects.requireNonNull;

import io.ember.core.files.FileTrees;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The directories local clusters keep their files in, {@code ember-local-cluster-*} under a parent
 * ({@code java.io.tmpdir}): the embedded ZooKeeper's data and the workers' work directories, with
 * the executors' output and shuffle files. Each holds a record of the process that owns it (file
 * {@value #OWNER_FILE}: its pid, when it started, its pid namespace), and {@link #sweep()} removes
 * the directories whose owner is gone (killed with {@code kill -9}, forced out by a second Ctrl-C,
 * crashed), so that they do not pile up.
 *
 * <p>A directory is removed only when its owner is provably gone: its record names a process of
 * this process's pid namespace that no longer runs, or whose pid a process that started at another
 * time has taken since. One without a readable record (a directory being created at this moment,
 * one of an older Ember, another user's) is left alone, and so is one whose owner runs: another
 * local cluster, in this JVM or another.
 *
 * <p>Stateless apart from its parent directory; thread-safe. Two sweeps at once are fine (a tree
 * that vanishes while it is deleted is no error).
 */
final class LocalClusterDirectories {

    /** The start of every local cluster's directory name. */
    static final String PREFIX = "ember-local-cluster-";
    /** The owner's record, in each directory. */
    static final String OWNER_FILE = "owner";

    private static final Logger LOG = LoggerFactory.getLogger(LocalClusterDirectories.class);
    /** How far two readings of one process's start time may differ (the JDK derives it from clock ticks). */
    private static final Duration SAME_START = Duration.ofSeconds(1);

    private final Path parent;

    /** @param parent where the directories are: {@code java.io.tmpdir} */
    LocalClusterDirectories(Path parent) {
        this.parent = requireNonNull(parent, "parent is null");
    }

    /** The directories of {@code java.io.tmpdir}. */
    static LocalClusterDirectories inTemporaryDirectory() {
        return new LocalClusterDirectories(Path.of(System.getProperty("java.io.tmpdir")));
    }

    /** A directory removed by {@link #sweep()}: its owner's pid, and the bytes it held. */
    record Removed(Path directory, long pid, long bytes) {
        Removed {
            requireNonNull(directory, "directory is null");
        }

        @Override
        public String toString() {
            return directory.getFileName() + " (process " + pid + ", " + Math.max(1, bytes >> 20) + " MB)";
        }
    }

    /**
     * Creates a fresh directory owned by this process, its record written before anyone can see a
     * half-written one (written beside, then moved into place).
     */
    Path create() throws IOException {
        Path directory = Files.createTempDirectory(parent, PREFIX);
        writeOwner(directory, ProcessHandle.current());
        return directory;
    }

    /** Writes {@code owner}'s record into {@code directory}; tests name processes other than this one. */
    static void writeOwner(Path directory, ProcessHandle owner) throws IOException {
        StringBuilder record = new StringBuilder("# The process that owns this local cluster's directory. When it no longer runs,\n"
                + "# the next local cluster started in this parent directory removes the directory.\n");
        record.append("pid=").append(owner.pid()).append('\n');
        owner.info().startInstant().ifPresent(start -> record.append("started=").append(start).append('\n'));
        pidNamespace(owner.pid()).ifPresent(namespace -> record.append("pidNamespace=").append(namespace).append('\n'));
        Path draft = Files.createTempFile(directory, OWNER_FILE, ".tmp");
        Files.writeString(draft, record, StandardCharsets.UTF_8);
        Files.move(draft, directory.resolve(OWNER_FILE), StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Removes every directory whose owner is provably gone; see the class comment. A directory that
     * cannot be removed is logged as a warning and left.
     *
     * @return what it removed
     */
    List<Removed> sweep() {
        List<Removed> removed = new ArrayList<>();
        Optional<String> ourNamespace = pidNamespace(ProcessHandle.current().pid());
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(parent, PREFIX + "*")) {
            for (Path directory : entries) {
                if (!Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                Optional<Owner> owner = Owner.read(directory.resolve(OWNER_FILE));
                if (owner.isEmpty() || !owner.get().isProvablyGone(ourNamespace)) {
                    continue;
                }
                long bytes = size(directory);
                try {
                    FileTrees.deleteRecursively(directory);
                    removed.add(new Removed(directory, owner.get().pid(), bytes));
                } catch (IOException e) {
                    LOG.warn("Could not remove {}, left by a local cluster whose process {} is gone: {}", directory,
                            owner.get().pid(), e.getMessage());
                }
            }
        } catch (IOException e) {
            LOG.warn("Could not look for directories left by local clusters in {}: {}", parent, e.getMessage());
        }
        return removed;
    }

    /** What a process's pid means: its pid namespace, as {@code pid:[4026531836]}; empty where unknown (not Linux). */
    private static Optional<String> pidNamespace(long pid) {
        try {
            return Optional.of(Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "ns", "pid")).toString());
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return Optional.empty();
        }
    }

    private static long size(Path directory) {
        AtomicLong bytes = new AtomicLong();
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.forEach(path -> {
                try {
                    BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class,
                            LinkOption.NOFOLLOW_LINKS);
                    if (attributes.isRegularFile()) {
                        bytes.addAndGet(attributes.size());
                    }
                } catch (IOException e) {
                    // vanished meanwhile, or unreadable: not counted
                }
            });
        } catch (IOException | RuntimeException e) {
            // counted what could be read
        }
        return bytes.get();
    }

    /** An owner's record: its pid, when it started and its pid namespace (each absent when unknown). */
    private record Owner(long pid, Optional<Instant> started, Optional<String> namespace) {

        /** The record in {@code file}; empty when there is none, or it cannot be read or makes no sense. */
        static Optional<Owner> read(Path file) {
            Properties record = new Properties();
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                record.load(reader);
                long pid = Long.parseLong(record.getProperty("pid", "").strip());
                Optional<Instant> started = Optional.ofNullable(record.getProperty("started")).map(String::strip)
                        .map(Instant::parse);
                return pid > 0 ? Optional.of(new Owner(pid, started,
                        Optional.ofNullable(record.getProperty("pidNamespace")).map(String::strip))) : Optional.empty();
            } catch (IOException | NumberFormatException | DateTimeParseException e) {
                return Optional.empty();
            }
        }

        /**
         * Whether the owner no longer runs, for certain: its pid means the same here (same pid
         * namespace), and no process has it, or the one that has it started at another time.
         */
        boolean isProvablyGone(Optional<String> ourNamespace) {
            if (!namespace.equals(ourNamespace)) {
                return false;
            }
            Optional<ProcessHandle> process = ProcessHandle.of(pid);
            if (process.isEmpty() || !process.get().isAlive()) {
                return true;
            }
            Optional<Instant> processStarted = process.get().info().startInstant();
            return started.isPresent() && processStarted.isPresent()
                    && Duration.between(started.get(), processStarted.get()).abs().compareTo(SAME_START) > 0;
        }
    }
}
