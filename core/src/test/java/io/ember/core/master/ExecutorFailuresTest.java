package io.ember.core.master;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.api.testkit.ManualClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

final class ExecutorFailuresTest {

    private static final ExecutorFailures.Limits LIMITS = new ExecutorFailures.Limits(3, 10);

    private final ManualClock clock = new ManualClock();
    private final ExecutorFailures failures = new ExecutorFailures(clock);
    private int nextExecutor;

    /** Launches an executor of {@code app} and returns its id. */
    private String launch(String app) {
        String id = Integer.toString(nextExecutor++);
        failures.launched(app, id);
        return id;
    }

    /** Launches an executor that registers, and returns its id. */
    private String running(String app) {
        String id = launch(app);
        failures.registered(app, id);
        return id;
    }

    @Test
    void replacesTheFirstFailureAtOnce() {
        ExecutorFailures.Verdict verdict = failures.failed("app", running("app"), LIMITS);

        assertEquals(Duration.ZERO, verdict.delay());
        assertEquals(ExecutorFailures.Limit.NONE, verdict.limit());
        assertTrue(failures.mayLaunch("app", LIMITS));
    }

    @Test
    void doublesTheWaitWithEachFailureInARowUpToThirtySeconds() {
        ExecutorFailures.Limits many = new ExecutorFailures.Limits(3, 100);
        failures.failed("app", running("app"), many);
        assertEquals(Duration.ofMillis(500), failures.failed("app", running("app"), many).delay());
        assertEquals(Duration.ofSeconds(1), failures.failed("app", running("app"), many).delay());
        assertEquals(Duration.ofSeconds(2), failures.failed("app", running("app"), many).delay());
        for (int i = 0; i < 20; i++) {
            failures.failed("app", running("app"), many);
        }
        assertEquals(Duration.ofSeconds(30), failures.failed("app", running("app"), many).delay());
    }

    @Test
    void holdsLaunchesUntilExactlyTheWaitHasPassed() {
        failures.failed("app", running("app"), LIMITS);
        failures.failed("app", running("app"), LIMITS);

        assertFalse(failures.mayLaunch("app", LIMITS));
        clock.advance(Duration.ofMillis(499));
        assertFalse(failures.mayLaunch("app", LIMITS));
        clock.advance(Duration.ofMillis(1));
        assertTrue(failures.mayLaunch("app", LIMITS));
    }

    @Test
    void givesUpAfterMaxLaunchFailuresOfExecutorsThatNeverRegistered() {
        assertEquals(ExecutorFailures.Limit.NONE, failures.failed("app", launch("app"), LIMITS).limit());
        assertEquals(ExecutorFailures.Limit.NONE, failures.failed("app", launch("app"), LIMITS).limit());
        clock.advance(Duration.ofSeconds(1));

        ExecutorFailures.Verdict third = failures.failed("app", launch("app"), LIMITS);

        assertEquals(ExecutorFailures.Limit.LAUNCH_FAILURES, third.limit());
        assertTrue(third.beforeRegistering());
        assertEquals(3, third.launchFailuresInARow());
        assertTrue(failures.givenUp("app"));
        clock.advance(Duration.ofMinutes(5));
        assertFalse(failures.mayLaunch("app", LIMITS), "a given-up application gets no executors, ever");
    }

    @Test
    void anExecutorThatRegistersEndsTheRowOfLaunchFailures() {
        failures.failed("app", launch("app"), LIMITS);
        failures.failed("app", launch("app"), LIMITS);
        running("app");

        ExecutorFailures.Verdict next = failures.failed("app", launch("app"), LIMITS);

        assertEquals(1, next.launchFailuresInARow());
        assertEquals(ExecutorFailures.Limit.NONE, next.limit());
    }

    /** Two executors failed before registering and a third is launching: a fourth could only fail too. */
    @Test
    void launchesNoMoreDuringARowOfLaunchFailuresThanCouldStillFailWithinTheLimit() {
        String first = launch("app");
        String second = launch("app");
        assertTrue(failures.mayLaunch("app", LIMITS), "no row yet: an application starts all its executors at once");

        failures.failed("app", first, LIMITS);
        assertTrue(failures.mayLaunch("app", LIMITS), "1 failed + 1 launching < 3");
        String third = launch("app");
        assertFalse(failures.mayLaunch("app", LIMITS), "1 failed + 2 launching = 3");

        failures.failed("app", second, LIMITS);
        clock.advance(Duration.ofMinutes(1));
        assertFalse(failures.mayLaunch("app", LIMITS), "2 failed + 1 launching = 3, however long it takes");

        failures.registered("app", third);
        assertTrue(failures.mayLaunch("app", LIMITS), "one registered: the row is over");
    }

    @Test
    void executorsThatDieAfterRegisteringBackOffAndAreGivenUpAtMaxFailures() {
        ExecutorFailures.Limits limits = new ExecutorFailures.Limits(3, 4);
        ExecutorFailures.Verdict verdict = null;
        for (int i = 0; i < 4; i++) {
            String executor = running("app");
            clock.advance(Duration.ofSeconds(5));   // each ran a few seconds, then a task killed it
            verdict = failures.failed("app", executor, limits);
            assertFalse(verdict.beforeRegistering());
        }

        assertEquals(4, verdict.failuresInARow());
        assertEquals(0, verdict.launchFailuresInARow(), "they all registered");
        assertEquals(ExecutorFailures.Limit.FAILURES, verdict.limit());
        assertTrue(failures.givenUp("app"));
    }

    @Test
    void anExecutorThatRanForAMinuteBeforeItFailedStartsANewRow() {
        failures.failed("app", running("app"), LIMITS);
        failures.failed("app", running("app"), LIMITS);
        String longLived = running("app");
        clock.advance(ExecutorFailures.STABLE_AFTER);

        ExecutorFailures.Verdict verdict = failures.failed("app", longLived, LIMITS);

        assertEquals(1, verdict.failuresInARow());
        assertEquals(Duration.ZERO, verdict.delay());
    }

    @Test
    void anExecutorLaunchedByAnEarlierLeaderCountsAsStable() {
        failures.failed("app", running("app"), LIMITS);
        failures.registered("app", "from-before");

        ExecutorFailures.Verdict verdict = failures.failed("app", "from-before", LIMITS);

        assertEquals(1, verdict.failuresInARow());
        assertFalse(verdict.beforeRegistering());
    }

    @Test
    void anExecutorThatEndsWithoutFailingIsForgotten() {
        String first = launch("app");
        failures.failed("app", launch("app"), LIMITS);
        failures.ended("app", first);

        assertTrue(failures.mayLaunch("app", LIMITS), "1 failed + 0 launching < 3");
    }

    @Test
    void applicationsAreCountedIndependently() {
        failures.failed("broken", running("broken"), LIMITS);
        failures.failed("broken", running("broken"), LIMITS);

        assertFalse(failures.mayLaunch("broken", LIMITS));
        assertTrue(failures.mayLaunch("healthy", LIMITS));
    }

    @Test
    void anEndedApplicationIsForgotten() {
        failures.failed("app", launch("app"), LIMITS);
        failures.failed("app", launch("app"), LIMITS);
        failures.failed("app", launch("app"), LIMITS);

        failures.forget("app");

        assertFalse(failures.givenUp("app"));
        assertTrue(failures.mayLaunch("app", LIMITS));
    }
}
