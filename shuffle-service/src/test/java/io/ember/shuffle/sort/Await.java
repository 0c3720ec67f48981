package io.ember.shuffle.sort;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Waits for a condition with a deadline, for the shuffle tests. */
final class Await {

    private static final Duration DEADLINE = Duration.ofSeconds(20);

    private Await() {
    }

    /** Returns once {@code condition} holds; fails after 20 s naming {@code description}. */
    static void until(String description, BooleanSupplier condition) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not true after " + DEADLINE.toSeconds() + " s: " + description);
            }
            LockSupport.parkNanos(2_000_000);
        }
    }
}
