package io.ember.examples;

import io.ember.core.driver.EmberContext;
import java.io.PrintStream;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Estimates π by throwing random points at the unit square: the share that lands inside the
 * quarter circle of radius 1 is π/4.
 *
 * <p>The work is split into slices, one task each ({@code range(0, slices, slices)}: partition
 * {@code s} holds the number {@code s}). Slice {@code s} draws {@value #SAMPLES_PER_SLICE} points from
 * a {@link SplittableRandom} seeded with {@code s}, so the estimate depends only on the number of
 * slices, not on where or in which order the tasks run. The executors count the points inside, the
 * driver adds the counts up ({@code reduce}).
 *
 * <p>Usage: {@code Pi [slices]} (default {@value #DEFAULT_SLICES}). Prints the estimate and the
 * job's summary: tasks, executors, wall time.
 */
public final class Pi {

    /** Slices (tasks) when no argument is given. */
    static final int DEFAULT_SLICES = 1000;

    /** Points each slice draws. */
    static final int SAMPLES_PER_SLICE = 100_000;

    private Pi() {
    }

    public static void main(String[] args) {
        if (args.length > 1) {
            throw new IllegalArgumentException("usage: Pi [slices]; got " + args.length + " arguments");
        }
        int slices = args.length == 0 ? DEFAULT_SLICES : slices(args[0]);
        try (EmberContext ember = ExampleContexts.start("Pi")) {
            ExampleContexts.awaitExecutors(ember);
            run(ember, slices, System.out);
        }
    }

    /** Runs the estimate as one job and prints it with the job's summary; returns the estimate. */
    static double run(EmberContext ember, int slices, PrintStream out) {
        long inside = pointsInside(ember, slices, SAMPLES_PER_SLICE);
        long samples = (long) slices * SAMPLES_PER_SLICE;
        double pi = 4.0 * inside / samples;
        out.printf(Locale.ROOT, "Pi is roughly %.7f (%d samples in %d tasks)%n", pi, samples, slices);
        ember.lastJobSummary().ifPresent(out::println);
        out.flush();
        return pi;
    }

    /** The points inside the quarter circle over all slices, counted on the executors. */
    static long pointsInside(EmberContext ember, int slices, int samplesPerSlice) {
        return ember.range(0, slices, slices)
                .map(slice -> pointsInsideSlice(slice, samplesPerSlice))
                .reduce((left, right) -> left + right);
    }

    /** The points of one slice that fall inside the quarter circle. */
    static long pointsInsideSlice(long slice, int samples) {
        SplittableRandom random = new SplittableRandom(slice);
        long inside = 0;
        for (int i = 0; i < samples; i++) {
            double x = random.nextDouble();
            double y = random.nextDouble();
            if (x * x + y * y <= 1.0) {
                inside++;
            }
        }
        return inside;
    }

    private static int slices(String arg) {
        try {
            int slices = Integer.parseInt(arg.strip());
            if (slices >= 1) {
                return slices;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("slices must be a whole number of at least 1: '" + arg + "'");
    }
}
