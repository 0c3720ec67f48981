package io.ember.core.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.core.status.AppStatusStore;
import io.ember.core.status.EventLogWriter;
import io.ember.core.status.StatusEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which logs the history server reads again, and which it deletes (by age and by count, never a running one). */
final class EventLogsTest {

    private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final AppStatusStore.Retention RETENTION = new AppStatusStore.Retention(10, 10, 100, 10);

    @TempDir
    Path dir;

    /** A log of application {@code id} whose files last changed {@code age} ago; ended unless {@code running}. */
    private void log(String id, Duration age, boolean running) throws IOException {
        EventLogWriter writer = EventLogWriter.open(dir, id, true, 1 << 20, CLOCK);
        writer.accept(new StatusEvent.ApplicationStarted(id, id, "default", "local[1]", "", 1_000));
        writer.accept(new StatusEvent.JobStarted(0, "count", "default", 1_100));
        if (!running) {
            writer.accept(new StatusEvent.JobEnded(0, true, 1_200));
            writer.accept(new StatusEvent.ApplicationEnded(1_300));
            writer.close();
        } else {
            writer.accept(new StatusEvent.JobEnded(0, true, 1_200));   // flushed, the marker stays
        }
        FileTime time = FileTime.from(NOW.minus(age));
        try (Stream<Path> files = Files.list(dir.resolve(id))) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Files.setLastModifiedTime(file, time);
            }
        }
        Files.setLastModifiedTime(dir.resolve(id), time);
    }

    private List<String> ids(EventLogs logs) {
        return logs.applications().stream().map(EventLogs.Loaded::applicationId).sorted().toList();
    }

    @Test
    void deletesEndedLogsOlderThanMaxAgeButNeverARunningOne() throws IOException {
        log("app-old", Duration.ofDays(8), false);
        log("app-new", Duration.ofDays(1), false);
        log("app-running-old", Duration.ofDays(30), true);
        EventLogs logs = new EventLogs(dir, RETENTION, Duration.ofDays(7), 100, CLOCK);

        logs.refresh();

        assertEquals(List.of("app-new", "app-running-old"), ids(logs));
        assertTrue(Files.notExists(dir.resolve("app-old")));
        assertTrue(Files.exists(dir.resolve("app-running-old")));
        assertTrue(logs.find("app-new").orElseThrow().application(0).completed());
    }

    @Test
    void keepsTheNewestEndedApplicationsUpToMaxApplications() throws IOException {
        log("app-1", Duration.ofHours(3), false);
        log("app-2", Duration.ofHours(2), false);
        log("app-3", Duration.ofHours(1), false);
        log("app-running", Duration.ofHours(5), true);
        EventLogs logs = new EventLogs(dir, RETENTION, Duration.ofDays(7), 2, CLOCK);

        logs.refresh();

        assertEquals(List.of("app-2", "app-3", "app-running"), ids(logs));
        assertTrue(Files.notExists(dir.resolve("app-1")));
    }

    @Test
    void readsALogAgainOnlyWhenItChanged() throws IOException {
        log("app-1", Duration.ofHours(1), false);
        EventLogs logs = new EventLogs(dir, RETENTION, Duration.ofDays(7), 10, CLOCK);
        logs.refresh();
        AppStatusStore first = logs.find("app-1").orElseThrow();

        logs.refresh();
        assertTrue(first == logs.find("app-1").orElseThrow(), "unchanged: not read again");

        Files.writeString(dir.resolve("app-1").resolve("events-000002.jsonl"),
                "{\"event\":\"JobStarted\",\"jobId\":1,\"description\":\"later\",\"pool\":\"default\",\"time\":2000}\n");
        logs.refresh();
        assertEquals(2, logs.find("app-1").orElseThrow().jobs(0).size(), "read again with its new file");
    }

    @Test
    void skipsADirectoryThatIsNotAnEventLog() throws IOException {
        Files.createDirectories(dir.resolve("not-a-log"));
        Files.writeString(dir.resolve("not-a-log").resolve("events-000001.jsonl"), "hello\n");
        log("app-1", Duration.ofHours(1), false);
        EventLogs logs = new EventLogs(dir, RETENTION, Duration.ofDays(7), 10, CLOCK);

        logs.refresh();

        assertEquals(List.of("app-1"), ids(logs));
    }
}
