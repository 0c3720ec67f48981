package io.ember.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.core.dataset.Pair;
import io.ember.core.driver.EmberContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link WordCount} on {@code local[2]}: the counts of the distributed job are those of a plain count of the file. */
final class WordCountTest {

    private final EmberContext ember = EmberContext.builder().isolated().master("local[2]").appName("wordcount-test")
            .build();

    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        ember.close();
    }

    @Test
    void countsEveryWordOfTheSampleTextAndPrintsTheMostFrequent() throws IOException {
        Path text = WordCount.sample(dir, 2L << 20);
        Map<String, Long> expected;
        try (var lines = Files.lines(text)) {
            expected = lines.flatMap(line -> Arrays.stream(line.split("\\s+"))).filter(w -> !w.isEmpty())
                    .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        }
        ByteArrayOutputStream printed = new ByteArrayOutputStream();

        List<Pair<Long, String>> top = WordCount.run(ember, text.toString(), 5,
                new PrintStream(printed, true, StandardCharsets.UTF_8));

        assertEquals(expected, WordCount.counts(ember, text.toString()).collectAsMap());
        List<Long> expectedTop = expected.values().stream().sorted(Comparator.reverseOrder()).limit(5).toList();
        assertEquals(expectedTop, top.stream().map(Pair::key).toList());
        top.forEach(pair -> assertEquals(expected.get(pair.value()), pair.key(), pair.value()));
        String output = printed.toString(StandardCharsets.UTF_8);
        assertTrue(output.contains(String.format(Locale.ROOT, "The 5 most frequent of %,d distinct words (%,d words in all)",
                expected.size(), expected.values().stream().mapToLong(Long::longValue).sum())), output);
        assertTrue(output.contains("through the shuffle of sort"), output);
        assertTrue(output.contains(top.get(0).value()), output);
    }

    @Test
    void theSampleTextIsTheSameForTheSameSeed() throws IOException {
        Path a = SampleText.write(dir.resolve("a.txt"), 100_000, 1_000, 42);
        Path b = SampleText.write(dir.resolve("b.txt"), 100_000, 1_000, 42);

        assertEquals(-1, Files.mismatch(a, b));
        assertTrue(Files.size(a) >= 100_000);
    }
}
