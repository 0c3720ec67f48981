package io.ember.examples;

import io.ember.api.plugin.PolicyKind;
import io.ember.core.dataset.Pair;
import io.ember.core.dataset.PairDataset;
import io.ember.core.driver.EmberContext;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Counts the words of a text file through a shuffle: the map stage splits lines into words and
 * counts them per task ({@code reduceByKey} combines on the map side), the reduce stage adds the
 * counts of each word, and a second shuffle sorts the words by count ({@code sortByKey}) so the top
 * ones can be taken.
 *
 * <p>Usage: {@code WordCount [file] [top]}. Without a file it writes a deterministic sample text of
 * about 20 MB (seed 42, 10,000 words) to a temporary file. Prints the {@code top} (default 10) most
 * frequent words, the number of distinct words and the last job's summary.
 */
public final class WordCount {

    static final int DEFAULT_TOP = 10;
    static final long SAMPLE_BYTES = 20L << 20;
    static final int SAMPLE_VOCABULARY = 10_000;
    static final long SAMPLE_SEED = 42;

    private WordCount() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length > 2) {
            throw new IllegalArgumentException("usage: WordCount [file] [top]; got " + args.length + " arguments");
        }
        int top = args.length == 2 ? top(args[1]) : DEFAULT_TOP;
        Path sample = null;
        Path input;
        if (args.length >= 1) {
            input = Path.of(args[0]);
            if (!Files.isReadable(input)) {
                throw new IllegalArgumentException("cannot read " + input.toAbsolutePath());
            }
        } else {
            sample = Files.createTempFile("ember-wordcount-", ".txt");
            input = SampleText.write(sample, SAMPLE_BYTES, SAMPLE_VOCABULARY, SAMPLE_SEED);
        }
        try (EmberContext ember = ExampleContexts.start("WordCount")) {
            ExampleContexts.awaitExecutors(ember);
            run(ember, input.toAbsolutePath().toString(), top, System.out);
        } finally {
            if (sample != null) {
                Files.deleteIfExists(sample);
            }
        }
    }

    /** Counts the words of {@code path}; prints and returns the {@code top} most frequent, most frequent first. */
    static List<Pair<Long, String>> run(EmberContext ember, String path, int top, PrintStream out) {
        long start = System.nanoTime();
        PairDataset<String, Long> counts = counts(ember, path);
        List<Pair<Long, String>> frequent = counts.dataset()
                .mapToPair(pair -> new Pair<>(pair.value(), pair.key()))
                .sortByKey(false)
                .dataset()
                .take(top);
        long distinct = counts.count();
        long words = counts.values().reduce(Long::sum);
        out.printf(Locale.ROOT, "The %d most frequent of %,d distinct words (%,d words in all) in %s:%n",
                frequent.size(), distinct, words, path);
        for (Pair<Long, String> word : frequent) {
            out.printf(Locale.ROOT, "%12d  %s%n", word.key(), word.value());
        }
        out.printf(Locale.ROOT, "Counted in %d ms on %d executor(s), through the shuffle of %s; the last job: %s%n",
                (System.nanoTime() - start) / 1_000_000, ember.executors().size(), ember.config().selected(
                        PolicyKind.SHUFFLE), ember.lastJobSummary().map(Object::toString).orElse("none"));
        out.flush();
        return frequent;
    }

    /** Each word of the file with its count. */
    static PairDataset<String, Long> counts(EmberContext ember, String path) {
        return ember.textFile(path)
                .flatMap(line -> Arrays.stream(line.split("\\s+")).filter(word -> !word.isEmpty()).iterator())
                .mapToPair(word -> new Pair<>(word, 1L))
                .reduceByKey(Long::sum);
    }

    private static int top(String arg) {
        try {
            int top = Integer.parseInt(arg.strip());
            if (top >= 1) {
                return top;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("top must be a whole number of at least 1: '" + arg + "'");
    }

    /** For tests: the path of a freshly written sample text. */
    static Path sample(Path dir, long bytes) {
        try {
            return SampleText.write(dir.resolve("sample.txt"), bytes, SAMPLE_VOCABULARY, SAMPLE_SEED);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
