package io.ember.core.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class FileTreesTest {

    @TempDir
    Path dir;

    @Test
    void deletesATreeOfFilesAndDirectories() throws IOException {
        Path root = tree(dir.resolve("root"));

        FileTrees.deleteRecursively(root);

        assertGone(root);
    }

    @Test
    void deletesALinkToADirectoryOutsideTheTreeAndLeavesTheTargetAndItsFiles() throws IOException {
        Path outside = tree(dir.resolve("outside"));
        List<Path> outsideBefore = list(outside);
        Path root = tree(dir.resolve("root"));
        Files.createSymbolicLink(root.resolve("a").resolve("link"), outside);

        FileTrees.deleteRecursively(root);

        assertGone(root);
        assertEquals(outsideBefore, list(outside));
    }

    @Test
    void deletesLinksToFilesOutsideAndDanglingLinksWithoutTouchingTheirTargets() throws IOException {
        Path target = Files.writeString(dir.resolve("target.txt"), "keep me");
        Path root = Files.createDirectory(dir.resolve("root"));
        Files.createSymbolicLink(root.resolve("file-link"), target);
        Files.createSymbolicLink(root.resolve("dangling"), dir.resolve("no-such-file"));

        FileTrees.deleteRecursively(root);

        assertGone(root);
        assertEquals("keep me", Files.readString(target));
    }

    @Test
    void deletesOnlyTheLinkWhenTheRootIsASymbolicLink() throws IOException {
        Path target = tree(dir.resolve("target"));
        List<Path> targetBefore = list(target);
        Path root = Files.createSymbolicLink(dir.resolve("root"), target);

        FileTrees.deleteRecursively(root);

        assertGone(root);
        assertEquals(targetBefore, list(target));
    }

    @Test
    void doesNothingWhenTheRootIsMissing() throws IOException {
        FileTrees.deleteRecursively(dir.resolve("no-such-directory"));

        assertTrue(Files.isDirectory(dir));
    }

    @Test
    void toleratesEntriesThatVanishWhileItDeletes() throws IOException {
        Path root = Files.createDirectory(dir.resolve("root"));
        for (int i = 0; i < 8; i++) {
            tree(root.resolve("sub-" + i));
            Files.writeString(root.resolve("file-" + i), "x");
        }
        AtomicBoolean vanished = new AtomicBoolean();

        // Before the first delete the walk has listed the root; then everything else in it goes.
        FileTrees.deleteRecursively(root, path -> {
            if (vanished.compareAndSet(false, true)) {
                Path first = root.relativize(path).getName(0);
                for (Path entry : list(root, 1)) {
                    if (!root.relativize(entry).getName(0).equals(first)) {
                        deleteUnchecked(entry);
                    }
                }
            }
        });

        assertTrue(vanished.get());
        assertGone(root);
    }

    @Test
    void toleratesAnotherThreadDeletingADirectoryItIsIn() throws IOException {
        Path root = tree(dir.resolve("root"));
        Path sub = root.resolve("a");
        AtomicBoolean vanished = new AtomicBoolean();

        // While the walk is inside root/a, another thread deletes root/a with everything in it.
        FileTrees.deleteRecursively(root, path -> {
            if (path.startsWith(sub) && !path.equals(sub) && vanished.compareAndSet(false, true)) {
                Thread other = new Thread(() -> deleteUnchecked(sub));
                other.start();
                joinUninterruptibly(other);
            }
        });

        assertTrue(vanished.get());
        assertGone(root);
    }

    @Test
    void reportsADirectoryThatAFileAppearedInMeanwhileNamingIt() throws IOException {
        Path root = tree(dir.resolve("root"));
        Path sub = root.resolve("a");

        DirectoryNotEmptyException e = assertThrows(DirectoryNotEmptyException.class,
                () -> FileTrees.deleteRecursively(root, path -> {
                    if (path.equals(sub)) {
                        writeUnchecked(sub.resolve("late"));
                    }
                }));

        assertEquals(sub.toString(), e.getMessage());
        assertTrue(Files.exists(sub.resolve("late")));
    }

    @Test
    void refusesANullRoot() {
        NullPointerException e = assertThrows(NullPointerException.class, () -> FileTrees.deleteRecursively(null));
        assertEquals("root is null", e.getMessage());
    }

    /** root/{a/{b/{f1,f2}, f3}, f4, empty/}. */
    private static Path tree(Path root) throws IOException {
        Path b = Files.createDirectories(root.resolve("a").resolve("b"));
        Files.writeString(b.resolve("f1"), "1");
        Files.writeString(b.resolve("f2"), "2");
        Files.writeString(root.resolve("a").resolve("f3"), "3");
        Files.writeString(root.resolve("f4"), "4");
        Files.createDirectory(root.resolve("empty"));
        return root;
    }

    private static void assertGone(Path path) {
        assertFalse(Files.exists(path, LinkOption.NOFOLLOW_LINKS), path + " still exists");
    }

    /** Every path under {@code root}, relative and sorted. */
    private static List<Path> list(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            return paths.map(root::relativize).sorted().toList();
        }
    }

    private static List<Path> list(Path root, int depth) {
        try (Stream<Path> paths = Files.walk(root, depth)) {
            return paths.filter(path -> !path.equals(root)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A plain delete of a tree, for the tests' own changes. */
    private static void deleteUnchecked(Path path) {
        try (Stream<Path> paths = Files.walk(path)) {
            for (Path each : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(each);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeUnchecked(Path file) {
        try {
            Files.writeString(file, "late");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void joinUninterruptibly(Thread thread) {
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
