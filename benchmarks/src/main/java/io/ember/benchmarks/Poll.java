package io.ember.benchmarks;

import io.ember.api.config.Durations;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Waits for a condition by checking it every few milliseconds, up to a deadline. */
final class Poll {

    private static final long INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    private Poll() {
    }

    /** Returns once {@code condition} holds; throws when it still does not after {@code timeout}. */
    static void until(String what, Duration timeout, BooleanSupplier condition) throws TimeoutException {
        if (!tryUntil(timeout, condition)) {
            throw new TimeoutException("timed out after " + Durations.format(timeout) + " waiting for " + what);
        }
    }

    /** Whether {@code condition} came to hold within {@code timeout}. */
    static boolean tryUntil(Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            LockSupport.parkNanos(INTERVAL_NANOS);
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }
}
