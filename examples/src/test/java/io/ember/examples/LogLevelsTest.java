package io.ember.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.core.driver.EmberContext;
import io.ember.core.job.JobSummary;
import io.ember.examples.LogLevels.Level;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link LogLevels} on {@code local[2]}: exact counts, cache hits on the second action, the saved lines. */
final class LogLevelsTest {

    private static final String LOG = """
            2024-05-01 08:00:00.001 INFO  [main] o.e.App - starting
            2024-05-01 08:00:00.002 DEBUG [main] o.e.App - config read
            2024-05-01 08:00:00.003 WARN  [pool-1] o.e.Db - slow query
            2024-05-01 08:00:00.004 ERROR [pool-1] o.e.Db - query failed
            java.sql.SQLException: timeout
            \tat o.e.Db.run(Db.java:10)
            2024-05-01 08:00:00.005 INFO  [main] o.e.App - request handled
            2024-05-01 08:00:00.006 INFO  [main] o.e.App - an ERROR in the message is not a level
            [TRACE] detail
            2024-05-01 08:00:00.007 ERROR [main] o.e.App - request failed
            """;

    @TempDir
    Path dir;

    private final EmberContext ember = EmberContext.builder().isolated().master("local[2]").appName("log-test").build();
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();

    @AfterEach
    void close() {
        ember.close();
    }

    @Test
    void findsTheLevelAmongTheFirstWordsOnly() {
        assertEquals(Level.WARN, LogLevels.level("08:00:00 WARN x - y"));
        assertEquals(Level.TRACE, LogLevels.level("[TRACE] detail"));
        assertNull(LogLevels.level("\tat o.e.Db.run(Db.java:10)"));
        assertNull(LogLevels.level("a b c d ERROR"));
    }

    @Test
    void countsTheLinesPerLevel() throws IOException {
        Path log = Files.writeString(dir.resolve("app.log"), LOG);

        Map<Level, Long> counts = run(log, null);

        assertEquals(Map.of(Level.ERROR, 2L, Level.WARN, 1L, Level.INFO, 3L, Level.DEBUG, 1L, Level.TRACE, 1L), counts);
        assertEquals(List.of(Level.ERROR, Level.WARN, Level.INFO, Level.DEBUG, Level.TRACE), List.copyOf(counts.keySet()),
                "most severe first");
        assertTrue(output().startsWith("8 lines with a level in " + log + "\n"), output());
    }

    @Test
    void theSecondActionReadsTheCachedPartitions() throws IOException {
        Path log = Files.writeString(dir.resolve("app.log"), LOG);

        run(log, null);

        List<String> summaries = output().lines().filter(line -> line.startsWith("  job ")).toList();
        assertEquals(2, summaries.size(), output());
        int partitions = tasks(summaries.get(0));
        assertTrue(summaries.get(0).endsWith("cache 0 hit(s) / " + partitions + " miss(es)"), summaries.get(0));
        assertTrue(summaries.get(1).endsWith("cache " + partitions + " hit(s) / 0 miss(es)"), summaries.get(1));
        JobSummary last = ember.lastJobSummary().orElseThrow();
        assertEquals(partitions, last.cacheHits(), last.toString());
    }

    @Test
    void savesTheErrorLines() throws IOException {
        Path log = Files.writeString(dir.resolve("app.log"), LOG);
        Path errors = dir.resolve("errors");

        run(log, errors);

        List<String> saved = new ArrayList<>();
        try (Stream<Path> parts = Files.list(errors)) {
            for (Path part : parts.filter(p -> p.getFileName().toString().startsWith("part-")).sorted().toList()) {
                saved.addAll(Files.readAllLines(part));
            }
        }
        assertEquals(List.of("2024-05-01 08:00:00.004 ERROR [pool-1] o.e.Db - query failed",
                "2024-05-01 08:00:00.007 ERROR [main] o.e.App - request failed"), saved);
        assertTrue(Files.exists(errors.resolve("_SUCCESS")));
        assertTrue(output().contains("Wrote the 2 ERROR lines to " + errors), output());
    }

    @Test
    void countsTheGeneratedSampleAsAPlainReadingOfItDoes() throws IOException {
        Path sample = SampleLog.write(dir.resolve("sample.log"), 5_000);
        Pattern levelWord = Pattern.compile("^\\S+ (ERROR|WARN|INFO|DEBUG|TRACE) ");
        Map<Level, Long> expected = new EnumMap<>(Level.class);
        for (String line : Files.readAllLines(sample)) {
            Matcher matcher = levelWord.matcher(line);
            if (matcher.find()) {
                expected.merge(Level.valueOf(matcher.group(1)), 1L, Long::sum);
            }
        }

        assertEquals(expected, run(sample, null));
        assertTrue(expected.get(Level.ERROR) > 0 && expected.get(Level.WARN) > 0, expected.toString());
    }

    private Map<Level, Long> run(Path input, Path output) {
        return LogLevels.run(ember, input.toString(), output == null ? null : output.toString(),
                new PrintStream(printed, true, StandardCharsets.UTF_8));
    }

    private String output() {
        return printed.toString(StandardCharsets.UTF_8);
    }

    private static int tasks(String summary) {
        Matcher matcher = Pattern.compile("\\): (\\d+) tasks? on").matcher(summary);
        assertTrue(matcher.find(), summary);
        return Integer.parseInt(matcher.group(1));
    }
}
