package io.ember.examples;

import io.ember.core.dataset.Dataset;
import io.ember.core.dataset.Pair;
import io.ember.core.driver.EmberContext;
import io.ember.core.files.FileTrees;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Counts the lines of a log file by level, with several actions on one cached dataset.
 *
 * <p>The file is read with {@code textFile}; each line is keyed by its level ({@code ERROR},
 * {@code WARN}, {@code INFO}, {@code DEBUG}, {@code TRACE}: the first of the line's first
 * {@value #LEVEL_TOKENS} words that is one), lines without one (stack traces, continuations) are
 * dropped, and the result is cached. The first action counts the lines (computing and caching
 * every partition); the second counts them per level, reading the executors' cached partitions
 * (each partition's counts are made on the executors by {@code mapPartitions}, and merged by
 * {@code reduce}); with an output directory, a third writes the {@code ERROR} lines there with
 * {@code saveAsTextFile}, again from the cache. Each action prints its job's summary, cache hits
 * and misses included.
 *
 * <p>Usage: {@code LogLevels [input [output-dir]]}. Without an input it generates a sample log of
 * {@value #SAMPLE_LINES} lines in a temporary directory (deleted afterwards). Executors read the
 * input and write the output themselves, so on a cluster of several machines both must be on a
 * shared file system.
 */
public final class LogLevels {

    /** A log line's level, most severe first. */
    enum Level { ERROR, WARN, INFO, DEBUG, TRACE }

    /** How many leading words of a line may hold its level (after a date, a time, a thread...). */
    static final int LEVEL_TOKENS = 4;

    /** Lines of the generated sample log. */
    static final int SAMPLE_LINES = 200_000;

    private LogLevels() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length > 2) {
            throw new IllegalArgumentException("usage: LogLevels [input [output-dir]]; got " + args.length + " arguments");
        }
        Path sampleDir = args.length == 0 ? Files.createTempDirectory("ember-loglevels") : null;
        try {
            String input = sampleDir == null ? args[0] : SampleLog.write(sampleDir.resolve("sample.log"), SAMPLE_LINES)
                    .toString();
            try (EmberContext ember = ExampleContexts.start("LogLevels")) {
                ExampleContexts.awaitExecutors(ember);
                run(ember, input, args.length > 1 ? args[1] : null, System.out);
            }
        } finally {
            if (sampleDir != null) {
                deleteRecursively(sampleDir);
            }
        }
    }

    /**
     * Runs the actions and prints their results and summaries.
     *
     * @param output where to write the {@code ERROR} lines (a directory that must not exist), or null
     * @return the lines per level, most severe first, levels without lines left out
     */
    static Map<Level, Long> run(EmberContext ember, String input, String output, PrintStream out) {
        Dataset<Pair<Level, String>> entries = ember.textFile(input)
                .keyBy(line -> level(line))
                .filter(entry -> entry.key() != null)
                .cache();

        long total = entries.count();
        out.printf(Locale.ROOT, "%d lines with a level in %s%n", total, input);
        printSummary(ember, out);

        Map<Level, Long> perLevel = entries
                .mapPartitions(records -> countLevels(records))
                .reduce((left, right) -> merge(left, right));
        out.println("Lines per level:");
        perLevel.forEach((level, count) -> out.printf(Locale.ROOT, "  %-5s %10d%n", level, count));
        printSummary(ember, out);

        if (output != null) {
            entries.filter(entry -> entry.key() == Level.ERROR)
                    .map(entry -> entry.value())
                    .saveAsTextFile(output);
            out.printf(Locale.ROOT, "Wrote the %d ERROR lines to %s%n", perLevel.getOrDefault(Level.ERROR, 0L), output);
            printSummary(ember, out);
        }
        entries.unpersist();
        out.flush();
        return perLevel;
    }

    /** The line's level: the first of its first {@value #LEVEL_TOKENS} words that is a level; null if none. */
    static Level level(String line) {
        String[] words = line.strip().split("\\s+", LEVEL_TOKENS + 1);
        for (int i = 0; i < Math.min(words.length, LEVEL_TOKENS); i++) {
            String word = words[i].replace("[", "").replace("]", "");
            for (Level level : Level.values()) {
                if (level.name().equals(word)) {
                    return level;
                }
            }
        }
        return null;
    }

    /** One partition's lines per level, as a single record. */
    private static Iterator<Map<Level, Long>> countLevels(Iterator<Pair<Level, String>> entries) {
        Map<Level, Long> counts = new EnumMap<>(Level.class);
        while (entries.hasNext()) {
            counts.merge(entries.next().key(), 1L, Long::sum);
        }
        return List.of(counts).iterator();
    }

    private static Map<Level, Long> merge(Map<Level, Long> left, Map<Level, Long> right) {
        Map<Level, Long> merged = new EnumMap<>(Level.class);
        merged.putAll(left);
        right.forEach((level, count) -> merged.merge(level, count, Long::sum));
        return merged;
    }

    private static void printSummary(EmberContext ember, PrintStream out) {
        ember.lastJobSummary().ifPresent(summary -> out.println("  " + summary));
    }

    private static void deleteRecursively(Path dir) {
        try {
            FileTrees.deleteRecursively(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the sample log's directory " + dir + ": " + e.getMessage(), e);
        }
    }
}
