package io.ember.core.checks;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * Argument checks of Ember's runtime: each returns the value it checked, and its message names
 * the argument and carries the offending value ({@code "rpcTimeout must be > 0: PT0S"}).
 *
 * <p>Stateless and thread-safe.
 */
public final class Checks {

    private Checks() {
    }

    /**
     * Checks that {@code duration} is longer than zero.
     *
     * @param name the argument's name, for the messages
     * @return {@code duration}
     * @throws NullPointerException {@code "<name> is null"} when {@code duration} is null
     * @throws IllegalArgumentException {@code "<name> must be > 0: <duration>"} when it is zero or
     *     negative
     */
    public static Duration requirePositive(Duration duration, String name) {
        requireNonNull(duration, () -> name + " is null");
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be > 0: " + duration);
        }
        return duration;
    }
}
