package io.ember.core.coordination;

import java.math.BigDecimal;
import java.time.Duration;

/** Durations the way operators write them in messages: {@code 10s}, {@code 1.5s}, {@code 250ms}. */
final class Durations {

    private Durations() {
    }

    static String format(Duration duration) {
        long millis = duration.toMillis();
        if (millis < 1_000) {
            return millis + "ms";
        }
        return BigDecimal.valueOf(millis, 3).stripTrailingZeros().toPlainString() + "s";
    }

    /** The duration in whole milliseconds for APIs that take an {@code int}, at least 1. */
    static int toIntMillis(Duration duration, String what) {
        long millis = duration.toMillis();
        if (duration.isNegative() || duration.isZero() || millis > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(what + " must be between 1ms and " + Integer.MAX_VALUE + "ms: " + duration);
        }
        return (int) Math.max(1, millis);
    }
}
