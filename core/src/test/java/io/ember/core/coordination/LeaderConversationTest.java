package io.ember.core.coordination;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.core.retry.Backoff;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The conversation's mechanics against a fake leader, on a loop the test turns by hand. */
final class LeaderConversationTest {

    private static final Backoff BACKOFF = Backoff.exponential(Duration.ofMillis(50), Duration.ofSeconds(1));
    private static final LeaderInfo FIRST = new LeaderInfo("master-a", "127.0.0.1:7077", 4);
    private static final LeaderInfo SECOND = new LeaderInfo("master-b", "127.0.0.1:7078", 5);

    private final ManualLoop loop = new ManualLoop();
    private final FakeLeaderParty party = new FakeLeaderParty();
    private final LeaderConversation conversation = new LeaderConversation(loop, BACKOFF, party);

    @Test
    void attemptsNothingUntilThereIsALeader() {
        conversation.attemptSoon(() -> party.owed.add("report"));
        loop.runQueued();

        assertEquals(List.of(), party.attempts);
        conversation.leaderChanged(FIRST);
        loop.runQueued();

        assertEquals(List.of("master-a: report"), party.attempts);
    }

    @Test
    void retriesAFailedAttemptAfterTheBackoffDoublingEachTime() {
        party.failNext = 3;
        conversation.leaderChanged(FIRST);
        loop.runQueued();

        assertEquals(List.of(Duration.ofMillis(50)), loop.delays());
        loop.runScheduled();
        assertEquals(List.of(Duration.ofMillis(100)), loop.delays());
        loop.runScheduled();
        assertEquals(List.of(Duration.ofMillis(200)), loop.delays());
        loop.runScheduled();

        assertEquals(4, party.attempts.size());
        assertEquals(List.of(1, 2, 3), party.failures);
        assertEquals(List.of(), loop.delays());
    }

    @Test
    void aNewLeaderCancelsTheWaitingRetryAndStartsAFreshBackoff() {
        party.failNext = 2;
        conversation.leaderChanged(FIRST);
        loop.runQueued();
        loop.runScheduled();
        assertEquals(List.of(Duration.ofMillis(100)), loop.delays());

        conversation.leaderChanged(SECOND);
        loop.runQueued();

        assertEquals(List.of("new master-b after master-a"), party.changes.subList(1, 2));
        assertEquals("master-b: ", party.attempts.get(party.attempts.size() - 1));
        assertEquals(1, loop.cancelled);
        assertEquals(List.of(), loop.delays());
    }

    @Test
    void somethingQueuedWhileARetryWaitsGoesWithThatRetry() {
        party.failNext = 1;
        conversation.leaderChanged(FIRST);
        loop.runQueued();

        conversation.attemptSoon(() -> party.owed.add("report"));
        loop.runQueued();
        assertEquals(1, party.attempts.size(), "no attempt before the retry");

        loop.runScheduled();
        assertEquals("master-a: report", party.attempts.get(1));
    }

    @Test
    void attemptNowDoesNotWaitForTheRetry() {
        party.failNext = 1;
        conversation.leaderChanged(FIRST);
        loop.runQueued();

        conversation.attemptNow(() -> party.owed.add("register"));
        loop.runQueued();

        assertEquals(List.of("master-a: ", "master-a: register"), party.attempts);
        assertEquals(1, loop.cancelled);
    }

    @Test
    void closeDropsWhatIsQueuedAndAttemptsNothingMore() {
        conversation.leaderChanged(FIRST);
        conversation.close();
        conversation.attemptSoon(() -> party.owed.add("report"));

        assertTrue(loop.stopped);
        assertEquals(List.of(), party.attempts);
        assertTrue(conversation.isClosed());
    }

    @Test
    void aPauseEndsAtOnceWhenTheLeaderChanges() throws Exception {
        long seen = conversation.leaderChanges();
        CompletableFuture<Boolean> paused = CompletableFuture.supplyAsync(
                () -> conversation.pause(Duration.ofMinutes(5), seen, () -> false));

        conversation.leaderChanged(FIRST);

        assertTrue(paused.get(30, TimeUnit.SECONDS));
        assertEquals(seen + 1, conversation.leaderChanges());
    }

    @Test
    void aPauseAfterALeaderChangeItMissedDoesNotWait() {
        long seen = conversation.leaderChanges();
        conversation.leaderChanged(FIRST);

        assertTrue(conversation.pause(Duration.ofMinutes(5), seen, () -> false));
    }

    @Test
    void aPauseEndsForGoodWhenStoppedOrClosed() throws Exception {
        assertFalse(conversation.pause(Duration.ofMinutes(5), conversation.leaderChanges(), () -> true));

        CompletableFuture<Boolean> paused = CompletableFuture.supplyAsync(
                () -> conversation.pause(Duration.ofMinutes(5), conversation.leaderChanges(), () -> false));
        conversation.close();
        assertFalse(paused.get(30, TimeUnit.SECONDS));
    }

    /** A leader that fails the next attempts it is told to, and what the conversation did. */
    private static final class FakeLeaderParty implements LeaderConversation.Party {

        final List<String> owed = new ArrayList<>();
        final List<String> attempts = new ArrayList<>();
        final List<String> changes = new ArrayList<>();
        final List<Integer> failures = new ArrayList<>();
        int failNext;

        @Override
        public void leaderChanged(LeaderInfo previous, LeaderInfo next) {
            changes.add("new " + next.masterId() + (previous == null ? "" : " after " + previous.masterId()));
        }

        @Override
        public void converse(LeaderInfo leader) {
            attempts.add(leader.masterId() + ": " + String.join(",", owed));
            if (failNext > 0) {
                failNext--;
                throw new IllegalStateException("unavailable");
            }
            owed.clear();
        }

        @Override
        public void failed(LeaderInfo leader, RuntimeException failure, int failures, Duration retryIn) {
            this.failures.add(failures);
        }
    }

    /** Runs queued tasks and scheduled retries only when the test says so. */
    private static final class ManualLoop implements LeaderConversation.Loop {

        private final Deque<Runnable> queued = new ArrayDeque<>();
        private final List<Scheduled> scheduled = new ArrayList<>();
        int cancelled;
        boolean stopped;

        private record Scheduled(Runnable task, Duration delay, boolean[] cancelled) {
        }

        @Override
        public void execute(Runnable task) {
            if (!stopped) {
                queued.add(task);
            }
        }

        @Override
        public Optional<Runnable> schedule(Runnable task, Duration delay) {
            if (stopped) {
                return Optional.empty();
            }
            Scheduled retry = new Scheduled(task, delay, new boolean[1]);
            scheduled.add(retry);
            return Optional.of(() -> {
                retry.cancelled[0] = true;
                scheduled.remove(retry);
                cancelled++;
            });
        }

        @Override
        public void stop() {
            stopped = true;
            queued.clear();
            scheduled.clear();
        }

        void runQueued() {
            while (!queued.isEmpty()) {
                queued.poll().run();
            }
        }

        /** Runs the one scheduled task, as if its delay had passed. */
        void runScheduled() {
            assertEquals(1, scheduled.size(), "one retry waits");
            scheduled.remove(0).task.run();
        }

        List<Duration> delays() {
            return scheduled.stream().map(Scheduled::delay).toList();
        }
    }
}
