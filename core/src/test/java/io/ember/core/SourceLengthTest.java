package io.ember.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A main source file of the project longer than {@value #LIMIT} lines says why at its top ("Longer
 * than 400 lines because ..."), so a class that grows past one job is split or explained, not
 * let grow ({@code docs/architecture.md}).
 */
final class SourceLengthTest {

    static final int LIMIT = 400;
    static final String REASON = "// Longer than 400 lines because";

    @Test
    void everyMainSourceFileOverTheLimitSaysWhy() throws IOException {
        Path root = Paths.get("").toAbsolutePath().getParent();
        assertTrue(Files.isDirectory(root.resolve("core/src/main/java")), "not the project's root: " + root);
        List<String> unexplained;
        List<Path> sources;
        try (Stream<Path> files = Files.walk(root)) {
            sources = files.filter(f -> f.toString().endsWith(".java"))
                    .filter(f -> root.relativize(f).toString().contains("src/main/java/"))
                    .filter(f -> !root.relativize(f).toString().contains("target/"))
                    .toList();
        }
        assertTrue(sources.size() > 300, "found only " + sources.size() + " source files under " + root);
        unexplained = sources.stream().filter(SourceLengthTest::longWithoutReason)
                .map(f -> root.relativize(f) + " (" + lines(f).size() + " lines)").toList();
        assertEquals(List.of(), unexplained);
    }

    @Test
    void aLongFileWithoutAReasonIsFound(@TempDir Path directory) throws IOException {
        Path longFile = directory.resolve("Long.java");
        Files.write(longFile, Stream.generate(() -> "// a line").limit(LIMIT + 1).toList());
        Path explained = directory.resolve("Explained.java");
        Files.write(explained, Stream.concat(Stream.of(REASON + " it must."),
                Stream.generate(() -> "// a line").limit(LIMIT + 1)).toList());

        assertTrue(longWithoutReason(longFile));
        assertFalse(longWithoutReason(explained));
    }

    private static boolean longWithoutReason(Path file) {
        List<String> lines = lines(file);
        return lines.size() > LIMIT && lines.stream().noneMatch(line -> line.startsWith(REASON));
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
