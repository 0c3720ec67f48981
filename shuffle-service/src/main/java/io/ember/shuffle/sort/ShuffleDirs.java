package io.ember.shuffle.sort;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Deletes shuffle directories ({@code shuffle-<id>} in an executor's local directories) and
 * everything in them. Symbolic links are deleted, never followed.
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

    /** Deletes a file or directory tree; nothing when it does not exist. */
    static void delete(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw e;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.deleteIfExists(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
