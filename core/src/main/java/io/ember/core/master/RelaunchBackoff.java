package io.ember.core.master;

import static java.util.Objects.requireNonNull;

import io.ember.core.retry.Backoff;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Slows down relaunching the executors of an application whose executors keep failing (a bad JVM
 * option, a class path that does not load, a port that is taken), so a broken application cannot
 * keep a cluster busy starting JVMs. The first failure is replaced at once; each further one in a row
 * doubles the wait, from {@link #FIRST_DELAY} up to {@link #MAX_DELAY}. An executor of the
 * application registering (it really runs) clears the count.
 *
 * <p>Confined to the master's event loop.
 */
final class RelaunchBackoff {

    static final Duration FIRST_DELAY = Duration.ofMillis(500);
    static final Duration MAX_DELAY = Duration.ofSeconds(30);
    /** The waits from the second failure in a row on. */
    private static final Backoff DELAYS = Backoff.exponential(FIRST_DELAY, MAX_DELAY);
    /** After this many failures in a row the leader says so at ERROR, once. */
    static final int ALARM_AFTER = 10;

    private final Clock clock;
    private final Map<String, Integer> failuresInARow = new HashMap<>();
    private final Map<String, Instant> notBefore = new HashMap<>();

    RelaunchBackoff(Clock clock) {
        this.clock = requireNonNull(clock, "clock is null");
    }

    /**
     * Records a failed executor of {@code appId}.
     *
     * @return how long to wait before launching its replacement (zero after the first failure)
     */
    Duration failed(String appId) {
        int failures = failuresInARow.merge(appId, 1, Integer::sum);
        Duration delay = delayAfter(failures);
        if (delay.isZero()) {
            notBefore.remove(appId);
        } else {
            notBefore.put(appId, clock.instant().plus(delay));
        }
        return delay;
    }

    /** An executor of the application registered: it can start executors, so forget its failures. */
    void succeeded(String appId) {
        failuresInARow.remove(appId);
        notBefore.remove(appId);
    }

    /** Forgets an application that ended. */
    void forget(String appId) {
        succeeded(appId);
    }

    /** Whether the application may get new executors now. */
    boolean mayLaunch(String appId) {
        Instant until = notBefore.get(appId);
        return until == null || !clock.instant().isBefore(until);
    }

    /** The failures in a row of an application. */
    int failuresInARow(String appId) {
        return failuresInARow.getOrDefault(appId, 0);
    }

    static Duration delayAfter(int failures) {
        return failures <= 1 ? Duration.ZERO : DELAYS.delayAfter(failures - 1);
    }
}
