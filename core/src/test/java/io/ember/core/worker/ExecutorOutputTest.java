package io.ember.core.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class ExecutorOutputTest {

    @TempDir
    Path dir;

    private Path write(String name, String text, long modifiedMillis) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text, StandardCharsets.UTF_8);
        Files.setLastModifiedTime(file, FileTime.from(Instant.ofEpochMilli(modifiedMillis)));
        return file;
    }

    @Test
    void quotesAJvmThatCouldNotStartFromItsStderr() throws IOException {
        Path stdout = write("stdout", "", 1_000);
        Path stderr = write("stderr", "Unrecognized VM option 'NoSuchOption'\n"
                + "Error: Could not create the Java Virtual Machine.\n"
                + "Error: A fatal exception has occurred. Program will exit.\n", 1_000);

        assertEquals(new ExecutorOutput("stderr", List.of("Unrecognized VM option 'NoSuchOption'",
                "Error: Could not create the Java Virtual Machine.",
                "Error: A fatal exception has occurred. Program will exit.")), ExecutorOutput.read(stdout, stderr));
    }

    @Test
    void quotesTheFileWrittenLast() throws IOException {
        Path stderr = write("stderr", "12:00:01.000 INFO  Running task 7\n", 1_000);
        Path stdout = write("stdout", "Terminating due to java.lang.OutOfMemoryError: Java heap space\n", 2_000);

        assertEquals(new ExecutorOutput("stdout", List.of(
                "Terminating due to java.lang.OutOfMemoryError: Java heap space")), ExecutorOutput.read(stdout, stderr));
    }

    @Test
    void prefersStderrWhenBothWereWrittenAtOnce() throws IOException {
        Path stdout = write("stdout", "a log line\n", 5_000);
        Path stderr = write("stderr", "poison: partition 5 brings its executor down\n", 5_000);

        assertEquals("stderr", ExecutorOutput.read(stdout, stderr).stream());
    }

    @Test
    void leavesOutStackFramesSoTheExceptionsOwnLinesRemain() {
        String trace = """
                Exception in thread "main" java.lang.IllegalStateException: cannot start
                \tat com.example.Main.start(Main.java:10)
                \tat com.example.Main.main(Main.java:5)
                Caused by: java.io.FileNotFoundException: /etc/app.conf
                \tat java.base/java.io.FileInputStream.open0(Native Method)
                \t... 2 more
                """;

        assertEquals(List.of("Exception in thread \"main\" java.lang.IllegalStateException: cannot start",
                "Caused by: java.io.FileNotFoundException: /etc/app.conf"), ExecutorOutput.lastLines(trace));
    }

    @Test
    void keepsTheLastFiveLinesEachShortened() {
        String text = IntStream.range(0, 20).mapToObj(i -> "line " + i + " " + "x".repeat(i == 19 ? 1_000 : 0))
                .collect(Collectors.joining("\n"));

        List<String> lines = ExecutorOutput.lastLines(text);

        assertEquals(ExecutorOutput.MAX_LINES, lines.size());
        assertEquals("line 15", lines.get(0));
        assertEquals(ExecutorOutput.MAX_LINE_CHARS, lines.get(4).length());
        assertTrue(lines.get(4).endsWith("..."));
    }

    @Test
    void replacesControlCharactersSoTheLinesAreSafeToLog() {
        assertEquals(List.of("[31mred error [0m done"), ExecutorOutput.lastLines("\u001b[31mred\terror\u001b[0m done\r\n"));
    }

    @Test
    void readsOnlyTheEndOfALargeFile() throws IOException {
        String big = "early line\n".repeat(10_000) + "the last line\n";
        Path stderr = write("stderr", big, 1_000);

        assertEquals("the last line", ExecutorOutput.read(dir.resolve("missing-stdout"), stderr).lines().get(4));
    }

    @Test
    void anExecutorThatWroteNothingHasNothingToQuote() {
        assertEquals(List.of(), ExecutorOutput.read(dir.resolve("stdout"), dir.resolve("stderr")).lines());
    }
}
