package io.ember.core.master;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.api.testkit.ManualClock;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

final class ExecutorFailuresTest {

    private static final ExecutorFailures.Limits LIMITS = new ExecutorFailures.Limits(3, 10);

    private final ManualClock clock = new ManualClock();
    private final ExecutorFailures failures = new ExecutorFailures(clock);
    /** The executors the leader holds now (placed and not ended), as MasterState would say. */
    private final Set<String> launching = new HashSet<>();
    private int nextExecutor;

    /** Launches an executor of {@code app} and returns its id. */
    private String launch(String app) {
        String id = Integer.toString(nextExecutor++);
        failures.launched(app, id);
        launching.add(id);
        return id;
    }

    /** The executor failed: the leader no longer holds it, and counts it. */
    private ExecutorFailures.Verdict fail(String app, String executorId, ExecutorFailures.Limits limits) {
        launching.remove(executorId);
        return failures.failed(app, executorId, limits);
    }

    /** Launches an executor that registers, and returns its id. */
    private String running(String app) {
        String id = launch(app);
        failures.registered(app, id);
        return id;
    }

    @Test
    void replacesTheFirstFailureAtOnce() {
        ExecutorFailures.Verdict verdict = fail("app", running("app"), LIMITS);

        assertEquals(Duration.ZERO, verdict.delay());
        assertEquals(ExecutorFailures.Limit.NONE, verdict.limit());
        assertTrue(failures.mayLaunch("app", LIMITS, launching));
    }

    @Test
    void doublesTheWaitWithEachFailureInARowUpToThirtySeconds() {
        ExecutorFailures.Limits many = new ExecutorFailures.Limits(3, 100);
        fail("app", running("app"), many);
        assertEquals(Duration.ofMillis(500), fail("app", running("app"), many).delay());
        assertEquals(Duration.ofSeconds(1), fail("app", running("app"), many).delay());
        assertEquals(Duration.ofSeconds(2), fail("app", running("app"), many).delay());
        for (int i = 0; i < 20; i++) {
            fail("app", running("app"), many);
        }
        assertEquals(Duration.ofSeconds(30), fail("app", running("app"), many).delay());
    }

    @Test
    void holdsLaunchesUntilExactlyTheWaitHasPassed() {
        fail("app", running("app"), LIMITS);
        fail("app", running("app"), LIMITS);

        assertFalse(failures.mayLaunch("app", LIMITS, launching));
        clock.advance(Duration.ofMillis(499));
        assertFalse(failures.mayLaunch("app", LIMITS, launching));
        clock.advance(Duration.ofMillis(1));
        assertTrue(failures.mayLaunch("app", LIMITS, launching));
    }

    @Test
    void theTimerOfABackOffEndsItEvenIfTheClockIsAMomentShort() {
        fail("app", running("app"), LIMITS);
        ExecutorFailures.Verdict second = fail("app", running("app"), LIMITS);
        clock.advance(Duration.ofMillis(499));   // the timer fired by another clock, a millisecond sooner

        failures.backOffEnded("app", second.failuresInARow());

        assertTrue(failures.mayLaunch("app", LIMITS, launching));
    }

    @Test
    void theTimerOfAnEarlierBackOffLeavesALaterOneAlone() {
        fail("app", running("app"), LIMITS);
        ExecutorFailures.Verdict second = fail("app", running("app"), LIMITS);
        fail("app", running("app"), LIMITS);   // a third failure meanwhile: a second's back-off

        failures.backOffEnded("app", second.failuresInARow());

        assertFalse(failures.mayLaunch("app", LIMITS, launching));
    }

    @Test
    void givesUpAfterMaxLaunchFailuresOfExecutorsThatNeverRegistered() {
        assertEquals(ExecutorFailures.Limit.NONE, fail("app", launch("app"), LIMITS).limit());
        assertEquals(ExecutorFailures.Limit.NONE, fail("app", launch("app"), LIMITS).limit());
        clock.advance(Duration.ofSeconds(1));

        ExecutorFailures.Verdict third = fail("app", launch("app"), LIMITS);

        assertEquals(ExecutorFailures.Limit.LAUNCH_FAILURES, third.limit());
        assertTrue(third.beforeRegistering());
        assertEquals(3, third.launchFailuresInARow());
        assertTrue(failures.givenUp("app"));
        clock.advance(Duration.ofMinutes(5));
        assertFalse(failures.mayLaunch("app", LIMITS, launching), "a given-up application gets no executors, ever");
    }

    @Test
    void anExecutorThatRegistersEndsTheRowOfLaunchFailures() {
        fail("app", launch("app"), LIMITS);
        fail("app", launch("app"), LIMITS);
        running("app");

        ExecutorFailures.Verdict next = fail("app", launch("app"), LIMITS);

        assertEquals(1, next.launchFailuresInARow());
        assertEquals(ExecutorFailures.Limit.NONE, next.limit());
    }

