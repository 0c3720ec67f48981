package io.ember.allocation.dynamic;

import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;

/** Time arithmetic and formatting shared by the policy and its executor tracker. Stateless. */
final class Durations {

    private Durations() {
    }

    /** {@code instant + duration}, or {@link Instant#MAX} when that lies beyond what an instant holds. */
    static Instant plusSaturating(Instant instant, Duration duration) {
        try {
            return instant.plus(duration);
        } catch (DateTimeException | ArithmeticException e) {
            return Instant.MAX;
        }
    }

    /** A duration as a log line shows it: {@code 250ms}, {@code 1s}, {@code 1.5s}, {@code 60s}. */
    static String format(Duration duration) {
        long millis = duration.toMillis();
        if (Math.abs(millis) < 1_000) {
            return millis + "ms";
        }
        return BigDecimal.valueOf(millis, 3).stripTrailingZeros().toPlainString() + "s";
    }
}
