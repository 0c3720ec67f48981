package io.ember.core.concurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.core.testing.Eventually;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

final class EventLoopTest {

    private static final Duration LONG = Duration.ofSeconds(30);

    private final List<EventLoop> loops = new ArrayList<>();

    @AfterEach
    void stopLoops() {
        loops.forEach(EventLoop::close);
    }

    private EventLoop loop(String name) {
        EventLoop loop = EventLoop.start(name);
        loops.add(loop);
        return loop;
    }

    @Test
    void runsTasksInSubmissionOrderOnItsNamedThread() {
        EventLoop loop = loop("test-loop");
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < 100; i++) {
            int n = i;
            loop.execute(() -> seen.add(Thread.currentThread().getName() + ":" + n));
        }
        loop.ask("the end", () -> null, LONG);
        assertEquals(100, seen.size());
        for (int i = 0; i < 100; i++) {
            assertEquals("test-loop:" + i, seen.get(i));
        }
    }

    @Test
    void aTaskThatThrowsDoesNotStopTheOnesAfterIt() {
        EventLoop loop = loop("throwing");
        AtomicInteger ran = new AtomicInteger();
        loop.execute(() -> {
            throw new IllegalStateException("a bug in a task");
        });
        loop.execute(ran::incrementAndGet);
        assertEquals(1, loop.ask("the count", ran::get, LONG));
    }

    @Test
    void askAnswersWithTheQuestionsValueAfterTheTasksQueuedBefore() {
        EventLoop loop = loop("asked");
        List<Integer> state = new ArrayList<>(); // confined to the loop
        for (int i = 0; i < 10; i++) {
            int n = i;
            loop.execute(() -> state.add(n));
        }
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), loop.ask("the state", () -> List.copyOf(state), LONG));
    }

    @Test
    void askThrowsWhatTheQuestionThrew() {
        EventLoop loop = loop("failing-question");
        IllegalArgumentException thrown = new IllegalArgumentException("refused");
        IllegalArgumentException caught = assertThrows(IllegalArgumentException.class,
                () -> loop.ask("a refusal", () -> {
                    throw thrown;
                }, LONG));
        assertSame(thrown, caught);
        assertThrows(AssertionError.class, () -> loop.ask("an error", () -> {
            throw new AssertionError("broken");
        }, LONG));
        assertEquals("still running", loop.ask("a later question", () -> "still running", LONG));
    }

    @Test
    void askGivesUpAfterItsTimeoutAndSaysWhatItAsked() throws Exception {
        EventLoop loop = loop("busy-loop");
        CountDownLatch release = new CountDownLatch(1);
        loop.execute(() -> awaitQuietly(release));
        IllegalStateException late = assertThrows(IllegalStateException.class,
                () -> loop.ask("its pools", () -> "never in time", Duration.ofMillis(50)));
        assertEquals("busy-loop did not answer its pools within 50 ms", late.getMessage());
        release.countDown();
        assertEquals("answered", loop.ask("the next question", () -> "answered", LONG));
    }

    @Test
    void askInterruptedWhileWaitingThrowsAndKeepsTheInterruptFlag() throws Exception {
        EventLoop loop = loop("slow-loop");
        CountDownLatch release = new CountDownLatch(1);
        loop.execute(() -> awaitQuietly(release));
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicReference<Boolean> flagAfter = new AtomicReference<>();
        CountDownLatch asking = new CountDownLatch(1);
        Thread asker = Threads.startDaemon("asker", () -> {
            asking.countDown();
            try {
                loop.ask("its state", () -> "too late", LONG);
            } catch (RuntimeException e) {
                thrown.set(e);
            }
            flagAfter.set(Thread.currentThread().isInterrupted());
        });
        asking.await();
        Eventually.await(() -> asker.getState() == Thread.State.TIMED_WAITING, () -> "the asker to wait");
        asker.interrupt();
        asker.join(TimeUnit.SECONDS.toMillis(30));
        release.countDown();
        assertTrue(thrown.get() instanceof IllegalStateException, String.valueOf(thrown.get()));
        assertEquals("interrupted while asking slow-loop for its state", thrown.get().getMessage());
        assertTrue(flagAfter.get(), "the interrupt flag is set again");
    }

    @Test
    void askOnAStoppedLoopFailsAtOnce() {
        EventLoop loop = loop("stopped-loop");
        loop.shutdown(LONG);
        IllegalStateException stopped = assertThrows(IllegalStateException.class,
                () -> loop.ask("anything", () -> "no", LONG));
        assertEquals("stopped-loop is stopped: cannot ask it for anything", stopped.getMessage());
        assertFalse(loop.offer(() -> { }));
    }

    @Test
    void aQuestionDroppedByShutdownNowFailsItsAskerInsteadOfLettingItWait() throws Exception {
        EventLoop loop = loop("dropping-loop");
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        loop.execute(() -> {
            running.countDown();
            awaitQuietly(release);
        });
        running.await();
        CompletableFuture<Throwable> thrown = new CompletableFuture<>();
        Thread asker = Threads.startDaemon("asker", () -> {
            try {
                loop.ask("its state", () -> "never", LONG);
                thrown.complete(null);
            } catch (RuntimeException e) {
                thrown.complete(e);
            }
        });
        Eventually.await(() -> asker.getState() == Thread.State.TIMED_WAITING, () -> "the asker to wait");
        loop.shutdownNow(Duration.ZERO);
        Throwable failure = thrown.get(30, TimeUnit.SECONDS);
        assertEquals("dropping-loop stopped before it answered its state", failure.getMessage());
    }

    @Test
    void askOnTheLoopItselfRunsAtOnce() {
        EventLoop loop = loop("reentrant");
        assertEquals("inner", loop.ask("outer", () -> loop.ask("inner", () -> "inner", LONG), LONG));
    }

    @Test
    void assertInLoopNamesTheLoopAndTheCallersThread() {
        EventLoop loop = loop("owner");
        IllegalStateException outside = assertThrows(IllegalStateException.class, loop::assertInLoop);
        assertEquals("must run on owner, not on " + Thread.currentThread().getName(), outside.getMessage());
        assertTrue(loop.ask("whether it is inside", () -> {
            loop.assertInLoop();
            return loop.inLoop();
        }, LONG));
    }

    @Test
    void afterBatchRunsOnceTheReadyTasksAreDone() throws Exception {
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        EventLoop loop = EventLoop.start("batching", () -> seen.add("batch"));
        loops.add(loop);
        CountDownLatch release = new CountDownLatch(1);
        loop.execute(() -> awaitQuietly(release));
        // queued while the loop is busy: one batch
        loop.execute(() -> seen.add("a"));
        loop.execute(() -> seen.add("b"));
        loop.execute(() -> seen.add("c"));
        release.countDown();
        Eventually.await(() -> seen.size() >= 4, () -> "the batch to run");
        loop.ask("the end", () -> null, LONG);
        // the blocking task's batch ended before a, b, c were queued or after: a, b and c are one batch either way
        int a = seen.indexOf("a");
        assertEquals(List.of("a", "b", "c", "batch"), seen.subList(a, a + 4));
    }

    @Test
    void afterBatchAlsoRunsWhenAQuestionEndsTheBatch() throws Exception {
        AtomicInteger batches = new AtomicInteger();
        EventLoop loop = EventLoop.start("asked-last", batches::incrementAndGet);
        loops.add(loop);
        CountDownLatch release = new CountDownLatch(1);
        loop.execute(() -> awaitQuietly(release));
        loop.execute(() -> { });            // an event (a job submitted, say), and a question right behind it
        CompletableFuture<String> answered = new CompletableFuture<>();
        Thread asker = Threads.startDaemon("asker", () -> answered.complete(loop.ask("anything", () -> "yes", LONG)));
        Eventually.await(() -> asker.getState() == Thread.State.TIMED_WAITING, () -> "the question to be queued");
        assertEquals(0, batches.get());

        release.countDown();

        assertEquals("yes", answered.get(30, TimeUnit.SECONDS));
        Eventually.await(() -> batches.get() == 1, () -> "one batch, ended by the question: " + batches.get());
    }

    @Test
    void scheduledTasksRunOnTheLoopAfterTheirDelayAndStopWithIt() throws Exception {
        EventLoop loop = loop("timed");
        CompletableFuture<String> ran = new CompletableFuture<>();
        loop.schedule(() -> ran.complete(Thread.currentThread().getName()), Duration.ofMillis(20));
        assertEquals("timed", ran.get(30, TimeUnit.SECONDS));
        AtomicInteger ticks = new AtomicInteger();
        loop.scheduleWithFixedDelay(ticks::incrementAndGet, Duration.ZERO, Duration.ofMillis(1));
        Eventually.await(() -> ticks.get() >= 3, () -> "three ticks");
        loop.shutdownNow(LONG);
        int after = ticks.get();
        assertTrue(loop.schedule(() -> { }, Duration.ZERO).isEmpty(), "a stopped loop takes no delayed task");
        assertEquals(after, ticks.get());
    }

    @Test
    void shutdownRunsWhatIsQueuedButShutdownNowDropsIt() throws Exception {
        EventLoop graceful = loop("graceful");
        AtomicInteger ran = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        graceful.execute(() -> awaitQuietly(release));
        graceful.execute(ran::incrementAndGet);
        Threads.startDaemon("releaser", release::countDown);
        assertTrue(graceful.shutdown(LONG));
        assertEquals(1, ran.get());

        EventLoop abrupt = loop("abrupt");
        CountDownLatch running = new CountDownLatch(1);
        abrupt.execute(() -> {
            running.countDown();
            awaitQuietly(new CountDownLatch(1)); // until interrupted
        });
        abrupt.execute(ran::incrementAndGet);
        running.await();
        assertTrue(abrupt.shutdownNow(LONG), "the running task was interrupted");
        assertEquals(1, ran.get());
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
