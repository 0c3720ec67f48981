package io.ember.benchmarks;

import static java.util.Objects.requireNonNull;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The measured values of one workload, in milliseconds, and how they are reported: {@code min},
 * {@code p99} and {@code max} lines, then {@code RESULT <name> <median> ms}, the line scripts read.
 */
final class Samples {

    private final String name;
    private final List<Long> millis = new ArrayList<>();

    Samples(String name) {
        this.name = requireNonNull(name, "name is null");
    }

    void add(long value) {
        millis.add(value);
    }

    /** The middle value; the mean of the two middle ones (rounded) for an even count. */
    static long median(List<Long> values) {
        if (values.isEmpty()) {
            throw new IllegalStateException("no values");
        }
        List<Long> sorted = values.stream().sorted().toList();
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : Math.round((sorted.get(middle - 1) + sorted.get(middle)) / 2.0);
    }

    /** The nearest-rank percentile: the smallest value at least {@code percent} % of the values do not exceed. */
    static long percentile(List<Long> values, int percent) {
        if (values.isEmpty()) {
            throw new IllegalStateException("no values");
        }
        if (percent < 1 || percent > 100) {
            throw new IllegalArgumentException("percent must be in [1, 100]: " + percent);
        }
        List<Long> sorted = values.stream().sorted().toList();
        int rank = (int) Math.ceil(percent / 100.0 * sorted.size());
        return sorted.get(rank - 1);
    }

    void print(PrintStream out) {
        out.printf("min %s %d ms%n", name, millis.stream().mapToLong(Long::longValue).min().orElseThrow());
        out.printf("p99 %s %d ms (nearest rank of %d)%n", name, percentile(millis, 99), millis.size());
        out.printf("max %s %d ms%n", name, millis.stream().mapToLong(Long::longValue).max().orElseThrow());
        out.printf("RESULT %s %d ms%n", name, median(millis));
        out.flush();
    }
}
