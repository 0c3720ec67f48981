package io.ember.core.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.api.testkit.ManualClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class LeftoverSweepTest {

    private static final Duration GRACE = Duration.ofHours(1);
    private static final String DEAD = "app-20260101000000-0001";
    private static final String LIVE = "app-20260101000000-0002";
    private static final String RUNNING_HERE = "app-20260101000000-0003";
    private static final String RECENT = "app-20260101000000-0004";

    @TempDir
    Path root;

    @TempDir
    Path outside;

    private final ManualClock clock = new ManualClock(Instant.parse("2026-06-01T12:00:00Z"));
    private final AtomicReference<Optional<Set<String>>> live = new AtomicReference<>(Optional.of(Set.of(LIVE)));

    private LeftoverSweep sweep() {
        return new LeftoverSweep(new WorkDirectories(root), live::get, () -> Set.of(RUNNING_HERE), GRACE, clock);
    }

    @Test
    void removesOnlyTheDirectoriesOfDeadApplicationsQuietForTheGrace() throws IOException {
        for (String app : List.of(DEAD, LIVE, RUNNING_HERE)) {
            executorDir(app, Duration.ofHours(2));
        }
        executorDir(RECENT, Duration.ofMinutes(10));

        assertEquals(List.of(DEAD), sweep().sweep());

        assertFalse(Files.exists(root.resolve(DEAD)));
        for (String app : List.of(LIVE, RUNNING_HERE, RECENT)) {
            assertTrue(Files.isDirectory(root.resolve(app)), app + " stays");
        }
    }

    @Test
    void anExecutorsRecentLogKeepsItsApplicationsDirectory() throws IOException {
        Path executor = executorDir(DEAD, Duration.ofHours(2));
        Files.setLastModifiedTime(executor.resolve("stderr"), FileTime.from(clock.instant().minusSeconds(60)));

        assertEquals(List.of(), sweep().sweep());

        clock.advance(GRACE);
        assertEquals(List.of(DEAD), sweep().sweep(), "once the log, too, has been quiet for the grace");
    }

    @Test
    void removesNothingWhileTheLiveApplicationsAreUnknown() throws IOException {
        executorDir(DEAD, Duration.ofHours(2));
        live.set(Optional.empty());

        assertEquals(List.of(), sweep().sweep());

        assertTrue(Files.isDirectory(root.resolve(DEAD)));
    }

    @Test
    void leavesWhatIsNotAnApplicationsDirectoryAlone() throws IOException {
        executorDir("not-an-application", Duration.ofHours(2));
        Files.createDirectories(root.resolve(".class-data"));
        Files.writeString(root.resolve("app-20260101000000-0009"), "a file, not a directory");
        Files.writeString(outside.resolve("precious"), "outside the work directory");
        Files.createSymbolicLink(root.resolve("app-20260101000000-0010"), outside);
        for (Path entry : List.of(root.resolve("not-an-application"), root.resolve(".class-data"),
                root.resolve("app-20260101000000-0009"))) {
            Files.setLastModifiedTime(entry, FileTime.from(clock.instant().minus(Duration.ofDays(2))));
        }

        assertEquals(List.of(), sweep().sweep());

        assertTrue(Files.exists(outside.resolve("precious")));
        assertTrue(Files.isSymbolicLink(root.resolve("app-20260101000000-0010")));
        assertTrue(Files.isDirectory(root.resolve("not-an-application")));
        assertTrue(Files.isDirectory(root.resolve(".class-data")));
    }

    /** An executor's directory with its logs, all last changed {@code age} ago. */
    private Path executorDir(String appId, Duration age) throws IOException {
        Path executor = Files.createDirectories(root.resolve(appId).resolve("0"));
        FileTime then = FileTime.from(clock.instant().minus(age));
        for (String log : List.of("stdout", "stderr")) {
            Files.writeString(executor.resolve(log), "a line\n");
            Files.setLastModifiedTime(executor.resolve(log), then);
        }
        Files.setLastModifiedTime(executor, then);
        Files.setLastModifiedTime(root.resolve(appId), then);
        return executor;
    }
}
