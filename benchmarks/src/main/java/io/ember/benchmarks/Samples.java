package io.ember.benchmarks;

import static java.util.Objects.requireNonNull;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The measured values of one workload, in milliseconds, and how they are reported: a {@code min}
 * and a {@code max} line, then {@code RESULT <name> <median> ms}, the line scripts read.
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

    void print(PrintStream out) {
        out.printf("min %s %d ms%n", name, millis.stream().mapToLong(Long::longValue).min().orElseThrow());
        out.printf("max %s %d ms%n", name, millis.stream().mapToLong(Long::longValue).max().orElseThrow());
        out.printf("RESULT %s %d ms%n", name, median(millis));
        out.flush();
    }
}
