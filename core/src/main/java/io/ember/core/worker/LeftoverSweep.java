package io.ember.core.worker;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes what ended applications left in a worker's work directory when the worker could not hear
 * of their end (it was down, or cut off from the leader): an application's directory goes when the
 * application has been live neither in ZooKeeper's record nor on this worker for the grace period
 * ({@link EndedApplications}, which counts from when nothing in the directory changed any more, or
 * from when this sweep first saw the application absent, whichever is earlier).
 *
 * <p>It removes nothing it cannot be sure of: only directories named as the master names
 * applications ({@code app-<time>-<number>}), never a symbolic link, and nothing at all while the
 * live applications are unknown (ZooKeeper unreachable).
 *
 * <p>Threading: {@link #sweep} is called from one thread at a time.
 */
final class LeftoverSweep {

    private static final Logger LOG = LoggerFactory.getLogger(LeftoverSweep.class);
    /** How the master names applications; other names in the work directory are not ours to remove. */
    private static final Pattern APPLICATION_ID = Pattern.compile("app-\\d{14}-\\d{4,}");

    private final WorkDirectories directories;
    private final Supplier<Optional<Set<String>>> liveApplications;
    private final Supplier<Set<String>> runningHere;
    private final EndedApplications ended;

    /**
     * @param liveApplications the applications ZooKeeper records as live; empty when it cannot say
     * @param runningHere the applications with an executor on this worker now
     * @param grace how long a dead application's directory stays after it last changed
     */
    LeftoverSweep(WorkDirectories directories, Supplier<Optional<Set<String>>> liveApplications,
                  Supplier<Set<String>> runningHere, Duration grace, Clock clock) {
        this.directories = requireNonNull(directories, "directories is null");
        this.liveApplications = requireNonNull(liveApplications, "liveApplications is null");
        this.runningHere = requireNonNull(runningHere, "runningHere is null");
        this.ended = new EndedApplications(grace, clock);
    }

    /**
     * Removes the directories of dead applications that have been quiet for the grace period.
     *
     * @return the applications whose directories were removed
     */
    List<String> sweep() {
        Path root = directories.root();
        if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
            return List.of();
        }
        Optional<Set<String>> live = liveApplications.get();
        if (live.isEmpty()) {
            LOG.debug("Not looking for leftovers in {}: the live applications are unknown", root);
            return List.of();
        }
        Map<String, Instant> candidates = new HashMap<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
            for (Path entry : entries) {
                String appId = entry.getFileName().toString();
                if (APPLICATION_ID.matcher(appId).matches()) {
                    lastChange(entry).ifPresent(changed -> candidates.put(appId, changed));
                }
            }
        } catch (IOException e) {
            LOG.warn("Could not look for leftovers of ended applications in {}: {}", root, e.toString());
            return List.of();
        }
        Set<String> liveNow = new HashSet<>(live.get());
        liveNow.addAll(runningHere.get());
        List<String> removed = new ArrayList<>();
        for (String appId : ended.endedAmong(candidates.keySet(), liveNow,
                appId -> Optional.ofNullable(candidates.get(appId)))) {
            if (remove(appId)) {
                ended.forget(appId);
                removed.add(appId);
            }
        }
        return removed;
    }

    /**
     * When the application's directory, its executors' directories or their logs last changed;
     * empty when it is not a real directory (a symbolic link or a file: not one this worker made) or
     * is gone.
     */
    private static Optional<Instant> lastChange(Path appDir) throws IOException {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(appDir, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException gone) {
            return Optional.empty();
        }
        if (!attributes.isDirectory()) {
            return Optional.empty();
        }
        long newest = attributes.lastModifiedTime().toMillis();
        try (DirectoryStream<Path> executors = Files.newDirectoryStream(appDir)) {
            for (Path executor : executors) {
                newest = Math.max(newest, modified(executor));
                if (Files.isDirectory(executor, LinkOption.NOFOLLOW_LINKS)) {
                    for (String log : List.of("stdout", "stderr")) {
                        newest = Math.max(newest, modified(executor.resolve(log)));
                    }
                }
            }
        } catch (NoSuchFileException gone) {
            return Optional.empty();
        }
        return Optional.of(Instant.ofEpochMilli(newest));
    }

    private static long modified(Path path) throws IOException {
        try {
            return Files.getLastModifiedTime(path, LinkOption.NOFOLLOW_LINKS).toMillis();
        } catch (NoSuchFileException gone) {
            return Long.MIN_VALUE;
        }
    }

    private boolean remove(String appId) {
        try {
            if (directories.deleteApplication(appId)) {
                LOG.info("Removed the work directory of application {}, which ended while this worker could not "
                        + "hear of it", appId);
                return true;
            }
        } catch (IOException e) {
            LOG.warn("Could not remove the work directory of ended application {}: {}", appId, e.getMessage());
        }
        return false;
    }
}
