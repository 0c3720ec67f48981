package io.ember.core.files;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.function.Consumer;

/**
 * Deletes file trees: the one recursive delete of Ember's runtime, its examples and benchmarks
 * (plugins, which see only the API, keep their own copy that follows the same rules).
 *
 * <p>Stateless and thread-safe.
 */
public final class FileTrees {

    private FileTrees() {
    }

    /**
     * Deletes {@code root} and everything under it.
     *
     * <ul>
     *   <li>Symbolic links are deleted, never followed: a link to a directory elsewhere goes, the
     *       directory and its files stay. When {@code root} itself is a symbolic link, only the
     *       link is deleted.
     *   <li>A missing {@code root} is fine: nothing is deleted.
     *   <li>Entries that vanish during the delete (another process or thread deleting the same
     *       tree) are fine.
     *   <li>Any other failure (a directory that is not empty because a file appeared in it meanwhile,
     *       an entry that may not be deleted) stops the delete with an exception naming the path.
     * </ul>
     *
     * @throws IOException naming the path that could not be read or deleted
     */
    public static void deleteRecursively(Path root) throws IOException {
        deleteRecursively(root, path -> { });
    }

    /**
     * {@link #deleteRecursively(Path)}, calling {@code beforeDelete} with every path just before
     * it is deleted: for tests that change the tree at a chosen moment.
     */
    static void deleteRecursively(Path root, Consumer<Path> beforeDelete) throws IOException {
        requireNonNull(root, "root is null");
        requireNonNull(beforeDelete, "beforeDelete is null");
        // Without FOLLOW_LINKS, walkFileTree reports a symbolic link (root included) as a file,
        // so a link is deleted and never entered.
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                delete(file, beforeDelete);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw withPath(file, e);
            }

            @Override
            public FileVisitResult postVisitDirectory(Path directory, IOException e) throws IOException {
                if (e != null && !(e instanceof NoSuchFileException)) {
                    throw withPath(directory, e);
                }
                delete(directory, beforeDelete);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void delete(Path path, Consumer<Path> beforeDelete) throws IOException {
        beforeDelete.accept(path);
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            throw withPath(path, e);
        }
    }

    /** The failure itself when it names a path (the JDK's file system exceptions do), else one that does. */
    private static IOException withPath(Path path, IOException e) {
        if (e instanceof FileSystemException named && named.getFile() != null) {
            return e;
        }
        return new IOException("cannot delete " + path + ": " + e.getMessage(), e);
    }
}
