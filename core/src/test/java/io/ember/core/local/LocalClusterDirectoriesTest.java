package io.ember.core.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sweep of directories that local clusters left behind, with real processes as owners: a
 * directory goes only when its owner provably no longer runs.
 */
final class LocalClusterDirectoriesTest {

    @TempDir
    Path parent;

    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void endProcesses() {
        processes.forEach(Process::destroyForcibly);
    }

    @Test
    void removesADirectoryWhoseOwnerHasExitedAndSaysWhatItHeld() throws Exception {
        Process owner = start();
        Path left = directoryOwnedBy(owner.toHandle());
        Files.write(left.resolve("work-0").resolve("shuffle.data"), new byte[3 << 20]);
        owner.destroyForcibly();
        assertTrue(owner.waitFor(30, TimeUnit.SECONDS), "the owner exits");

        List<LocalClusterDirectories.Removed> removed = directories().sweep();

        assertEquals(List.of(left), removed.stream().map(LocalClusterDirectories.Removed::directory).toList());
        assertEquals(owner.pid(), removed.get(0).pid());
        assertTrue(removed.get(0).bytes() >= 3 << 20, removed.toString());
        assertEquals(left.getFileName() + " (process " + owner.pid() + ", 3 MB)", removed.get(0).toString());
        assertFalse(Files.exists(left));
    }

    @Test
    void keepsTheDirectoriesOfOwnersThatRun() throws Exception {
        Path otherProcess = directoryOwnedBy(start().toHandle());
        Path thisProcess = directories().create();

        assertEquals(List.of(), directories().sweep());

        assertTrue(Files.exists(otherProcess.resolve("work-0")));
        assertTrue(Files.exists(thisProcess.resolve(LocalClusterDirectories.OWNER_FILE)));
    }

    @Test
    void removesADirectoryWhoseOwnersPidALaterProcessHasTaken() throws Exception {
        ProcessHandle running = start().toHandle();
        Instant started = running.info().startInstant().orElseThrow();
        Path left = directoryWithRecord("pid=" + running.pid() + "\nstarted=" + started.minus(Duration.ofHours(1))
                + "\n" + namespaceLine());

        assertEquals(List.of(left), directories().sweep().stream().map(LocalClusterDirectories.Removed::directory)
                .toList());
    }

    @Test
    void keepsADirectoryWhoseOwnerItCannotTell() throws Exception {
        Process owner = start();
        long pid = owner.pid();
        owner.destroyForcibly();
        assertTrue(owner.waitFor(30, TimeUnit.SECONDS), "the owner exits");
        Path noRecord = Files.createDirectories(parent.resolve(LocalClusterDirectories.PREFIX + "1"));
        Path badRecord = directoryWithRecord("pid=soon\n");
        Path otherNamespace = directoryWithRecord("pid=" + pid + "\npidNamespace=pid:[1]\n");

        assertEquals(List.of(), directories().sweep());

        assertTrue(Files.exists(noRecord) && Files.exists(badRecord) && Files.exists(otherNamespace));
    }

    @Test
    void looksOnlyAtLocalClusterDirectoriesAndFollowsNoLink() throws Exception {
        Process owner = start();
        Path left = directoryOwnedBy(owner.toHandle());
        Path elsewhere = Files.move(left, parent.resolve("not-a-local-cluster"));
        Path link = Files.createSymbolicLink(parent.resolve(LocalClusterDirectories.PREFIX + "link"), elsewhere);
        owner.destroyForcibly();
        assertTrue(owner.waitFor(30, TimeUnit.SECONDS), "the owner exits");

        assertEquals(List.of(), directories().sweep());

        assertTrue(Files.exists(elsewhere.resolve("work-0")));
        assertTrue(Files.isSymbolicLink(link));
    }

    @Test
    void aNewDirectoryHoldsThisProcesssRecord() throws Exception {
        Path created = directories().create();

        String record = Files.readString(created.resolve(LocalClusterDirectories.OWNER_FILE));

        assertTrue(created.getFileName().toString().startsWith(LocalClusterDirectories.PREFIX), created.toString());
        assertTrue(record.contains("pid=" + ProcessHandle.current().pid() + "\n"), record);
        assertTrue(record.contains("started=" + ProcessHandle.current().info().startInstant().orElseThrow()), record);
        try (Stream<Path> entries = Files.list(created)) {
            assertEquals(1, entries.count(), "no draft of the record is left");
        }
    }

    private LocalClusterDirectories directories() {
        return new LocalClusterDirectories(parent);
    }

    /** A process that runs until the test ends it. */
    private Process start() throws IOException {
        Process process = new ProcessBuilder("sleep", "600").start();
        processes.add(process);
        return process;
    }

    /** A local cluster's directory, with a work directory, owned by {@code owner}. */
    private Path directoryOwnedBy(ProcessHandle owner) throws IOException {
        Path directory = Files.createTempDirectory(parent, LocalClusterDirectories.PREFIX);
        Files.createDirectories(directory.resolve("work-0"));
        LocalClusterDirectories.writeOwner(directory, owner);
        return directory;
    }

    private Path directoryWithRecord(String record) throws IOException {
        Path directory = Files.createTempDirectory(parent, LocalClusterDirectories.PREFIX);
        Files.writeString(directory.resolve(LocalClusterDirectories.OWNER_FILE), record);
        return directory;
    }

    /** This process's pid namespace, as a record states it (none where there is no /proc). */
    private static String namespaceLine() throws IOException {
        Path link = Path.of("/proc/self/ns/pid");
        return Files.isSymbolicLink(link) ? "pidNamespace=" + Files.readSymbolicLink(link) + "\n" : "";
    }
}
