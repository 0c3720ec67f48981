package io.ember.core.retry;

import static io.ember.core.checks.Checks.requirePositive;
import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * How long to wait before trying again after failures in a row: {@code initial} after the first,
 * then {@code multiplier} times longer after each further one, never longer than {@code max}.
 * With the default multiplier of 2, {@code Backoff.exponential(100ms, 2s)} waits 100ms, 200ms,
 * 400ms, 800ms, 1.6s, 2s, 2s, ...
 *
 * <p>Jitter is off by default. With {@link #withJitter(double) jitter} {@code j}, each delay is
 * shortened by a random share of up to {@code j} of itself, so that many clients failing together
 * do not all try again at the same moment; a delay is never longer than without jitter.
 *
 * <p>An immutable value: the caller counts its failures (and starts again from zero after a
 * success). Thread-safe.
 *
 * @param initial the delay after the first failure, longer than zero
 * @param max the longest delay, at least {@code initial}
 * @param multiplier how much longer each delay is than the one before, at least 1
 * @param jitter the largest share of a delay taken off at random, at least 0 and below 1
 */
public record Backoff(Duration initial, Duration max, double multiplier, double jitter) {

    /**
     * @throws IllegalArgumentException naming the offending value when {@code initial} is not
     *     positive, {@code max} is shorter than {@code initial}, {@code multiplier} is below 1 (or
     *     not finite) or {@code jitter} lies outside {@code [0, 1)}
     */
    public Backoff {
        requirePositive(initial, "initial");
        requireNonNull(max, "max is null");
        if (max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("max must be >= initial " + initial + ": " + max);
        }
        if (!(multiplier >= 1) || !Double.isFinite(multiplier)) {
            throw new IllegalArgumentException("multiplier must be >= 1 and finite: " + multiplier);
        }
        if (!(jitter >= 0 && jitter < 1)) {
            throw new IllegalArgumentException("jitter must be >= 0 and < 1: " + jitter);
        }
    }

    /** Delays that double from {@code initial} up to {@code max}, without jitter. */
    public static Backoff exponential(Duration initial, Duration max) {
        return new Backoff(initial, max, 2, 0);
    }

    /** This backoff with another multiplier. */
    public Backoff withMultiplier(double multiplier) {
        return new Backoff(initial, max, multiplier, jitter);
    }

    /** This backoff with delays shortened at random by up to {@code jitter} of themselves. */
    public Backoff withJitter(double jitter) {
        return new Backoff(initial, max, multiplier, jitter);
    }

    /**
     * The delay before the next attempt after {@code failures} failures in a row:
     * {@code min(max, initial * multiplier^(failures - 1))}, less the jitter if any (drawn from
     * {@link ThreadLocalRandom}).
     *
     * @throws IllegalArgumentException when {@code failures} is below 1
     */
    public Duration delayAfter(int failures) {
        return delayAfter(failures, ThreadLocalRandom.current());
    }

    /**
     * {@link #delayAfter(int)}, drawing the jitter from {@code random} (not consulted without jitter).
     *
     * @throws IllegalArgumentException when {@code failures} is below 1
     */
    public Duration delayAfter(int failures, RandomGenerator random) {
        requireNonNull(random, "random is null");
        if (failures < 1) {
            throw new IllegalArgumentException("failures must be >= 1: " + failures);
        }
        Duration delay = undisturbed(failures);
        if (jitter == 0) {
            return delay;
        }
        double share = jitter * random.nextDouble();
        return Duration.ofNanos(Math.round(nanos(delay) * (1 - share)));
    }

    private Duration undisturbed(int failures) {
        double nanos = nanos(initial) * Math.pow(multiplier, failures - 1);
        return nanos >= nanos(max) ? max : Duration.ofNanos(Math.round(nanos));
    }

    /** A duration in nanoseconds, as a double: exact up to 2^53 ns (about 104 days), approximate beyond. */
    private static double nanos(Duration duration) {
        return duration.getSeconds() * 1e9 + duration.getNano();
    }
}
