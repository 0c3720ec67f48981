package io.ember.shuffle.sort;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The plugin's own recursive delete follows the rules of core's FileTrees. */
final class ShuffleDirsTest {

    @TempDir
    Path dir;

    @Test
    void deletesOnlyShuffleDirectoriesInEachLocalDirectory() throws IOException {
        Path local = Files.createDirectory(dir.resolve("local"));
        tree(local.resolve("shuffle-0"));
        tree(local.resolve("shuffle-12"));
        tree(local.resolve("blocks"));

        ShuffleDirs.deleteAll(List.of(local, dir.resolve("missing")));

        assertEquals(List.of(local.resolve("blocks")), children(local));
    }

    @Test
    void deletesALinkToADirectoryOutsideTheTreeAndLeavesTheTargetAndItsFiles() throws IOException {
        Path outside = tree(dir.resolve("outside"));
        List<Path> before = walk(outside);
        Path root = tree(dir.resolve("shuffle-1"));
        Files.createSymbolicLink(root.resolve("a").resolve("link"), outside);

        ShuffleDirs.delete(root);

        assertFalse(Files.exists(root, LinkOption.NOFOLLOW_LINKS));
        assertEquals(before, walk(outside));
    }

    @Test
    void deletesOnlyTheLinkWhenTheRootIsASymbolicLink() throws IOException {
        Path target = tree(dir.resolve("target"));
        List<Path> before = walk(target);
        Path root = Files.createSymbolicLink(dir.resolve("shuffle-1"), target);

        ShuffleDirs.delete(root);

        assertFalse(Files.exists(root, LinkOption.NOFOLLOW_LINKS));
        assertEquals(before, walk(target));
    }

    @Test
    void doesNothingWhenTheRootIsMissing() throws IOException {
        ShuffleDirs.delete(dir.resolve("shuffle-9"));

        assertTrue(Files.isDirectory(dir));
    }

    @Test
    void toleratesADirectoryThatVanishesWhileItDeletes() throws IOException {
        Path root = tree(dir.resolve("shuffle-1"));
        Path sub = root.resolve("a");
        AtomicBoolean vanished = new AtomicBoolean();

        ShuffleDirs.delete(root, path -> {
            if (path.startsWith(sub) && !path.equals(sub) && vanished.compareAndSet(false, true)) {
                deleteTree(sub);
            }
        });

        assertTrue(vanished.get());
        assertFalse(Files.exists(root, LinkOption.NOFOLLOW_LINKS));
    }

    /** root/{a/{b/{f1,f2}, f3}, f4}. */
    private static Path tree(Path root) throws IOException {
        Path b = Files.createDirectories(root.resolve("a").resolve("b"));
        Files.writeString(b.resolve("f1"), "1");
        Files.writeString(b.resolve("f2"), "2");
        Files.writeString(root.resolve("a").resolve("f3"), "3");
        Files.writeString(root.resolve("f4"), "4");
        return root;
    }

    private static List<Path> children(Path dir) throws IOException {
        try (Stream<Path> paths = Files.list(dir)) {
            return paths.sorted().toList();
        }
    }

    private static List<Path> walk(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            return paths.map(root::relativize).sorted().toList();
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
