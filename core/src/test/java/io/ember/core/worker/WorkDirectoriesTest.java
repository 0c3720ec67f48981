package io.ember.core.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

final class WorkDirectoriesTest {

    @TempDir
    Path dir;

    @Test
    void createsTheExecutorDirectoryUnderItsApplication() throws Exception {
        WorkDirectories directories = new WorkDirectories(dir.resolve("work"));

        Path executorDir = directories.create("app-20240101-0001", "3");

        assertEquals(dir.resolve("work").resolve("app-20240101-0001").resolve("3"), executorDir);
        assertTrue(Files.isDirectory(executorDir));
        assertEquals(executorDir.getParent(), directories.appDir("app-20240101-0001"));
        assertEquals(executorDir, directories.create("app-20240101-0001", "3"), "create twice");
    }

    @Test
    void resolvesARelativeRootToAnAbsoluteOne() {
        assertTrue(new WorkDirectories(Path.of("work")).root().isAbsolute());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "..", "../x", "a/b", "a\\b", "/abs", "a b", "x\0y", "é"})
    void refusesIdsThatAreNotASingleSafeFileName(String id) {
        WorkDirectories directories = new WorkDirectories(dir.resolve("work"));

        IllegalArgumentException app = assertThrows(IllegalArgumentException.class, () -> directories.create(id, "1"));
        assertTrue(app.getMessage().contains("application id '" + id + "'"), app.getMessage());
        IllegalArgumentException executor =
                assertThrows(IllegalArgumentException.class, () -> directories.create("app", id));
        assertTrue(executor.getMessage().contains("executor id '" + id + "'"), executor.getMessage());
        assertThrows(IllegalArgumentException.class, () -> directories.deleteApplication(id));
        assertFalse(Files.exists(dir.resolve("work").resolve("app")), "nothing created");
    }

    @Test
    void acceptsLettersDigitsDotsUnderscoresAndDashes() throws Exception {
        WorkDirectories directories = new WorkDirectories(dir.resolve("work"));

        assertTrue(Files.isDirectory(directories.create("App.1_x-Y", "..3")));
        assertTrue(Files.isDirectory(directories.create("a".repeat(255), "1")));
        assertThrows(IllegalArgumentException.class, () -> directories.create("a".repeat(256), "1"));
    }

    @Test
    void deletesAnApplicationsTreeAndNothingElse() throws Exception {
        WorkDirectories directories = new WorkDirectories(dir.resolve("work"));
        Path one = directories.create("app-1", "1");
        Path two = directories.create("app-1", "2");
        Files.writeString(one.resolve("stdout"), "out");
        Files.createDirectories(two.resolve("nested").resolve("deeper"));
        Files.writeString(two.resolve("nested").resolve("deeper").resolve("file"), "x");
        Path other = directories.create("app-2", "1");

        assertTrue(directories.deleteApplication("app-1"));

        assertFalse(Files.exists(directories.appDir("app-1")));
        assertTrue(Files.isDirectory(other));
    }

    @Test
    void deletingIsIdempotent() throws Exception {
        WorkDirectories directories = new WorkDirectories(dir.resolve("work"));
        directories.create("app-1", "1");

        assertTrue(directories.deleteApplication("app-1"));
        assertFalse(directories.deleteApplication("app-1"));
        assertFalse(directories.deleteApplication("never-existed"));
    }

    @Test
    void deletesSymbolicLinksWithoutFollowingThem() throws Exception {
        WorkDirectories directories = new WorkDirectories(dir.resolve("work"));
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Path precious = Files.writeString(outside.resolve("precious"), "keep me");
        Path executorDir = directories.create("app-1", "1");
        Path fileLink = createSymbolicLinkOrSkip(executorDir.resolve("file-link"), precious);
        Files.createSymbolicLink(executorDir.resolve("dir-link"), outside);

        directories.deleteApplication("app-1");

        assertFalse(Files.exists(fileLink, LinkOption.NOFOLLOW_LINKS));
        assertFalse(Files.exists(directories.appDir("app-1")));
        assertEquals("keep me", Files.readString(precious));
    }

    @Test
    void deletesAnApplicationDirectoryThatIsALinkAsTheLinkOnly() throws Exception {
        WorkDirectories directories = new WorkDirectories(dir.resolve("work"));
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Path precious = Files.writeString(outside.resolve("precious"), "keep me");
        Files.createDirectories(directories.root());
        createSymbolicLinkOrSkip(directories.appDir("app-1"), outside);

        IOException refused = assertThrows(IOException.class, () -> directories.create("app-1", "1"));
        assertTrue(refused.getMessage().contains("symbolic link"), refused.getMessage());
        assertTrue(directories.deleteApplication("app-1"));

        assertFalse(Files.exists(directories.appDir("app-1"), LinkOption.NOFOLLOW_LINKS));
        assertEquals("keep me", Files.readString(precious));
    }

    private static Path createSymbolicLinkOrSkip(Path link, Path target) throws IOException {
        try {
            return Files.createSymbolicLink(link, target);
        } catch (UnsupportedOperationException e) {
            Assumptions.abort("symbolic links are not supported here");
            throw e;
        }
    }

    /** Two shuffle services of one host (two workers sharing a work directory) keep their state apart. */
    @Test
    void eachShuffleServicePortHasItsOwnStateDirectory() {
        Path work = Path.of("/opt/ember/work");
        assertEquals(work.resolve(".shuffle-service-7337"), WorkerServer.shuffleServiceDirectory(work, 7337));
        assertNotEquals(WorkerServer.shuffleServiceDirectory(work, 7337), WorkerServer.shuffleServiceDirectory(work, 7338));
        assertEquals(work.resolve(".shuffle-service"), WorkerServer.shuffleServiceDirectory(work, 0),
                "a service on any free port has a work directory of its own");
    }
}
