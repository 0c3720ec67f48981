package io.ember.allocation.dynamic;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;

/** Instant arithmetic shared by the policy and its executor tracker. Stateless. */
final class Instants {

    private Instants() {
    }

    /** {@code instant + duration}, or {@link Instant#MAX} when that lies beyond what an instant holds. */
    static Instant plusSaturating(Instant instant, Duration duration) {
        try {
            return instant.plus(duration);
        } catch (DateTimeException | ArithmeticException e) {
            return Instant.MAX;
        }
    }
}
