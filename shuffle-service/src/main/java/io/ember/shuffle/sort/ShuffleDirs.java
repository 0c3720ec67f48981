package io.ember.shuffle.sort;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Deletes shuffle directories ({@code shuffle-<id>} in an executor's local directories) and
 * everything in them.
 *
 * <p>This is a copy of core's {@code io.ember.core.files.FileTrees.deleteRecursively}, because a
 * plugin sees only the API, not core; it follows the same rules: symbolic links are deleted, never
 * followed (a link as the root included: only the link goes); a missing root is fine; entries that
 * vanish meanwhile are fine; any other failure is an exception naming the path.
 *
 * <p>Stateless and thread-safe.
 */
final class ShuffleDirs {

    private static final Pattern SHUFFLE_DIR = Pattern.compile("shuffle-(0|[1-9][0-9]{0,9})");

    private ShuffleDirs() {
    }

    /** Deletes every {@code shuffle-<id>} directory directly in each of {@code localDirs}. */
    static void deleteAll(List<Path> localDirs) throws IOException {
        for (Path dir : localDirs) {
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir,
                    entry -> SHUFFLE_DIR.matcher(entry.getFileName().toString()).matches())) {
                for (Path entry : entries) {
                    delete(entry);
                }
            }
        }
    }

    /** Deletes a file or directory tree, following the rules in the class documentation. */
    static void delete(Path root) throws IOException {
        delete(root, path -> { });
    }

    /** {@link #delete(Path)}, calling {@code beforeDelete} with every path just before it is deleted (for tests). */
    static void delete(Path root, Consumer<Path> beforeDelete) throws IOException {
        requireNonNull(root, "root is null");
        requireNonNull(beforeDelete, "beforeDelete is null");
        // Without FOLLOW_LINKS, walkFileTree reports a symbolic link (root included) as a file.
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                deleteOne(file, beforeDelete);
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
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null && !(e instanceof NoSuchFileException)) {
                    throw withPath(dir, e);
                }
                deleteOne(dir, beforeDelete);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void deleteOne(Path path, Consumer<Path> beforeDelete) throws IOException {
        beforeDelete.accept(path);
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            throw withPath(path, e);
        }
    }

    private static IOException withPath(Path path, IOException e) {
        if (e instanceof FileSystemException named && named.getFile() != null) {
            return e;
        }
        return new IOException("cannot delete " + path + ": " + e.getMessage(), e);
    }
}
