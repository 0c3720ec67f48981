package io.ember.core.master;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.api.testkit.ManualClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

final class RelaunchBackoffTest {

    private final ManualClock clock = new ManualClock();
    private final RelaunchBackoff backoff = new RelaunchBackoff(clock);

    @Test
    void replacesTheFirstFailureAtOnce() {
        assertEquals(Duration.ZERO, backoff.failed("app"));
        assertTrue(backoff.mayLaunch("app"));
    }

    @Test
    void doublesTheWaitWithEachFailureInARowUpToThirtySeconds() {
        backoff.failed("app");
        assertEquals(Duration.ofMillis(500), backoff.failed("app"));
        assertEquals(Duration.ofSeconds(1), backoff.failed("app"));
        assertEquals(Duration.ofSeconds(2), backoff.failed("app"));
        for (int i = 0; i < 20; i++) {
            backoff.failed("app");
        }
        assertEquals(Duration.ofSeconds(30), backoff.failed("app"));
    }

    @Test
    void holdsLaunchesUntilExactlyTheWaitHasPassed() {
        backoff.failed("app");
        backoff.failed("app");

        assertFalse(backoff.mayLaunch("app"));
        clock.advance(Duration.ofMillis(499));
        assertFalse(backoff.mayLaunch("app"));
        clock.advance(Duration.ofMillis(1));
        assertTrue(backoff.mayLaunch("app"));
    }

    @Test
    void anExecutorThatRegistersClearsTheCount() {
        backoff.failed("app");
        backoff.failed("app");

        backoff.succeeded("app");

        assertTrue(backoff.mayLaunch("app"));
        assertEquals(0, backoff.failuresInARow("app"));
        assertEquals(Duration.ZERO, backoff.failed("app"));
    }

    @Test
    void applicationsBackOffIndependently() {
        backoff.failed("broken");
        backoff.failed("broken");

        assertFalse(backoff.mayLaunch("broken"));
        assertTrue(backoff.mayLaunch("healthy"));
    }
}
