package io.ember.core.testing;

import io.ember.api.config.Durations;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waits for a condition other threads or processes make true, polling until a deadline: the
 * replacement for "sleep and hope" in every test that waits.
 */
public final class Eventually {

    /** Long enough for a loaded 2-core CI machine; a passing test never waits this long. */
    public static final Duration DEFAULT = Duration.ofSeconds(30);

    private Eventually() {
    }

    public static void await(String description, BooleanSupplier condition) {
        await(DEFAULT, description, condition);
    }

    public static void await(Duration timeout, String description, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not true after " + Durations.format(timeout) + ": " + description);
            }
            LockSupport.parkNanos(2_000_000);
        }
    }

    /** The same, with the condition first. */
    public static void await(BooleanSupplier condition, String description) {
        await(DEFAULT, description, condition);
    }

    /** The same, with the condition first. */
    public static void await(Duration timeout, BooleanSupplier condition, String description) {
        await(timeout, description, condition);
    }

    /** The same, describing the failure lazily (so the message can show the state at the deadline). */
    public static void await(BooleanSupplier condition, Supplier<String> description) {
        await(DEFAULT, condition, description);
    }

    /** The same, describing the failure lazily. */
    public static void await(Duration timeout, BooleanSupplier condition, Supplier<String> description) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not true after " + Durations.format(timeout) + ": " + description.get());
            }
            LockSupport.parkNanos(2_000_000);
        }
    }

    /** Waits until {@code value} returns non-null, and returns it. */
    public static <T> T awaitValue(String description, Supplier<T> value) {
        Object[] holder = new Object[1];
        await(description, () -> (holder[0] = value.get()) != null);
        @SuppressWarnings("unchecked")
        T result = (T) holder[0];
        return result;
    }
}
