package io.ember.benchmarks;

import io.ember.core.dataset.Pair;
import io.ember.core.driver.EmberContext;
import io.ember.examples.SampleText;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The end-to-end shuffle workloads of issue #6, each on one application on
 * {@code local-cluster[2,1]} (embedded ZooKeeper, master and workers in this JVM, 2 executors of 1
 * core as real JVM processes, the real shuffle):
 *
 * <ul>
 *   <li>{@code shuffle-reduce}: {@code reduceByKey} over {@value #RECORDS} records (key
 *       {@code i % 100000} as a long, value 1), 8 map and 8 reduce partitions; the result is checked
 *       (100,000 keys, each 200). Prints {@code RESULT shuffle-reduce <s> s} and
 *       {@code RESULT shuffle-reduce-rate <records/s> records/s}.
 *   <li>{@code wordcount}: a deterministic text of about 200 MB (seed 42, a 10,000-word vocabulary)
 *       counted with {@code flatMap}, {@code mapToPair}, {@code reduceByKey}. Prints
 *       {@code RESULT wordcount <s> s} and {@code RESULT wordcount-rate <MB/s> MB/s}.
 * </ul>
 *
 * <p>Each runs its warm-up runs, then its timed runs, and reports the median. Usage:
 * {@code ShuffleBenchmarks shuffle-reduce|wordcount [--runs N] [--warmup N] [--set key=value]...}.
 */
public final class ShuffleBenchmarks {

    static final long RECORDS = 20_000_000L;
    static final int KEYS = 100_000;
    static final int PARTITIONS = 8;
    static final long TEXT_BYTES = 200L << 20;

    private static final String MASTER = "local-cluster[2,1]";
    private static final int EXECUTORS = 2;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private ShuffleBenchmarks() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1 || !List.of("shuffle-reduce", "wordcount").contains(args[0])) {
            System.err.println("usage: ShuffleBenchmarks shuffle-reduce|wordcount [--runs N] [--warmup N] [--set k=v]...");
            System.exit(2);
        }
        String name = args[0];
        WorkloadOptions options = WorkloadOptions.parseOrExit(name, Arrays.copyOfRange(args, 1, args.length),
                new WorkloadOptions(3, 1));
        if (name.equals("shuffle-reduce")) {
            shuffleReduce(options, System.out);
        } else {
            wordCount(options, System.out);
        }
    }

    /** An application of 2 executors of {@code -Xmx512m} on {@code local-cluster[2,1]}, both registered. */
    static EmberContext start(String name, WorkloadOptions options) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("ember.executor.instances", Integer.toString(EXECUTORS));
        settings.put("ember.executor.memory", "512m");
        settings.putAll(options.settings());
        EmberContext ember = EmberContext.builder().isolated().setAll(settings).master(MASTER).appName(name).build();
        ember.awaitExecutors(EXECUTORS, START_TIMEOUT);
        return ember;
    }

    static void shuffleReduce(WorkloadOptions options, PrintStream out) {
        try (EmberContext ember = start("shuffle-reduce", options)) {
            out.printf("shuffle-reduce: %s, reduceByKey over %,d records, %d keys, %d map and %d reduce partitions; "
                    + "Java %s, %d CPU(s)%n", MASTER, RECORDS, KEYS, PARTITIONS, PARTITIONS, Runtime.version(),
                    Runtime.getRuntime().availableProcessors());
            List<Long> times = new ArrayList<>();
            for (int run = 1 - options.warmup(); run <= options.runs(); run++) {
                long start = System.nanoTime();
                List<Pair<Long, Long>> counts = ember.range(0, RECORDS, PARTITIONS)
                        .mapToPair(i -> new Pair<>(i % KEYS, 1L))
                        .reduceByKey(Long::sum, PARTITIONS)
                        .collect();
                long nanos = System.nanoTime() - start;
                check(counts);
                out.printf(Locale.ROOT, "%s %d: %.2f s, %,d records/s (%s)%n", run < 1 ? "warm-up" : "run",
                        run < 1 ? run + options.warmup() : run, nanos / 1e9, Math.round(RECORDS * 1e9 / nanos),
                        ember.lastJobSummary().orElseThrow());
                if (run >= 1) {
                    times.add(nanos);
                }
            }
            long median = Samples.median(times);
            out.printf(Locale.ROOT, "RESULT shuffle-reduce %.2f s%n", median / 1e9);
            out.printf(Locale.ROOT, "RESULT shuffle-reduce-rate %d records/s%n", Math.round(RECORDS * 1e9 / median));
        }
    }

    private static void check(List<Pair<Long, Long>> counts) {
        if (counts.size() != KEYS) {
            throw new IllegalStateException("expected " + KEYS + " keys, got " + counts.size());
        }
        for (Pair<Long, Long> count : counts) {
            if (count.value() != RECORDS / KEYS) {
                throw new IllegalStateException("key " + count.key() + " counted " + count.value() + ", expected "
                        + RECORDS / KEYS);
            }
        }
    }

    static void wordCount(WorkloadOptions options, PrintStream out) throws IOException {
        Path text = Files.createTempFile("ember-wordcount-bench-", ".txt");
        try {
            SampleText.write(text, TEXT_BYTES, 10_000, 42);
            long bytes = Files.size(text);
            try (EmberContext ember = start("wordcount", options)) {
                out.printf(Locale.ROOT, "wordcount: %s, %.1f MB of text (seed 42, 10,000 words); Java %s, %d CPU(s)%n",
                        MASTER, bytes / 1e6, Runtime.version(), Runtime.getRuntime().availableProcessors());
                List<Long> times = new ArrayList<>();
                long distinct = 0;
                for (int run = 1 - options.warmup(); run <= options.runs(); run++) {
                    long start = System.nanoTime();
                    distinct = ember.textFile(text.toString())
                            .flatMap(line -> Arrays.stream(line.split(" ")).iterator())
                            .mapToPair(word -> new Pair<>(word, 1L))
                            .reduceByKey(Long::sum)
                            .count();
                    long nanos = System.nanoTime() - start;
                    out.printf(Locale.ROOT, "%s: %.2f s, %.1f MB/s, %d distinct words (%s)%n",
                            run < 1 ? "warm-up" : "run " + run, nanos / 1e9, bytes / 1e6 / (nanos / 1e9), distinct,
                            ember.lastJobSummary().orElseThrow());
                    if (run >= 1) {
                        times.add(nanos);
                    }
                }
                long median = Samples.median(times);
                out.printf(Locale.ROOT, "RESULT wordcount %.2f s%n", median / 1e9);
                out.printf(Locale.ROOT, "RESULT wordcount-rate %.1f MB/s%n", bytes / 1e6 / (median / 1e9));
            }
        } finally {
            Files.deleteIfExists(text);
        }
    }
}
