package io.ember.core.driver;

import java.math.BigDecimal;
import java.time.Duration;

/** Durations the way operators read them in messages: {@code 10s}, {@code 1.5s}, {@code 250ms}. */
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

    /** {@code duration}, at least {@code min} and at most {@code max}. */
    static Duration clamp(Duration duration, Duration min, Duration max) {
        return duration.compareTo(min) < 0 ? min : duration.compareTo(max) > 0 ? max : duration;
    }

    /** The time left until {@code deadlineNanos} (of {@link System#nanoTime()}), never negative. */
    static Duration remaining(long deadlineNanos) {
        return Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime()));
    }
}