    /** Two executors failed before registering and a third is launching: a fourth could only fail too. */
    @Test
    void launchesNoMoreDuringARowOfLaunchFailuresThanCouldStillFailWithinTheLimit() {
        String first = launch("app");
        String second = launch("app");
        assertTrue(failures.mayLaunch("app", LIMITS, launching), "no row yet: an application starts all its executors at once");

        fail("app", first, LIMITS);
        assertTrue(failures.mayLaunch("app", LIMITS, launching), "1 failed + 1 launching < 3");
        String third = launch("app");
        assertFalse(failures.mayLaunch("app", LIMITS, launching), "1 failed + 2 launching = 3");

        fail("app", second, LIMITS);
        clock.advance(Duration.ofMinutes(1));
        assertFalse(failures.mayLaunch("app", LIMITS, launching), "2 failed + 1 launching = 3, however long it takes");

        assertTrue(failures.registered("app", third), "it ended a row: held launches may go out");
        assertTrue(failures.mayLaunch("app", LIMITS, launching), "one registered: the row is over");
        assertFalse(failures.registered("app", launch("app")), "no row to end");
    }

    @Test
    void executorsThatDieAfterRegisteringBackOffAndAreGivenUpAtMaxFailures() {
        ExecutorFailures.Limits limits = new ExecutorFailures.Limits(3, 4);
        ExecutorFailures.Verdict verdict = null;
        for (int i = 0; i < 4; i++) {
            String executor = running("app");
            clock.advance(Duration.ofSeconds(5));   // each ran a few seconds, then a task killed it
            verdict = fail("app", executor, limits);
            assertFalse(verdict.beforeRegistering());
        }

        assertEquals(4, verdict.failuresInARow());
        assertEquals(0, verdict.launchFailuresInARow(), "they all registered");
        assertEquals(ExecutorFailures.Limit.FAILURES, verdict.limit());
        assertTrue(failures.givenUp("app"));
    }

    @Test
    void anExecutorThatRanForAMinuteBeforeItFailedStartsANewRow() {
        fail("app", running("app"), LIMITS);
        fail("app", running("app"), LIMITS);
        String longLived = running("app");
        clock.advance(ExecutorFailures.STABLE_AFTER);

        ExecutorFailures.Verdict verdict = fail("app", longLived, LIMITS);

        assertEquals(1, verdict.failuresInARow());
        assertEquals(Duration.ZERO, verdict.delay());
    }

    @Test
    void anExecutorLaunchedByAnEarlierLeaderCountsAsStable() {
        fail("app", running("app"), LIMITS);
        failures.registered("app", "from-before");

        ExecutorFailures.Verdict verdict = fail("app", "from-before", LIMITS);

        assertEquals(1, verdict.failuresInARow());
        assertFalse(verdict.beforeRegistering());
    }

    @Test
    void anExecutorThatEndsWithoutFailingIsForgotten() {
        String first = launch("app");
        fail("app", launch("app"), LIMITS);
        failures.ended("app", first);

        assertTrue(failures.mayLaunch("app", LIMITS, launching), "1 failed + 0 launching < 3");
    }

    @Test
    void anExecutorTheLeaderNoLongerHoldsDoesNotCountAsLaunching() {
        String lostWithItsWorker = launch("app");
        String killed = launch("app");
        fail("app", launch("app"), LIMITS);
        assertFalse(failures.mayLaunch("app", LIMITS, launching), "1 failed + 2 launching = 3");

        launching.remove(lostWithItsWorker);
        launching.remove(killed);

        assertTrue(failures.mayLaunch("app", LIMITS, launching), "1 failed + 0 launching < 3");
        failures.retain("app", launching);
        launching.add(lostWithItsWorker);   // had they still counted, they would now
        assertTrue(failures.mayLaunch("app", LIMITS, launching), "forgotten by retain");
    }

    @Test
    void applicationsAreCountedIndependently() {
        fail("broken", running("broken"), LIMITS);
        fail("broken", running("broken"), LIMITS);

        assertFalse(failures.mayLaunch("broken", LIMITS, launching));
        assertTrue(failures.mayLaunch("healthy", LIMITS, launching));
    }

    @Test
    void anEndedApplicationIsForgotten() {
        fail("app", launch("app"), LIMITS);
        fail("app", launch("app"), LIMITS);
        fail("app", launch("app"), LIMITS);

        failures.forget("app");

        assertFalse(failures.givenUp("app"));
        assertTrue(failures.mayLaunch("app", LIMITS, launching));
    }
}
