package io.ember.allocation.dynamic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.api.allocation.AllocationContext;
import io.ember.api.config.DeclaredSettings;
import io.ember.api.testkit.ManualClock;
import io.ember.api.testkit.RecordingAllocationClient;
import io.ember.api.testkit.RecordingAllocationClient.Kill;
import io.ember.api.testkit.RecordingAllocationClient.Total;
import io.ember.api.testkit.TestingAllocationContext;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class DynamicAllocationPolicyTest {

    private static final Duration TICK = Duration.ofMillis(100);

    private final ManualClock clock = new ManualClock();
    private final RecordingAllocationClient client = new RecordingAllocationClient();

    // --- start ---

    @Test
    void requestsInitialExecutorsAtStart() {
        DynamicAllocationPolicy policy = policy("minExecutors", "1", "initialExecutors", "3");
        policy.start();
        assertEquals(List.of(3), client.requestedTotals());
    }

    @Test
    void initialRequestDefaultsToMinExecutors() {
        DynamicAllocationPolicy policy = policy("minExecutors", "4");
        policy.start();
        assertEquals(List.of(4), client.requestedTotals());
    }

    @Test
    void initialRequestTakesConfiguredInstancesWhenLarger() {
        DynamicAllocationPolicy policy = policy(context(1, 1, 5), "minExecutors", "2", "initialExecutors", "3");
        policy.start();
        assertEquals(List.of(5), client.requestedTotals());
    }

    @Test
    void initialRequestIgnoresTheDefaultOfExecutorInstancesWhenTheApplicationDidNotSetIt() {
        DynamicAllocationPolicy policy = policy(new TestingAllocationContext("app-1", client, clock, 1, 2, false, 1));
        policy.start();
        assertEquals(List.of(0), client.requestedTotals());
    }

    @Test
    void initialRequestNeverExceedsMaxExecutors() {
        DynamicAllocationPolicy policy = policy(context(1, 1, 50), "maxExecutors", "10");
        policy.start();
        assertEquals(List.of(10), client.requestedTotals());
    }

    @Test
    void keepsInitialExecutorsUntilTheFirstStage() {
        DynamicAllocationPolicy policy = policy("initialExecutors", "5");
        policy.start();
        runFor(policy, Duration.ofSeconds(30));
        assertEquals(List.of(5), client.requestedTotals());

        policy.onStageSubmitted(0, 2);
        policy.tick();
        assertEquals(List.of(5, 2), client.requestedTotals());
    }

    @Test
    void retriesAnInitialRequestTheClusterManagerDidNotGet() {
        DynamicAllocationPolicy policy = policy("initialExecutors", "2");
        client.reachable(false);
        policy.start();
        policy.tick();
        assertEquals(List.of(), client.requestedTotals());
        assertEquals(List.of(new Total(2), new Total(2)), client.refused(), "sent at start, again on the tick");

        client.reachable(true);
        policy.tick();
        assertEquals(List.of(2), client.requestedTotals());
        policy.tick();
        assertEquals(List.of(2), client.requestedTotals());
    }

    @Test
    void refusesToStartTwice() {
        DynamicAllocationPolicy policy = policy();
        policy.start();
        IllegalStateException e = assertThrows(IllegalStateException.class, policy::start);
        assertTrue(e.getMessage().contains("app-1"), e.getMessage());
    }

    @Test
    void ignoresEverythingAfterClose() {
        DynamicAllocationPolicy policy = policy();
        policy.start();
        policy.close();
        policy.close();
        policy.onStageSubmitted(0, 100);
        runFor(policy, Duration.ofSeconds(10));
        assertEquals(List.of(0), client.requestedTotals());
    }

    @Test
    void rejectsMoreCoresPerTaskThanPerExecutor() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> policy(TestingAllocationContext.of(client, clock).withCores(2, 4)));
        assertTrue(e.getMessage().contains("ember.task.cpus (4)"), e.getMessage());
        assertTrue(e.getMessage().contains("ember.executor.cores (2)"), e.getMessage());
    }

    // --- backlog ---

    @Test
    void doublesTheStepWhileTheBacklogLasts() {
        DynamicAllocationPolicy policy = started();
        policy.onStageSubmitted(0, 1000);
        runFor(policy, Duration.ofMillis(4500));
        // steps 1, 2, 4, 8
        assertEquals(List.of(0, 1, 3, 7, 15), client.requestedTotals());
    }

    @Test
    void addsExecutorsAtExactlyTheBacklogTimeout() {
        DynamicAllocationPolicy policy = started();
        policy.onStageSubmitted(0, 1000);
        advanceAndTick(policy, Duration.ofMillis(999));
        assertEquals(List.of(0), client.requestedTotals());
        advanceAndTick(policy, Duration.ofMillis(1));
        assertEquals(List.of(0, 1), client.requestedTotals());
    }

    @Test
    void waitsTheSustainedTimeoutBetweenLaterAdditions() {
        DynamicAllocationPolicy policy = started("schedulerBacklogTimeout", "1s", "sustainedSchedulerBacklogTimeout", "5s");
        policy.onStageSubmitted(0, 1000);
        advanceAndTick(policy, Duration.ofSeconds(1));
        assertEquals(List.of(0, 1), client.requestedTotals());
        advanceAndTick(policy, Duration.ofMillis(4999));
        assertEquals(List.of(0, 1), client.requestedTotals());
        advanceAndTick(policy, Duration.ofMillis(1));
        assertEquals(List.of(0, 1, 3), client.requestedTotals());
    }

    @Test
    void neverAddsMoreThanTheTasksNeed() {
        DynamicAllocationPolicy policy = started();
        policy.onStageSubmitted(0, 10);
        runFor(policy, Duration.ofSeconds(10));
        assertEquals(List.of(0, 1, 3, 7, 10), client.requestedTotals());
    }

    @Test
    void neverAddsMoreThanMaxExecutors() {
        DynamicAllocationPolicy policy = started("maxExecutors", "5");
        policy.onStageSubmitted(0, 1000);
        runFor(policy, Duration.ofSeconds(10));
        assertEquals(List.of(0, 1, 3, 5), client.requestedTotals());
    }

    @Test
    void dividesTasksByTasksPerExecutor() {
        // 4 cores per executor, 1 per task: 25 tasks need ceil(25 / 4) = 7 executors
        DynamicAllocationPolicy policy = policy(context(4, 1, 0));
        policy.start();
        policy.onStageSubmitted(0, 25);
        runFor(policy, Duration.ofSeconds(10));
        assertEquals(List.of(0, 1, 3, 7), client.requestedTotals());
    }

    @Test
    void aimsForAShareOfTheTasksWithARatioBelowOne() {
        DynamicAllocationPolicy policy = started("executorAllocationRatio", "0.5");
        policy.onStageSubmitted(0, 10);
        runFor(policy, Duration.ofSeconds(10));
        assertEquals(List.of(0, 1, 3, 5), client.requestedTotals());
    }

    @Test
    void resetsTheStepAndLowersTheTargetWhenTheBacklogClears() {
        DynamicAllocationPolicy policy = started();
        policy.onStageSubmitted(0, 30);
        runFor(policy, Duration.ofMillis(3500));
        assertEquals(List.of(0, 1, 3, 7), client.requestedTotals());

        policy.onStageCompleted(0);
        policy.tick();
        assertEquals(List.of(0, 1, 3, 7, 0), client.requestedTotals());

        policy.onStageSubmitted(1, 30);
        runFor(policy, Duration.ofMillis(2500));
        assertEquals(List.of(0, 1, 3, 7, 0, 1, 3), client.requestedTotals());
    }

    @Test
    void lowersTheTargetToWhatRunningTasksNeedButNotBelowMin() {
        DynamicAllocationPolicy policy = started("minExecutors", "2");
        policy.onStageSubmitted(0, 30);
        runFor(policy, Duration.ofMillis(3500));
        assertEquals(List.of(2, 3, 5, 9), client.requestedTotals());

        policy.onStageCompleted(0);
        policy.onStageSubmitted(1, 4);
        for (int i = 0; i < 4; i++) {
            policy.onTaskStart(1, "e" + i);
        }
        policy.tick();
        assertEquals(4, policy.target());
        assertEquals(List.of(2, 3, 5, 9, 4), client.requestedTotals());

        policy.onStageCompleted(1);
        policy.tick();
        assertEquals(List.of(2, 3, 5, 9, 4, 2), client.requestedTotals());
    }

    @Test
    void restartsTheStepWhenTasksStopWaiting() {
        DynamicAllocationPolicy policy = started();
        policy.onStageSubmitted(0, 100);
        runFor(policy, Duration.ofMillis(2500));
        assertEquals(List.of(0, 1, 3), client.requestedTotals());

        // every pending task starts: the backlog clears although the tasks still need executors
        for (int i = 0; i < 100; i++) {
            policy.onTaskStart(0, "e" + (i % 3));
        }
        runFor(policy, Duration.ofSeconds(5));
        assertEquals(List.of(0, 1, 3), client.requestedTotals());

        // new work waits again: growth starts over at one more executor
        policy.onStageSubmitted(1, 100);
        runFor(policy, Duration.ofMillis(1000));
        assertEquals(List.of(0, 1, 3, 4), client.requestedTotals());
    }

    @Test
    void retriesAnAdditionTheClusterManagerDidNotGet() {
        DynamicAllocationPolicy policy = started();
        policy.onStageSubmitted(0, 1000);
        client.reachable(false);
        advanceAndTick(policy, Duration.ofSeconds(1));
        assertEquals(0, policy.target());

        client.reachable(true);
        advanceAndTick(policy, TICK);
        assertEquals(List.of(0, 1), client.requestedTotals());
    }

    @Test
    void needsTheCeilingOfTasksTimesRatioPerExecutor() {
        assertEquals(0, DynamicAllocationPolicy.executorsNeeded(0, 1.0, 1));
        assertEquals(7, DynamicAllocationPolicy.executorsNeeded(25, 1.0, 4));
        assertEquals(3, DynamicAllocationPolicy.executorsNeeded(30, 0.1, 1));
        assertEquals(1, DynamicAllocationPolicy.executorsNeeded(1, 1e-9, 1));
        assertEquals(Integer.MAX_VALUE, DynamicAllocationPolicy.executorsNeeded(Long.MAX_VALUE, 1.0, 1));
    }

    // --- idle ---

    @Test
    void releasesAnIdleExecutorAtExactlyTheIdleTimeout() {
        DynamicAllocationPolicy policy = started();
        policy.onExecutorAdded("e1");
        advanceAndTick(policy, Duration.ofMillis(59_999));
        assertEquals(List.of(), client.killed());
        advanceAndTick(policy, Duration.ofMillis(1));
        assertEquals(List.of("e1"), client.killed());
    }

    @Test
    void idleTimeStartsWhenTheLastTaskEnds() {
        DynamicAllocationPolicy policy = started();
        policy.onExecutorAdded("e1");
        policy.onStageSubmitted(0, 2);
        policy.onTaskStart(0, "e1");
        policy.onTaskStart(0, "e1");
        clock.advance(Duration.ofSeconds(100));
        policy.onTaskEnd(0, "e1");
        advanceAndTick(policy, Duration.ofSeconds(30));
        policy.onTaskEnd(0, "e1");
        policy.onStageCompleted(0);

        advanceAndTick(policy, Duration.ofMillis(59_999));
        assertEquals(List.of(), client.killed());
        advanceAndTick(policy, Duration.ofMillis(1));
        assertEquals(List.of("e1"), client.killed());
    }

    @Test
    void neverReleasesABusyExecutor() {
        DynamicAllocationPolicy policy = started();
        policy.onExecutorAdded("e1");
        policy.onStageSubmitted(0, 1);
        policy.onTaskStart(0, "e1");
        runFor(policy, Duration.ofMinutes(5));
        assertEquals(List.of(), client.killed());
    }

    @Test
    void releasesAnExecutorOnlyOnce() {
        DynamicAllocationPolicy policy = started();
        policy.onExecutorAdded("e1");
        advanceAndTick(policy, Duration.ofSeconds(60));
        advanceAndTick(policy, Duration.ofSeconds(60));
        assertEquals(List.of(new Kill(List.of("e1"), 0)), client.kills());
    }

    @Test
    void retriesAReleaseTheClusterManagerDidNotGet() {
        DynamicAllocationPolicy policy = started();
        policy.onExecutorAdded("e1");
        client.reachable(false);
        advanceAndTick(policy, Duration.ofSeconds(60));
        client.reachable(true);
        advanceAndTick(policy, TICK);
        assertEquals(List.of("e1"), client.killed());
    }

    @Test
    void neverReleasesBelowMinExecutors() {
        DynamicAllocationPolicy policy = started("minExecutors", "2");
        policy.onExecutorAdded("e1");
        policy.onExecutorAdded("e2");
        policy.onExecutorAdded("e3");
        advanceAndTick(policy, Duration.ofSeconds(60));
        assertEquals(1, client.killed().size());

        policy.onExecutorRemoved(client.killed().get(0));
        runFor(policy, Duration.ofMinutes(5));
        assertEquals(1, client.killed().size());
    }

    @Test
    void keepsIdleExecutorsTheTargetStillNeeds() {
        DynamicAllocationPolicy policy = started("initialExecutors", "4");
        for (int i = 1; i <= 4; i++) {
            policy.onExecutorAdded("e" + i);
        }
        // 4 tasks need 4 executors; two run, two wait (e.g. for locality)
        policy.onStageSubmitted(0, 4);
        policy.onTaskStart(0, "e1");
        policy.onTaskStart(0, "e2");
        runFor(policy, Duration.ofMinutes(2));
        assertEquals(List.of(), client.killed());

        // the waiting tasks go away: the target drops to 2 and e3, e4 may go
        policy.onStageCompleted(0);
        policy.onStageSubmitted(1, 2);
        policy.onTaskStart(1, "e1");
        policy.onTaskStart(1, "e2");
        policy.tick();
        assertEquals(List.of(4, 2), client.requestedTotals());
        assertEquals(List.of("e3", "e4"), client.killed());
    }

    @Test
    void releasesTheLongestIdleFirst() {
        DynamicAllocationPolicy policy = started("minExecutors", "1");
        policy.onExecutorAdded("e2");
        clock.advance(Duration.ofSeconds(1));
        policy.onExecutorAdded("e1");
        advanceAndTick(policy, Duration.ofSeconds(60));
        assertEquals(List.of("e2"), client.killed());
    }

    @Test
    void keepsAnIdleExecutorWithCachedBlocksForever() {
        DynamicAllocationPolicy policy = started();
        policy.onExecutorAdded("e1");
        policy.onCachedBlocksChanged("e1", true);
        advanceAndTick(policy, Duration.ofDays(7));
        assertEquals(List.of(), client.killed());

        policy.onCachedBlocksChanged("e1", false);
        policy.tick();
        assertEquals(List.of("e1"), client.killed());
    }

    @Test
    void releasesAnIdleExecutorWithCachedBlocksAtTheCachedTimeout() {
        DynamicAllocationPolicy policy = started("cachedExecutorIdleTimeout", "120s");
        policy.onExecutorAdded("e1");
        policy.onCachedBlocksChanged("e1", true);
        advanceAndTick(policy, Duration.ofSeconds(60));
        advanceAndTick(policy, Duration.ofMillis(59_999));
        assertEquals(List.of(), client.killed());
        advanceAndTick(policy, Duration.ofMillis(1));
        assertEquals(List.of("e1"), client.killed());
    }

    @Test
    void releasesACachedExecutorAtTheIdleTimeoutOnceItsBlocksAreGone() {
        DynamicAllocationPolicy policy = started("cachedExecutorIdleTimeout", "10m");
        policy.onExecutorAdded("e1");
        policy.onCachedBlocksChanged("e1", true);
        advanceAndTick(policy, Duration.ofSeconds(30));
        policy.onCachedBlocksChanged("e1", false);
        advanceAndTick(policy, Duration.ofMillis(29_999));
        assertEquals(List.of(), client.killed());
        advanceAndTick(policy, Duration.ofMillis(1));
        assertEquals(List.of("e1"), client.killed());
    }

    @Test
    void sendsTheUnchangedTargetWithARelease() {
        DynamicAllocationPolicy policy = started("minExecutors", "1", "initialExecutors", "3");
        policy.onExecutorAdded("e1");
        policy.onExecutorAdded("e2");
        policy.onExecutorAdded("e3");
        advanceAndTick(policy, Duration.ofSeconds(60));
        // the idle timeout ends the initial hold: the target drops to minExecutors, then two go
        assertEquals(List.of(new Total(3), new Total(1), new Kill(List.of("e1", "e2"), 1)), client.requests());
    }

    // --- shuffle tracking ---

    @Test
    void ignoresShuffleOutputWithoutShuffleTracking() {
        DynamicAllocationPolicy policy = started("shuffleTracking.enabled", "false");
        policy.onExecutorAdded("e1");
        policy.onShuffleActive(0, true);
        policy.onShuffleOutput("e1", 0);
        advanceAndTick(policy, Duration.ofMillis(59_999));
        assertEquals(List.of(), client.killed());
        advanceAndTick(policy, Duration.ofMillis(1));
        assertEquals(List.of("e1"), client.killed());
    }

    @Test
    void keepsAnExecutorHoldingOutputOfAnActiveShuffleForeverByDefault() {
        DynamicAllocationPolicy policy = started("shuffleTracking.enabled", "true");
        policy.onExecutorAdded("e1");
        policy.onExecutorAdded("control");   // idle as long, without shuffle output: must go at the idle timeout
        policy.onShuffleActive(0, true);
        policy.onShuffleOutput("e1", 0);
        runFor(policy, Duration.ofSeconds(60));
        assertEquals(List.of("control"), client.killed());

        runFor(policy, Duration.ofMinutes(4));
        advanceAndTick(policy, Duration.ofDays(7));
        assertEquals(List.of("control"), client.killed());
    }

    @Test
    void keepsAnExecutorHoldingOutputOfAnActiveShuffleUntilTheShuffleTrackingTimeout() {
        DynamicAllocationPolicy policy = started("shuffleTracking.enabled", "true", "shuffleTracking.timeout", "30m");
        policy.onExecutorAdded("e1");
        policy.onShuffleActive(3, true);
        policy.onShuffleOutput("e1", 3);
        advanceAndTick(policy, Duration.ofMinutes(30).minusMillis(1));
        assertEquals(List.of(), client.killed());
        advanceAndTick(policy, Duration.ofMillis(1));
        assertEquals(List.of("e1"), client.killed());
    }

    @Test
    void releasesOnTheNextTickOnceTheShuffleIsInactiveIfIdleLongerThanTheIdleTimeout() {
        DynamicAllocationPolicy policy = started("shuffleTracking.enabled", "true");
        policy.onExecutorAdded("e1");
        policy.onShuffleActive(0, true);
        policy.onShuffleOutput("e1", 0);
        runFor(policy, Duration.ofSeconds(90));
        assertEquals(List.of(), client.killed());

        policy.onShuffleActive(0, false);
        policy.tick();
        assertEquals(List.of(new Kill(List.of("e1"), 0)), client.kills());
    }

    /**
     * A shuffle the driver cleaned up keeps no executor, even one a running job still marked active
     * (a late notice), and output written of it later is not counted either.
     */
    @Test
    void aRemovedShuffleKeepsNoExecutor() {
        DynamicAllocationPolicy policy = started("shuffleTracking.enabled", "true");
        policy.onExecutorAdded("e1");
        policy.onExecutorAdded("e2");
        policy.onShuffleActive(0, true);
        policy.onShuffleActive(1, true);
        policy.onShuffleOutput("e1", 0);
        policy.onShuffleOutput("e2", 1);
        runFor(policy, Duration.ofSeconds(90));
        assertEquals(List.of(), client.killed());

        policy.onShuffleRemoved(0);
        policy.tick();

        assertEquals(List.of("e1"), client.killed(), "e2 still holds output of shuffle 1");
    }

    @Test
    void aShuffleBecomingInactiveDoesNotResetTheIdleClock() {
        DynamicAllocationPolicy policy = started("shuffleTracking.enabled", "true");
        policy.onExecutorAdded("e1");
        policy.onShuffleActive(0, true);
        policy.onShuffleOutput("e1", 0);
        advanceAndTick(policy, Duration.ofSeconds(30));
        policy.onShuffleActive(0, false);
        advanceAndTick(policy, Duration.ofMillis(29_999));
        assertEquals(List.of(), client.killed());
        advanceAndTick(policy, Duration.ofMillis(1));
        assertEquals(List.of("e1"), client.killed());
    }

    @Test
    void outputOfAnInactiveShuffleDoesNotKeepAnExecutor() {
        DynamicAllocationPolicy policy = started("shuffleTracking.enabled", "true");
        policy.onExecutorAdded("e1");
        policy.onShuffleOutput("e1", 0);
        policy.onShuffleActive(1, true);
        advanceAndTick(policy, Duration.ofSeconds(60));
        assertEquals(List.of("e1"), client.killed());
    }

    @Test
    void keepsAnExecutorAgainWhenItsShuffleBecomesActiveAgain() {
        DynamicAllocationPolicy policy = started("shuffleTracking.enabled", "true");
        policy.onExecutorAdded("e1");
        policy.onShuffleOutput("e1", 0);
        policy.onShuffleActive(0, true);
        advanceAndTick(policy, Duration.ofSeconds(10));
        policy.onShuffleActive(0, false);
        advanceAndTick(policy, Duration.ofSeconds(10));
        policy.onShuffleActive(0, true);
        runFor(policy, Duration.ofMinutes(5));
        assertEquals(List.of(), client.killed());
    }

    @Test
    void aCachedExecutorWhoseShuffleIsInactiveWaitsForTheCachedTimeout() {
        DynamicAllocationPolicy policy = started("shuffleTracking.enabled", "true", "shuffleTracking.timeout", "30s",
                "cachedExecutorIdleTimeout", "10m");
        policy.onExecutorAdded("e1");
        policy.onShuffleOutput("e1", 0);
        policy.onCachedBlocksChanged("e1", true);
        advanceAndTick(policy, Duration.ofMinutes(10).minusMillis(1));
        assertEquals(List.of(), client.killed());
        advanceAndTick(policy, Duration.ofMillis(1));
        assertEquals(List.of("e1"), client.killed());
    }

    @Test
    void takesTheShorterOfCachedAndShuffleTimeouts() {
        DynamicAllocationPolicy policy = started("shuffleTracking.enabled", "true", "shuffleTracking.timeout", "30s",
                "cachedExecutorIdleTimeout", "10m");
        policy.onExecutorAdded("e1");
        policy.onShuffleActive(0, true);
        policy.onShuffleOutput("e1", 0);
        policy.onCachedBlocksChanged("e1", true);
        advanceAndTick(policy, Duration.ofMillis(29_999));
        assertEquals(List.of(), client.killed());
        advanceAndTick(policy, Duration.ofMillis(1));
        assertEquals(List.of("e1"), client.killed());
    }

    @Test
    void aCachedExecutorHoldingActiveShuffleOutputIsKeptForeverWhenBothTimeoutsAreUnset() {
        DynamicAllocationPolicy policy = started("shuffleTracking.enabled", "true");
        policy.onExecutorAdded("e1");
        policy.onShuffleActive(0, true);
        policy.onShuffleOutput("e1", 0);
        policy.onCachedBlocksChanged("e1", true);
        advanceAndTick(policy, Duration.ofDays(7));
        assertEquals(List.of(), client.killed());
    }

    // --- retried tasks ---

    @Test
    void aResubmittedTaskIsPendingAgain() {
        DynamicAllocationPolicy policy = started();
        policy.onExecutorAdded("e1");
        policy.onStageSubmitted(0, 1);
        policy.onTaskStart(0, "e1");
        runFor(policy, Duration.ofSeconds(5));
        assertEquals(List.of(0), client.requestedTotals());

        // the executor is lost with the stage's only task: it runs again and needs an executor
        policy.onTaskEnd(0, "e1");
        policy.onTaskResubmitted(0);
        policy.onExecutorRemoved("e1");
        advanceAndTick(policy, Duration.ofMillis(999));
        assertEquals(List.of(0), client.requestedTotals());
        advanceAndTick(policy, Duration.ofMillis(1));
        assertEquals(List.of(0, 1), client.requestedTotals());
    }

    @Test
    void aTaskOfAKilledExecutorGetsAnExecutorAgainAfterTheBacklogTimeout() {
        DynamicAllocationPolicy policy = started();
        policy.onStageSubmitted(0, 1);
        runFor(policy, Duration.ofSeconds(1));
        policy.onExecutorAdded("e1");
        policy.onTaskStart(0, "e1");
        assertTrue(policy.killExecutors(List.of("e1")));
        policy.onTaskEnd(0, "e1");
        policy.onTaskResubmitted(0);
        policy.onExecutorRemoved("e1");
        runFor(policy, Duration.ofMillis(900));
        assertEquals(List.of(new Total(0), new Total(1), new Kill(List.of("e1"), 0)), client.requests());
        advanceAndTick(policy, TICK);
        assertEquals(List.of(new Total(0), new Total(1), new Kill(List.of("e1"), 0), new Total(1)), client.requests());
    }

    @Test
    void ignoresResubmittedTasksOfUnknownOrCompletedStages() {
        DynamicAllocationPolicy policy = started();
        policy.onStageSubmitted(0, 1);
        policy.onTaskStart(0, "e1");
        policy.onTaskEnd(0, "e1");
        policy.onStageCompleted(0);
        policy.onTaskResubmitted(0);
        policy.onTaskResubmitted(7);
        runFor(policy, Duration.ofSeconds(5));
        assertEquals(List.of(0), client.requestedTotals());
    }

    // --- requests from the application ---

    @Test
    void requestTotalExecutorsClampsToMaxExecutors() {
        DynamicAllocationPolicy policy = started("minExecutors", "1", "maxExecutors", "4");
        assertTrue(policy.requestTotalExecutors(10));
        assertEquals(4, policy.target());
        assertEquals(List.of(1, 4), client.requestedTotals());
    }

    @Test
    void requestTotalExecutorsClampsToMinExecutors() {
        DynamicAllocationPolicy policy = started("minExecutors", "2");
        assertTrue(policy.requestTotalExecutors(0));
        assertEquals(List.of(2, 2), client.requestedTotals());
    }

    @Test
    void holdsTheRequestedTotalUntilTheNextStage() {
        DynamicAllocationPolicy policy = started();
        policy.onStageSubmitted(0, 1);
        policy.onStageCompleted(0);
        policy.tick();
        assertTrue(policy.requestTotalExecutors(5));
        runFor(policy, Duration.ofSeconds(30));
        assertEquals(List.of(0, 5), client.requestedTotals());

        policy.onStageSubmitted(1, 2);
        policy.tick();
        assertEquals(List.of(0, 5, 2), client.requestedTotals());
    }

    @Test
    void holdsTheRequestedTotalUntilAnExecutorIdlesOutAfterTheRequest() {
        DynamicAllocationPolicy policy = started("minExecutors", "1");
        policy.onExecutorAdded("e1");
        runFor(policy, Duration.ofSeconds(120));
        // e1 timed out at 60s (kept by minExecutors): that does not end a later hold
        assertTrue(policy.requestTotalExecutors(3));
        policy.onExecutorAdded("e2");
        advanceAndTick(policy, Duration.ofMillis(59_999));
        assertEquals(List.of(new Total(1), new Total(3)), client.requests());

        advanceAndTick(policy, Duration.ofMillis(1));
        assertEquals(List.of(new Total(1), new Total(3), new Total(1), new Kill(List.of("e1"), 1)), client.requests());
    }

    @Test
    void theLatestRequestedTotalWins() {
        DynamicAllocationPolicy policy = started();
        assertTrue(policy.requestTotalExecutors(5));
        assertTrue(policy.requestTotalExecutors(2));
        runFor(policy, Duration.ofSeconds(10));
        assertEquals(2, policy.target());
        assertEquals(List.of(0, 5, 2), client.requestedTotals());
    }

    @Test
    void backlogRaisesStillApplyWhileARequestedTotalIsHeld() {
        DynamicAllocationPolicy policy = started();
        policy.onStageSubmitted(0, 1000);
        advanceAndTick(policy, Duration.ofMillis(500));
        assertTrue(policy.requestTotalExecutors(2));
        advanceAndTick(policy, Duration.ofMillis(500));
        assertEquals(List.of(0, 2, 3), client.requestedTotals());
    }

    @Test
    void refusesNegativeRequests() {
        DynamicAllocationPolicy policy = started();
        IllegalArgumentException total = assertThrows(IllegalArgumentException.class,
                () -> policy.requestTotalExecutors(-1));
        assertTrue(total.getMessage().contains("-1"), total.getMessage());
        IllegalArgumentException count = assertThrows(IllegalArgumentException.class,
                () -> policy.requestExecutors(-2));
        assertTrue(count.getMessage().contains("-2"), count.getMessage());
        assertEquals(List.of(0), client.requestedTotals());
    }

    @Test
    void requestExecutorsAddsToTheTarget() {
        DynamicAllocationPolicy policy = started("initialExecutors", "1", "maxExecutors", "6");
        assertTrue(policy.requestExecutors(3));
        assertEquals(List.of(1, 4), client.requestedTotals());
        assertTrue(policy.requestExecutors(5));
        assertEquals(List.of(1, 4, 6), client.requestedTotals());
    }

    @Test
    void requestExecutorsSaturatesAtTheLargestInt() {
        DynamicAllocationPolicy policy = started();
        assertTrue(policy.requestTotalExecutors(Integer.MAX_VALUE - 1));
        assertTrue(policy.requestExecutors(5));
        assertEquals(List.of(0, Integer.MAX_VALUE - 1, Integer.MAX_VALUE), client.requestedTotals());
    }

    @Test
    void resendsARequestedTotalTheClusterManagerDidNotGet() {
        DynamicAllocationPolicy policy = started();
        client.reachable(false);
        assertFalse(policy.requestTotalExecutors(4));
        assertEquals(4, policy.target());
        client.reachable(true);
        policy.tick();
        assertEquals(List.of(0, 4), client.requestedTotals());
        runFor(policy, Duration.ofSeconds(10));
        assertEquals(List.of(0, 4), client.requestedTotals());
    }

    @Test
    void refusesRequestsBeforeStart() {
        DynamicAllocationPolicy policy = policy();
        assertThrows(IllegalStateException.class, () -> policy.requestTotalExecutors(3));
        assertThrows(IllegalStateException.class, () -> policy.requestExecutors(3));
        policy.onExecutorAdded("e1");
        assertThrows(IllegalStateException.class, () -> policy.killExecutors(List.of("e1")));
        assertEquals(List.of(), client.requests());
    }

    @Test
    void ignoresRequestsAfterClose() {
        DynamicAllocationPolicy policy = started();
        policy.onExecutorAdded("e1");
        policy.close();
        assertFalse(policy.requestTotalExecutors(3));
        assertFalse(policy.requestExecutors(3));
        assertFalse(policy.killExecutors(List.of("e1")));
        assertEquals(List.of(new Total(0)), client.requests());
    }

    @Test
    void killExecutorsLowersTheTargetByTheNumberKilled() {
        DynamicAllocationPolicy policy = started("initialExecutors", "3");
        policy.onExecutorAdded("e1");
        policy.onExecutorAdded("e2");
        policy.onExecutorAdded("e3");
        policy.onStageSubmitted(0, 3);
        policy.onTaskStart(0, "e1");
        assertTrue(policy.killExecutors(List.of("e1", "e3")));
        assertEquals(1, policy.target());
        assertEquals(List.of(new Total(3), new Kill(List.of("e1", "e3"), 1)), client.requests());
    }

    @Test
    void anExecutorThatStartsATaskAsItIsReleasedWasKeptAndIsReleasedLaterAgain() {
        DynamicAllocationPolicy policy = started();
        policy.onExecutorAdded("e1");
        advanceAndTick(policy, Duration.ofSeconds(60));
        assertEquals(List.of("e1"), client.killed());

        // the driver had just sent it a task, so it kept it: the task's start arrives after the release
        policy.onStageSubmitted(0, 1);
        policy.onTaskStart(0, "e1");
        policy.onTaskEnd(0, "e1");
        policy.onStageCompleted(0);
        advanceAndTick(policy, Duration.ofSeconds(59));
        assertEquals(List.of("e1"), client.killed());
        advanceAndTick(policy, Duration.ofSeconds(1));
        assertEquals(List.of("e1", "e1"), client.killed(), "idle again for 60 s: released again");
    }

    @Test
    void killsAnExecutorTheDriverHoldsBeforeItsAddedEventArrives() {
        DynamicAllocationPolicy policy = started("initialExecutors", "2");
        client.hold("e1", "e2");
        assertTrue(policy.killExecutors(List.of("e2")));
        assertEquals(List.of(new Total(2), new Kill(List.of("e2"), 1)), client.requests());

        policy.onExecutorAdded("e2");   // late: still being released, not released again
        advanceAndTick(policy, Duration.ofMinutes(5));
        assertEquals(List.of("e2"), client.killed());
    }

    @Test
    void killExecutorsKillsBelowMinExecutorsButKeepsTheTargetAtMin() {
        DynamicAllocationPolicy policy = started("minExecutors", "2", "initialExecutors", "3");
        policy.onExecutorAdded("e1");
        policy.onExecutorAdded("e2");
        policy.onExecutorAdded("e3");
        assertTrue(policy.killExecutors(List.of("e1", "e2", "e3")));
        assertEquals(2, policy.target());
        assertEquals(List.of(new Kill(List.of("e1", "e2", "e3"), 2)), client.kills());
    }

    @Test
    void killExecutorsIgnoresUnknownIds() {
        DynamicAllocationPolicy policy = started("initialExecutors", "2");
        policy.onExecutorAdded("e1");
        assertTrue(policy.killExecutors(List.of("nope", "e1", "e1")));
        assertEquals(List.of(new Kill(List.of("e1"), 1)), client.kills());
    }

    @Test
    void killExecutorsReturnsFalseWhenNoIdIsKnown() {
        DynamicAllocationPolicy policy = started("initialExecutors", "2");
        policy.onExecutorAdded("e1");
        assertFalse(policy.killExecutors(List.of("nope")));
        assertFalse(policy.killExecutors(List.of()));
        assertTrue(policy.killExecutors(List.of("e1")));
        // already being killed
        assertFalse(policy.killExecutors(List.of("e1")));
        assertEquals(List.of(new Total(2), new Kill(List.of("e1"), 1)), client.requests());
    }

    @Test
    void aKilledExecutorIsNotReleasedAgainByTheIdleRule() {
        DynamicAllocationPolicy policy = started();
        policy.onExecutorAdded("e1");
        advanceAndTick(policy, Duration.ofSeconds(30));
        assertTrue(policy.killExecutors(List.of("e1")));
        runFor(policy, Duration.ofMinutes(5));
        assertEquals(List.of(new Kill(List.of("e1"), 0)), client.kills());
    }

    @Test
    void aKillTheClusterManagerDidNotGetChangesNothing() {
        DynamicAllocationPolicy policy = started("initialExecutors", "2");
        policy.onExecutorAdded("e1");
        client.reachable(false);
        assertFalse(policy.killExecutors(List.of("e1")));
        assertEquals(2, policy.target());
        client.reachable(true);
        assertTrue(policy.killExecutors(List.of("e1")));
        assertEquals(List.of(new Total(2), new Kill(List.of("e1"), 1)), client.requests());
    }

    // --- helpers ---

    private DynamicAllocationPolicy started(String... keysAndValues) {
        DynamicAllocationPolicy policy = policy(keysAndValues);
        policy.start();
        return policy;
    }

    private DynamicAllocationPolicy policy(String... keysAndValues) {
        return policy(TestingAllocationContext.of(client, clock), keysAndValues);
    }

    private DynamicAllocationPolicy policy(AllocationContext context, String... keysAndValues) {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            values.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        DeclaredSettings settings = DeclaredSettings.of(DynamicAllocationSettings.KEYS, values);
        return (DynamicAllocationPolicy) new DynamicAllocationFactory().create(settings, context);
    }

    private TestingAllocationContext context(int coresPerExecutor, int coresPerTask, int configuredExecutors) {
        return TestingAllocationContext.of(client, clock).withCores(coresPerExecutor, coresPerTask)
                .withConfiguredExecutors(configuredExecutors);
    }

    /** Ticks every 100 ms, as the host does, for {@code duration}. */
    private void runFor(DynamicAllocationPolicy policy, Duration duration) {
        for (long elapsed = 0; elapsed < duration.toMillis(); elapsed += TICK.toMillis()) {
            advanceAndTick(policy, TICK);
        }
    }

    private void advanceAndTick(DynamicAllocationPolicy policy, Duration duration) {
        clock.advance(duration);
        policy.tick();
    }
}
