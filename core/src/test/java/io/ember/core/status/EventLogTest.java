package io.ember.core.status;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The event log written, rolled, compressed and read back, whole, cut off, or from a newer writer. */
final class EventLogTest {

    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(5_000), ZoneOffset.UTC);

    @TempDir
    Path dir;

    private static List<StatusEvent> events(int tasks) {
        List<StatusEvent> events = new ArrayList<>();
        events.add(new StatusEvent.ApplicationStarted("app-1", "report", "etl", "local-cluster[2,1]",
                "http://127.0.0.1:4040", 1_000));
        events.add(new StatusEvent.ExecutorAdded("1", "10.0.0.5", 2, 1_100));
        events.add(new StatusEvent.JobStarted(0, "count at Report.java:12", "default", 1_200));
        events.add(new StatusEvent.StageSubmitted(0, 0, "result stage", "default", tasks, 1_200));
        for (int i = 0; i < tasks; i++) {
            events.add(new StatusEvent.TaskStarted(0, 0, i, i, 0, "1", "ANY", 1_300 + i));
            events.add(new StatusEvent.TaskEnded(0, 0, i, i, "1", "FINISHED", "", 1_000_000, 10, 3, 120, 0, 0, 64,
                    4, 0, 0, 0, 0, 1_400 + i));
        }
        events.add(new StatusEvent.StageCompleted(0, 0, true, 9_000));
        events.add(new StatusEvent.JobEnded(0, true, 9_000));
        events.add(new StatusEvent.AllocationChanged(3, 2, List.of("1"), 9_100));
        events.add(new StatusEvent.ApplicationEnded(9_500));
        return events;
    }

    private static List<StatusEvent> readBack(Path directory) throws IOException {
        List<StatusEvent> read = new ArrayList<>();
        EventLogReader.read(directory, read::add);
        return read;
    }

    @Test
    void compressedLogsRollBySizeAndReadBackEveryEventInOrder() throws IOException {
        List<StatusEvent> events = events(2_000);
        EventLogWriter writer = EventLogWriter.open(dir, "app-1", true, 16 * 1024, CLOCK);
        events.forEach(writer);
        assertTrue(EventLogReader.inProgress(writer.directory()));
        writer.close();

        List<Path> files = EventLogReader.files(writer.directory());
        assertTrue(files.size() > 1, "rolled: " + files);
        assertEquals("events-000001.jsonl.gz", files.get(0).getFileName().toString());
        assertFalse(EventLogReader.inProgress(writer.directory()), "the marker goes once the end is written");
        assertEquals(events, readBack(writer.directory()));
        try (GZIPInputStream in = new GZIPInputStream(Files.newInputStream(files.get(0)))) {
            String first = new String(in.readAllBytes(), UTF_8).lines().findFirst().orElseThrow();
            assertEquals("{\"event\":\"ApplicationStarted\",\"applicationId\":\"app-1\",\"name\":\"report\","
                    + "\"queue\":\"etl\",\"masterUrl\":\"local-cluster[2,1]\",\"uiUrl\":\"http://127.0.0.1:4040\","
                    + "\"time\":1000}", first, "the documented format");
        }
    }

    @Test
    void plainLogsAreJsonLines() throws IOException {
        List<StatusEvent> events = events(3);
        EventLogWriter writer = EventLogWriter.open(dir, "app-1", false, 1 << 20, CLOCK);
        events.forEach(writer);
        writer.close();

        Path file = writer.directory().resolve("events-000001.jsonl");
        assertEquals(events.size(), Files.readAllLines(file).size());
        assertEquals(events, readBack(writer.directory()));
    }

    @Test
    void aRunningApplicationsLogReadsUpToItsLastFlush() throws IOException {
        EventLogWriter writer = EventLogWriter.open(dir, "app-1", true, 1 << 20, CLOCK);
        List<StatusEvent> events = events(5);
        int upToTheJobsEnd = events.size() - 2;
        events.subList(0, upToTheJobsEnd).forEach(writer);   // the job's end flushes

        List<StatusEvent> read = readBack(writer.directory());

        assertEquals(events.subList(0, upToTheJobsEnd), read);
        assertTrue(EventLogReader.inProgress(writer.directory()));
        writer.close();
    }

    @Test
    void skipsEventsItDoesNotKnowAndLinesCutOff() throws IOException {
        Path app = Files.createDirectories(dir.resolve("app-2"));
        Files.writeString(app.resolve("events-000001.jsonl"), """
                {"event":"ApplicationStarted","applicationId":"app-2","name":"n","queue":"q","masterUrl":"m","uiUrl":"","time":1,"addedLater":true}
                {"event":"SomethingNewer","time":2}
                {"event":"JobStarted","jobId":0,"description":"d","pool":"default","time":3}
                {"event":"JobEnded","jobId":0,"succ""");

        List<StatusEvent> read = readBack(app);

        assertEquals(List.of(new StatusEvent.ApplicationStarted("app-2", "n", "q", "m", "", 1),
                new StatusEvent.JobStarted(0, "d", "default", 3)), read);
    }

    @Test
    void twoApplicationsNeverShareALog() throws IOException {
        EventLogWriter.open(dir, "app-1", true, 1 << 20, CLOCK).close();

        assertThrows(FileAlreadyExistsException.class, () -> EventLogWriter.open(dir, "app-1", true, 1 << 20, CLOCK));
    }
}
