package io.ember.core.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

final class ChecksTest {

    @Test
    void requirePositiveReturnsAPositiveDuration() {
        Duration oneNano = Duration.ofNanos(1);
        assertSame(oneNano, Checks.requirePositive(oneNano, "timeout"));
    }

    @Test
    void requirePositiveRefusesZeroAndNegativeDurationsNamingTheArgumentAndTheValue() {
        assertEquals("timeout must be > 0: PT0S", assertThrows(IllegalArgumentException.class,
                () -> Checks.requirePositive(Duration.ZERO, "timeout")).getMessage());
        assertEquals("timeout must be > 0: PT-0.001S", assertThrows(IllegalArgumentException.class,
                () -> Checks.requirePositive(Duration.ofMillis(-1), "timeout")).getMessage());
    }

    @Test
    void requirePositiveRefusesNullNamingTheArgument() {
        assertEquals("timeout is null", assertThrows(NullPointerException.class,
                () -> Checks.requirePositive(null, "timeout")).getMessage());
    }
}
