package io.ember.benchmarks;

import io.ember.core.dataset.Pair;
import io.ember.core.dataset.PairDataset;
import io.ember.core.driver.EmberContext;
import io.ember.core.scheduler.SchedulerListener;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The shuffle workloads of issue #19, whose data is larger than the executors' memory, each on one
 * application on {@code local-cluster[2,1]} with executors of {@code -Xmx512m}:
 *
 * <ul>
 *   <li>{@code sort}: {@code sortByKey} of {@value #SORT_BYTES} bytes of 100-byte records (a 10-character
 *       key and a 90-character value, made deterministically from the record's index, TeraSort-like),
 *       8 map and 8 reduce partitions; the output is checked (every record, in order). Prints the
 *       seconds, MB/s, the spills the tasks reported and the executors' peak resident memory.
 *   <li>{@code groupby}: {@code groupByKey} of {@value #GROUP_RECORDS} records over 1,000,000 keys, then
 *       the values counted per key and checked. Prints the seconds and records/s.
 * </ul>
 *
 * Usage: {@code LargeShuffleBenchmarks sort|groupby [--runs N] [--warmup N] [--set key=value]...}.
 */
public final class LargeShuffleBenchmarks {

    static final long SORT_BYTES = 2_000_000_000L;
    static final long GROUP_RECORDS = 20_000_000L;
    static final int GROUP_KEYS = 1_000_000;
    static final int PARTITIONS = 8;
    static final int RECORD_BYTES = 100;

    private static final String MASTER = "local-cluster[2,1]";
    private static final Comparator<String> NATURAL = (Comparator<String> & Serializable) String::compareTo;

    private LargeShuffleBenchmarks() {
    }

    public static void main(String[] args) {
        if (args.length < 1 || !List.of("sort", "groupby").contains(args[0])) {
            System.err.println("usage: LargeShuffleBenchmarks sort|groupby [--runs N] [--warmup N] [--set k=v]...");
            System.exit(2);
        }
        WorkloadOptions options = WorkloadOptions.parseOrExit(args[0], Arrays.copyOfRange(args, 1, args.length),
                new WorkloadOptions(1, 0));
        if (args[0].equals("sort")) {
            sort(SORT_BYTES, options, System.out);
        } else {
            groupBy(GROUP_RECORDS, options, System.out);
        }
    }

    /** The 10-character key of record {@code i}: its index scrambled, so the input is in no order. */
    static String key(long i) {
        long mixed = (i + 0x9E3779B97F4A7C15L) * 0xBF58476D1CE4E5B9L;
        mixed ^= mixed >>> 31;
        StringBuilder key = new StringBuilder(10);
        for (int c = 0; c < 10; c++) {
            key.append((char) ('a' + Math.floorMod(mixed, 26)));
            mixed = mixed / 26 + (c * 7_919L);
        }
        return key.toString();
    }

    static void sort(long bytes, WorkloadOptions options, PrintStream out) {
        long records = bytes / RECORD_BYTES;
        String value = "v".repeat(RECORD_BYTES - 10);
        try (EmberContext ember = ShuffleBenchmarks.start("sort", options)) {
            Spills spills = new Spills();
            ember.addListener(spills);
            out.printf(Locale.ROOT, "sort: %s, sortByKey of %,d records of %d bytes (%.2f GB), %d map and %d reduce "
                    + "partitions, executors of -Xmx512m; Java %s, %d CPU(s)%n", MASTER, records, RECORD_BYTES,
                    bytes / 1e9, PARTITIONS, PARTITIONS, Runtime.version(), Runtime.getRuntime().availableProcessors());
            List<Long> times = new ArrayList<>();
            for (int run = 1 - options.warmup(); run <= options.runs(); run++) {
                long spillsBefore = spills.count.get();
                long spillBytesBefore = spills.bytes.get();
                long start = System.nanoTime();
                PairDataset<String, String> input = ember.range(0, records, PARTITIONS)
                        .mapToPair(i -> new Pair<>(key(i), value));
                List<long[]> checked = input.sortByKey(NATURAL, true, PARTITIONS).keys().mapPartitions(keys -> {
                    long count = 0;
                    long outOfOrder = 0;
                    String previous = null;
                    while (keys.hasNext()) {
                        String key = keys.next();
                        if (previous != null && key.compareTo(previous) < 0) {
                            outOfOrder++;
                        }
                        previous = key;
                        count++;
                    }
                    return List.of(new long[] {count, outOfOrder}).iterator();
                }).collect();
                long nanos = System.nanoTime() - start;
                long count = checked.stream().mapToLong(c -> c[0]).sum();
                long outOfOrder = checked.stream().mapToLong(c -> c[1]).sum();
                if (count != records || outOfOrder != 0) {
                    throw new IllegalStateException("sorted " + count + " of " + records + " records, " + outOfOrder
                            + " out of order");
                }
                long peakRss = executorsPeakRss(ember.applicationId());
                awaitSpills(spills);
                out.printf(Locale.ROOT, "%s %d: %.2f s, %.1f MB/s, %d spill(s) of %.1f MB, executors' peak RSS %d MB "
                        + "(partition sizes %s)%n", run < 1 ? "warm-up" : "run", run < 1 ? run + options.warmup() : run,
                        nanos / 1e9, bytes / 1e6 / (nanos / 1e9), spills.count.get() - spillsBefore,
                        (spills.bytes.get() - spillBytesBefore) / 1e6, peakRss >> 20,
                        checked.stream().map(c -> Long.toString(c[0])).toList());
                if (run >= 1) {
                    times.add(nanos);
                }
            }
            long median = Samples.median(times);
            out.printf(Locale.ROOT, "RESULT sort %.2f s%n", median / 1e9);
            out.printf(Locale.ROOT, "RESULT sort-rate %.1f MB/s%n", bytes / 1e6 / (median / 1e9));
        }
    }

    static void groupBy(long records, WorkloadOptions options, PrintStream out) {
        int keys = (int) Math.min(GROUP_KEYS, records);
        try (EmberContext ember = ShuffleBenchmarks.start("groupby", options)) {
            out.printf(Locale.ROOT, "groupby: %s, groupByKey of %,d records over %,d keys, %d partitions, then a count "
                    + "per key; Java %s, %d CPU(s)%n", MASTER, records, keys, PARTITIONS, Runtime.version(),
                    Runtime.getRuntime().availableProcessors());
            List<Long> times = new ArrayList<>();
            for (int run = 1 - options.warmup(); run <= options.runs(); run++) {
                long start = System.nanoTime();
                List<Long> perPartition = ember.range(0, records, PARTITIONS)
                        .mapToPair(i -> new Pair<>(i % keys, i))
                        .groupByKey(PARTITIONS)
                        .mapValues(values -> (long) values.size())
                        .dataset()
                        .mapPartitions(counts -> {
                            long total = 0;
                            long keysSeen = 0;
                            while (counts.hasNext()) {
                                total += counts.next().value();
                                keysSeen++;
                            }
                            return List.of(total, keysSeen).iterator();
                        }).collect();
                long nanos = System.nanoTime() - start;
                long total = 0;
                long keysSeen = 0;
                for (int i = 0; i < perPartition.size(); i += 2) {
                    total += perPartition.get(i);
                    keysSeen += perPartition.get(i + 1);
                }
                if (total != records || keysSeen != keys) {
                    throw new IllegalStateException("grouped " + total + " records under " + keysSeen + " keys, expected "
                            + records + " under " + keys);
                }
                out.printf(Locale.ROOT, "%s %d: %.2f s, %,d records/s%n", run < 1 ? "warm-up" : "run",
                        run < 1 ? run + options.warmup() : run, nanos / 1e9, Math.round(records * 1e9 / nanos));
                if (run >= 1) {
                    times.add(nanos);
                }
            }
            long median = Samples.median(times);
            out.printf(Locale.ROOT, "RESULT groupby %.2f s%n", median / 1e9);
            out.printf(Locale.ROOT, "RESULT groupby-rate %d records/s%n", Math.round(records * 1e9 / median));
        }
    }

    /**
     * The largest peak resident set (VmHWM) among the application's executor processes, in bytes,
     * found by their command lines in /proc; 0 when unknown (not Linux).
     */
    private static long executorsPeakRss(String applicationId) {
        long peak = 0;
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path process : processes) {
                String commandLine;
                try {
                    commandLine = new String(Files.readAllBytes(process.resolve("cmdline")), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    continue;   // it ended meanwhile
                }
                if (commandLine.contains("ExecutorMain") && commandLine.contains(applicationId)) {
                    peak = Math.max(peak, peakRss(Long.parseLong(process.getFileName().toString())));
                }
            }
        } catch (IOException | RuntimeException e) {
            return peak;
        }
        return peak;
    }

    private static long peakRss(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) << 10;
                }
            }
        } catch (IOException | RuntimeException e) {
            // the process ended, or this is not Linux: unknown
        }
        return 0;
    }

    /** The listener bus delivers task ends a moment after the job: give it that moment. */
    private static void awaitSpills(Spills spills) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        long seen = -1;
        while (System.nanoTime() < deadline && spills.tasks.get() != seen) {
            seen = spills.tasks.get();
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** The spills tasks reported. */
    private static final class Spills implements SchedulerListener {
        final AtomicLong count = new AtomicLong();
        final AtomicLong bytes = new AtomicLong();
        final AtomicLong tasks = new AtomicLong();

        @Override
        public void onTaskEnd(TaskEnd event) {
            count.addAndGet(event.metrics().spills());
            bytes.addAndGet(event.metrics().spillBytes());
            tasks.incrementAndGet();
        }
    }
}
