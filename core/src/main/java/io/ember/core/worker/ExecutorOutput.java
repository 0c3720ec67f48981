package io.ember.core.worker;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The last lines an executor process wrote before it ended, for the leader and the driver to quote:
 * an executor that cannot start (a bad JVM option, a class path that does not load) or that dies in
 * a task (out of memory) says why only there. Read from whichever of its {@code stdout} and
 * {@code stderr} files was written last (on a tie, or when only one holds anything, stderr). Stack
 * frames ({@code at ...}, {@code ... 3 more}) are left out, so an exception's own lines
 * ({@code Exception in ...}, {@code Caused by: ...}) remain; at most {@link #MAX_LINES} lines of at
 * most {@link #MAX_LINE_CHARS} characters each.
 *
 * @param stream {@code "stderr"} or {@code "stdout"}
 * @param lines the lines, oldest first; empty when the process wrote nothing
 */
record ExecutorOutput(String stream, List<String> lines) {

    static final int MAX_LINES = 5;
    static final int MAX_LINE_CHARS = 300;
    /** How much of a file's end is read. */
    private static final int TAIL_BYTES = 16 * 1024;
    private static final Pattern STACK_FRAME = Pattern.compile("\\s+at \\S.*|\\s*\\.\\.\\. \\d+ more");
    private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");

    /** Nothing written. */
    static final ExecutorOutput NONE = new ExecutorOutput(ExecutorProcess.STDERR, List.of());

    ExecutorOutput {
        requireNonNull(stream, "stream is null");
        lines = List.copyOf(requireNonNull(lines, "lines is null"));
    }

    /**
     * Reads the tail of an executor's output files; a file that is missing or cannot be read counts
     * as empty.
     */
    static ExecutorOutput read(Path stdout, Path stderr) {
        FileTime outWritten = modified(stdout);
        FileTime errWritten = modified(stderr);
        boolean outFirst = size(stdout) > 0 && (size(stderr) == 0 || outWritten.compareTo(errWritten) > 0);
        Path chosen = outFirst ? stdout : stderr;
        String stream = outFirst ? ExecutorProcess.STDOUT : ExecutorProcess.STDERR;
        return new ExecutorOutput(stream, lastLines(tail(chosen)));
    }

    /** The lines worth quoting from the end of some output, oldest first. */
    static List<String> lastLines(String text) {
        List<String> kept = new ArrayList<>();
        String[] all = text.split("\\R");
        for (int i = all.length - 1; i >= 0 && kept.size() < MAX_LINES; i--) {
            String line = all[i].stripTrailing();
            if (line.isBlank() || STACK_FRAME.matcher(line).matches()) {
                continue;
            }
            // No control characters (terminal escapes, a stray carriage return) in a line others will log.
            kept.add(0, shorten(CONTROL.matcher(line).replaceAll(" ").strip()));
        }
        return kept;
    }

    private static String shorten(String line) {
        return line.length() <= MAX_LINE_CHARS ? line : line.substring(0, MAX_LINE_CHARS - 3) + "...";
    }

    private static String tail(Path file) {
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            long length = in.length();
            long start = Math.max(0, length - TAIL_BYTES);
            byte[] bytes = new byte[(int) (length - start)];
            in.seek(start);
            in.readFully(bytes);
            String text = new String(bytes, StandardCharsets.UTF_8);
            // A cut in the middle of the first line (or of a character) is not worth quoting.
            return start == 0 ? text : text.substring(Math.max(0, text.indexOf('\n') + 1));
        } catch (IOException e) {
            return "";
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    private static FileTime modified(Path file) {
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }
}
