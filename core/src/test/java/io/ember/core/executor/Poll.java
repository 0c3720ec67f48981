package io.ember.core.executor;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Polls a condition until it holds or a deadline passes (never a sleep to wait for time). */
public final class Poll {

    /** Generous: a JVM start on a loaded CI machine can take seconds. */
    public static final Duration TIMEOUT = Duration.ofSeconds(60);

    private Poll() {
    }

    public static void until(BooleanSupplier condition, Supplier<String> what) {
        until(TIMEOUT, condition, what);
    }

    public static void until(Duration timeout, BooleanSupplier condition, Supplier<String> what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("Timed out after " + timeout + " waiting for " + what.get());
            }
            LockSupport.parkNanos(2_000_000);
        }
    }
}
