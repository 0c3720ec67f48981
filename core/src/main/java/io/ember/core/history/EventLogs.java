package io.ember.core.history;

import static java.util.Objects.requireNonNull;

import io.ember.api.config.Durations;
import io.ember.core.files.FileTrees;
import io.ember.core.status.AppStatusStore;
import io.ember.core.status.EventLogReader;
import io.ember.core.status.StatusEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The applications of an event-log directory, each replayed into an {@link AppStatusStore}:
 * {@link #refresh} finds new logs and logs that changed since they were read (running
 * applications), reads them again, and applies the retention: the logs of ended applications older
 * than {@code maxAge} (by their last change), and beyond the newest {@code maxApplications} ended
 * ones, are deleted. A running application's log is never deleted. A log that cannot be read is
 * skipped with one WARN line and tried again when it changes.
 *
 * <p>Thread-safe: {@link #refresh} runs on one thread; the queries, from the web server's threads,
 * read an immutable snapshot it publishes.
 */
final class EventLogs {

    private static final Logger LOG = LoggerFactory.getLogger(EventLogs.class);

    /** One application's log as last read. */
    record Loaded(String applicationId, Path directory, long signature, boolean inProgress, long lastModified,
                  AppStatusStore store) {
    }

    private final Path directory;
    private final AppStatusStore.Retention retention;
    private final Duration maxAge;
    private final int maxApplications;
    private final Clock clock;
    private volatile Map<String, Loaded> loaded = Map.of();
    private final Map<Path, Long> unreadable = new LinkedHashMap<>();

    EventLogs(Path directory, AppStatusStore.Retention retention, Duration maxAge, int maxApplications,
              Clock clock) {
        this.directory = requireNonNull(directory, "directory is null");
        this.retention = requireNonNull(retention, "retention is null");
        this.maxAge = requireNonNull(maxAge, "maxAge is null");
        this.maxApplications = maxApplications;
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** Every application read, newest start first. */
    List<Loaded> applications() {
        List<Loaded> all = new ArrayList<>(loaded.values());
        all.sort(Comparator.comparingLong((Loaded l) -> l.store().application(0).startTime()).reversed());
        return all;
    }

    Optional<AppStatusStore> find(String applicationId) {
        return Optional.ofNullable(loaded.get(applicationId)).map(Loaded::store);
    }

    /** Reads what is new or changed and applies the retention. */
    synchronized void refresh() {
        Map<String, Loaded> next = new LinkedHashMap<>();
        List<Path> logs;
        try {
            logs = logDirectories();
        } catch (IOException e) {
            LOG.warn("Cannot list the event logs in {}: {}", directory, e.getMessage());
            return;
        }
        Map<String, Loaded> previous = loaded;
        for (Path log : logs) {
            String id = log.getFileName().toString();
            long signature = signature(log);
            Loaded known = previous.get(id);
            if (known != null && known.signature() == signature) {
                next.put(id, known);
                continue;
            }
            if (unreadable.getOrDefault(log, -1L) == signature) {
                continue;
            }
            read(log, signature).ifPresentOrElse(l -> {
                next.put(id, l);
                unreadable.remove(log);
            }, () -> unreadable.put(log, signature));
        }
        loaded = Map.copyOf(retain(next));
    }

    private Map<String, Loaded> retain(Map<String, Loaded> all) {
        long now = clock.millis();
        List<Loaded> ended = all.values().stream().filter(l -> !l.inProgress())
                .sorted(Comparator.comparingLong(Loaded::lastModified).reversed()).toList();
        Map<String, Loaded> kept = new LinkedHashMap<>(all);
        for (int i = 0; i < ended.size(); i++) {
            Loaded log = ended.get(i);
            boolean tooOld = now - log.lastModified() > maxAge.toMillis();
            if (tooOld || i >= maxApplications) {
                try {
                    FileTrees.deleteRecursively(log.directory());
                    kept.remove(log.applicationId());
                    LOG.info("Deleted the event log of application {}: {}", log.applicationId(), tooOld
                            ? "it ended more than " + Durations.format(maxAge) + " ago (ember.history.maxAge)"
                            : "more than " + maxApplications + " ended applications (ember.history.maxApplications)");
                } catch (IOException | UncheckedIOException e) {
                    LOG.warn("Cannot delete the event log {}: {}", log.directory(), e.getMessage());
                }
            }
        }
        return kept;
    }

    private List<Path> logDirectories() throws IOException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.filter(Files::isDirectory).sorted().toList();
        }
    }

    /** Changes whenever a file of the log is added, grows or is rewritten, or the marker goes. */
    private static long signature(Path log) {
        long signature = EventLogReader.inProgress(log) ? 1 : 0;
        try (Stream<Path> files = Files.list(log)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                signature = 31 * signature + file.getFileName().hashCode();
                signature = 31 * signature + Files.size(file);
                signature = 31 * signature + Files.getLastModifiedTime(file).toMillis();
            }
        } catch (IOException e) {
            return -1;
        }
        return signature;
    }

    private Optional<Loaded> read(Path log, long signature) {
        try {
            AppStatusStore[] store = new AppStatusStore[1];
            EventLogReader.read(log, event -> {
                if (store[0] == null) {
                    if (event instanceof StatusEvent.ApplicationStarted started) {
                        store[0] = new AppStatusStore(started, retention);
                    }
                    return;
                }
                store[0].apply(event);
            });
            if (store[0] == null) {
                LOG.warn("Skipping the event log {}: it does not start with the application's start", log);
                return Optional.empty();
            }
            return Optional.of(new Loaded(log.getFileName().toString(), log, signature,
                    EventLogReader.inProgress(log), lastModified(log), store[0]));
        } catch (IOException | RuntimeException e) {
            LOG.warn("Skipping the event log {}: {}", log, e.getMessage());
            return Optional.empty();
        }
    }

    private static long lastModified(Path log) throws IOException {
        long last = Files.getLastModifiedTime(log).toMillis();
        try (Stream<Path> files = Files.list(log)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                FileTime time = Files.getLastModifiedTime(file);
                last = Math.max(last, time.toMillis());
            }
        }
        return last;
    }
}
