package io.ember.core.coordination;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Polls a condition until it holds or a deadline passes; for tests that wait on other threads. */
final class Eventually {

    static final Duration DEFAULT = Duration.ofSeconds(20);

    private Eventually() {
    }

    static void await(BooleanSupplier condition, String description) {
        await(DEFAULT, condition, description);
    }

    static void await(Duration timeout, BooleanSupplier condition, String description) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not true after " + timeout.toMillis() + " ms: " + description);
            }
            LockSupport.parkNanos(1_000_000);
        }
    }
}
