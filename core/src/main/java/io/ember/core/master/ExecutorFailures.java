package io.ember.core.master;

import static java.util.Objects.requireNonNull;

import io.ember.core.retry.Backoff;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Counts the failures of each application's executors, so that a broken application cannot keep a
 * cluster busy starting JVMs: it slows down their replacement and says when the application must be
 * given up.
 *
 * <p>Two counts, each of failures one after the other:
 * <ul>
 *   <li><b>launch failures</b>: executors that exited before they registered (a bad JVM option, a
 *       class path that does not load, a driver they cannot reach). An executor of the application
 *       registering ends the row. At {@code maxLaunchFailures} the application is given up; and while a
 *       row lasts, no more executors are launched than could still fail within it, so that an
 *       application of two executors and a limit of three gets three launches, not four.
 *   <li><b>failures</b>: executors that failed at all, registered or not (one that dies in a task,
 *       say). An executor that ran for {@link #STABLE_AFTER} or more before it failed starts a new
 *       row. At {@code maxFailures} the application is given up. The first failure of a row is
 *       replaced at once; each further one waits twice as long as the one before, from
 *       {@link #FIRST_DELAY} up to {@link #MAX_DELAY}.
 * </ul>
 *
 * <p>The leader counts what it saw during its own term: a new leader starts every count afresh.
 *
 * <p>Confined to the master's event loop.
 */
final class ExecutorFailures {

    static final Duration FIRST_DELAY = Duration.ofMillis(500);
    static final Duration MAX_DELAY = Duration.ofSeconds(30);
    /** An executor that ran this long before it failed was not part of a row of failures. */
    static final Duration STABLE_AFTER = Duration.ofMinutes(1);
    /** The waits from the second failure in a row on. */
    private static final Backoff DELAYS = Backoff.exponential(FIRST_DELAY, MAX_DELAY);

    /** What a failure changed. */
    enum Limit {
        /** No limit reached: the executor is replaced (see {@link Verdict#delay()}). */
        NONE,
        /** {@code maxLaunchFailures} executors in a row exited before registering. */
        LAUNCH_FAILURES,
        /** {@code maxFailures} executors in a row failed. */
        FAILURES
    }

    /**
     * What one failure means for its application.
     *
     * @param beforeRegistering whether the executor failed before it registered
     * @param launchFailuresInARow the application's launch failures in a row, this one included
     * @param failuresInARow the application's failures in a row, this one included
     * @param delay how long to wait before launching a replacement
     * @param limit the limit this failure reached, if any: then the application is given up
     */
    record Verdict(boolean beforeRegistering, int launchFailuresInARow, int failuresInARow, Duration delay,
                   Limit limit) {
        Verdict {
            requireNonNull(delay, "delay is null");
            requireNonNull(limit, "limit is null");
        }
    }

    /**
     * An application's limits.
     *
     * @param maxLaunchFailures executors that may exit before registering, in a row
     * @param maxFailures executors that may fail, in a row
     */
    record Limits(int maxLaunchFailures, int maxFailures) {
        Limits {
            if (maxLaunchFailures < 1 || maxFailures < 1) {
                throw new IllegalArgumentException("limits must be >= 1: " + maxLaunchFailures + ", " + maxFailures);
            }
        }
    }

    private final Clock clock;
    private final Map<String, Counts> apps = new HashMap<>();

    ExecutorFailures(Clock clock) {
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** An executor of {@code appId} was placed and is being launched. */
    void launched(String appId, String executorId) {
        counts(appId).executors.put(executorId, new Tracked(clock.instant()));
    }

    /**
     * An executor registered (its process really runs): the application's launch failures are forgotten.
     *
     * @return whether that ended a row of launch failures (launches it held back may go out now)
     */
    boolean registered(String appId, String executorId) {
        Counts counts = counts(appId);
        boolean endedARow = counts.launchFailuresInARow > 0;
        counts.launchFailuresInARow = 0;
        Tracked tracked = counts.executors.get(executorId);
        if (tracked == null) {
            // launched by an earlier leader: its start is unknown, so it counts as stable
            counts.executors.put(executorId, new Tracked(null, true));
        } else {
            tracked.registered = true;
        }
        return endedARow;
    }

    /** An executor ended without failing (it exited, was killed or lost with its worker). */
    void ended(String appId, String executorId) {
        Counts counts = apps.get(appId);
        if (counts != null) {
            counts.executors.remove(executorId);
        }
    }

    /** An executor failed: counts it, and says what follows (see {@link Verdict}). */
    Verdict failed(String appId, String executorId, Limits limits) {
        requireNonNull(limits, "limits is null");
        Counts counts = counts(appId);
        Tracked tracked = counts.executors.remove(executorId);
        Instant now = clock.instant();
        boolean beforeRegistering = tracked != null && !tracked.registered;
        boolean stable = tracked == null || tracked.launchedAt == null
                || Duration.between(tracked.launchedAt, now).compareTo(STABLE_AFTER) >= 0;
        counts.failuresInARow = stable ? 1 : counts.failuresInARow + 1;
        if (beforeRegistering) {
            counts.launchFailuresInARow++;
        }
        Limit limit = counts.launchFailuresInARow >= limits.maxLaunchFailures() ? Limit.LAUNCH_FAILURES
                : counts.failuresInARow >= limits.maxFailures() ? Limit.FAILURES : Limit.NONE;
        Duration delay = delayAfter(counts.failuresInARow);
        counts.notBefore = delay.isZero() ? null : now.plus(delay);
        if (limit != Limit.NONE) {
            counts.givenUp = true;
        }
        return new Verdict(beforeRegistering, counts.launchFailuresInARow, counts.failuresInARow, delay, limit);
    }

    /** Whether the application was given up: it gets no more executors. */
    boolean givenUp(String appId) {
        Counts counts = apps.get(appId);
        return counts != null && counts.givenUp;
    }

    /**
     * The back-off that the failure with this count in a row began is over, by the timer the caller
     * set for it: it ends now even if this clock, read against another, is a moment short of it. A
     * later failure's back-off is left alone.
     */
    void backOffEnded(String appId, int failuresInARow) {
        Counts counts = apps.get(appId);
        if (counts != null && counts.failuresInARow == failuresInARow) {
            counts.notBefore = null;
        }
    }

    /** Whether the application waits out a back-off now. */
    boolean backingOff(String appId) {
        Counts counts = apps.get(appId);
        return counts != null && counts.notBefore != null && clock.instant().isBefore(counts.notBefore);
    }

    /**
     * Whether the application may get a new executor now: it was not given up, waits out no back-off,
     * and, during a row of launch failures, has fewer executors launching unregistered than could
     * still fail within its limit.
     *
     * @param current the application's executors the leader holds now (launching or running)
     */
    boolean mayLaunch(String appId, Limits limits, Set<String> current) {
        Counts counts = apps.get(appId);
        if (counts == null) {
            return true;
        }
        if (counts.givenUp || backingOff(appId)) {
            return false;
        }
        if (counts.launchFailuresInARow == 0) {
            return true;
        }
        long unregistered = counts.executors.entrySet().stream()
                .filter(e -> !e.getValue().registered && current.contains(e.getKey())).count();
        return counts.launchFailuresInARow + unregistered < limits.maxLaunchFailures();
    }

    /**
     * Forgets the application's executors other than {@code current}: those that went away without a
     * report of their own (lost with their worker, killed at the application's request).
     */
    void retain(String appId, Set<String> current) {
        Counts counts = apps.get(appId);
        if (counts != null) {
            counts.executors.keySet().retainAll(current);
        }
    }

    /** Forgets an application that ended. */
    void forget(String appId) {
        apps.remove(appId);
    }

    static Duration delayAfter(int failuresInARow) {
        return failuresInARow <= 1 ? Duration.ZERO : DELAYS.delayAfter(failuresInARow - 1);
    }

    private Counts counts(String appId) {
        return apps.computeIfAbsent(appId, id -> new Counts());
    }

    /** One application's counts. */
    private static final class Counts {
        /** Its executors this leader knows of and that did not end yet. */
        final Map<String, Tracked> executors = new HashMap<>();
        int launchFailuresInARow;
        int failuresInARow;
        Instant notBefore;
        boolean givenUp;
    }

    /** An executor: when it was launched (null: before this term) and whether it registered. */
    private static final class Tracked {
        final Instant launchedAt;
        boolean registered;

        Tracked(Instant launchedAt) {
            this(launchedAt, false);
        }

        Tracked(Instant launchedAt, boolean registered) {
            this.launchedAt = launchedAt;
            this.registered = registered;
        }
    }
}
