package io.ember.core.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.core.testing.Eventually;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The budget's rules, one at a time, on a budget of 1,000 bytes of which 400 are protected storage. */
@Timeout(60)
final class ExecutorMemoryTest {

    private final ExecutorMemory memory = new ExecutorMemory(1_000, 400);

    @Test
    void oneTaskMayHoldTheWholeBudgetAndNoMore() {
        assertEquals(600, memory.acquireExecution(1, 600));
        assertEquals(400, memory.acquireExecution(1, 600), "what is left");
        assertEquals(1_000, memory.executionUsed());
        memory.releaseExecution(1, 300);
        assertEquals(700, memory.executionHeldBy(1));
        assertEquals(700, memory.releaseAllExecution(1), "what it still held");
        assertEquals(0, memory.executionUsed());
        assertEquals(0, memory.tasks(), "an ended task no longer counts");
    }

    @Test
    void withTwoTasksEachIsGrantedAtMostHalf() {
        memory.acquireExecution(2, 0);   // task 2 asks for nothing yet, but counts
        assertEquals(500, memory.acquireExecution(1, 800));
        assertEquals(500, memory.acquireExecution(2, 800));
        assertEquals(0, memory.acquireExecution(1, 1), "at its 1/N share: nothing more, and it does not wait");
    }

    @Test
    void aTaskBelowItsFairMinimumWaitsUntilAnotherReleasesAndIsNeverGrantedACrumb() throws Exception {
        assertEquals(1_000, memory.acquireExecution(1, 1_000));
        CompletableFuture<Long> second = new CompletableFuture<>();
        Thread waiter = new Thread(() -> second.complete(memory.acquireExecution(2, 300)));
        waiter.start();
        Eventually.await("the second task waits: nothing is free and it holds less than 1/(2N) = 250",
                () -> waiter.getState() == Thread.State.TIMED_WAITING && memory.tasks() == 2);
        assertFalse(second.isDone());

        memory.releaseExecution(1, 100);   // 100 free: still below its minimum of 250, it keeps waiting
        Eventually.await("woken and waiting again", () -> waiter.getState() == Thread.State.TIMED_WAITING);
        assertFalse(second.isDone(), "100 bytes would be a crumb below 1/(2N)");

        memory.releaseExecution(1, 400);   // 500 free
        assertEquals(300, second.get(10, TimeUnit.SECONDS));
        assertEquals(1_000 - 500 + 300, memory.executionUsed());
    }

    /**
     * Eight tasks on one executor, half of them greedy (asking for the whole budget every time), each
     * acquiring and releasing 300 times: none is starved (every acquisition gets at least 1/(2N) of
     * the budget, N = 8), and by the budget's own accounting the total held never exceeds it.
     */
    @Test
    void eightConcurrentTasksAreNeverStarvedAndNeverExceedTheBudget() throws Exception {
        int tasks = 8;
        long fairMinimum = 1_000 / (2 * tasks);
        List<CompletableFuture<Long>> smallestGrants = new ArrayList<>();
        CyclicBarrier start = new CyclicBarrier(tasks);
        for (int t = 0; t < tasks; t++) {
            long taskId = t + 1;
            long asks = t % 2 == 0 ? 1_000 : 125;
            CompletableFuture<Long> smallest = new CompletableFuture<>();
            smallestGrants.add(smallest);
            Thread task = new Thread(() -> {
                try {
                    memory.acquireExecution(taskId, 0);   // every task counts from the start
                    start.await();
                    long least = Long.MAX_VALUE;
                    for (int round = 0; round < 300; round++) {
                        least = Math.min(least, memory.acquireExecution(taskId, asks));
                        Thread.onSpinWait();
                        memory.releaseExecution(taskId, memory.executionHeldBy(taskId));
                    }
                    memory.releaseAllExecution(taskId);
                    smallest.complete(least);
                } catch (Exception | AssertionError e) {
                    smallest.completeExceptionally(e);
                }
            });
            task.start();
        }

        for (int t = 0; t < tasks; t++) {
            long least = smallestGrants.get(t).get(30, TimeUnit.SECONDS);
            assertTrue(least >= fairMinimum, "task " + (t + 1) + " was granted as little as " + least
                    + " bytes, below 1/(2N) = " + fairMinimum);
        }
        assertTrue(memory.peakUsed() <= 1_000, "never more than the budget held at once: " + memory);
        assertEquals(0, memory.executionUsed());
    }

    @Test
    void aWaitInterruptedByAKillReturnsNothingAndKeepsTheInterrupt() throws Exception {
        memory.acquireExecution(1, 1_000);
        CompletableFuture<String> outcome = new CompletableFuture<>();
        Thread waiter = new Thread(() -> {
            long granted = memory.acquireExecution(2, 300);
            outcome.complete(granted + " granted, interrupted " + Thread.currentThread().isInterrupted());
        });
        waiter.start();
        Eventually.await("waiting", () -> waiter.getState() == Thread.State.TIMED_WAITING);
        waiter.interrupt();
        assertEquals("0 granted, interrupted true", outcome.get(10, TimeUnit.SECONDS));
        assertEquals(0, memory.executionHeldBy(2));
    }

    @Test
    void storageBorrowsWhatExecutionDoesNotHoldButNeverTakesWhatItHolds() {
        assertEquals(700, memory.acquireExecution(1, 700));
        assertFalse(memory.acquireStorage(400), "only 300 are free");
        assertTrue(memory.acquireStorage(300));
        assertEquals(300, memory.storageLimit(), "the budget less execution's 700");
        memory.releaseExecution(1, 700);
        assertTrue(memory.acquireStorage(700), "storage borrows what execution released: all 1,000");
        assertEquals(1_000, memory.storageUsed());
    }

    @Test
    void executionEvictsBorrowedStorageDownToItsProtectedPartAndNoFurther() {
        List<Long> evictions = new ArrayList<>();
        memory.evictStorageWith(bytes -> {   // a block store that drops exactly what it is asked for
            evictions.add(bytes);
            memory.releaseStorage(bytes);
            return bytes;
        });
        assertTrue(memory.acquireStorage(900));

        assertEquals(500, memory.acquireExecution(1, 500), "100 free, 400 evicted");
        assertEquals(List.of(400L), evictions);
        assertEquals(500, memory.storageUsed());

        assertEquals(100, memory.acquireExecution(1, 500), "100 more of borrowed storage, then the protected 400 stay");
        assertEquals(List.of(400L, 100L), evictions);
        assertEquals(400, memory.storageUsed());
        assertEquals(1_000, memory.peakUsed());
    }

    @Test
    void protectedStorageInUseShrinksWhatTasksShare() {
        assertTrue(memory.acquireStorage(400));
        memory.acquireExecution(2, 0);
        assertEquals(300, memory.acquireExecution(1, 600), "half of the 600 execution may use");
    }

    @Test
    void releasingMoreThanHeldIsRefused() {
        memory.acquireExecution(1, 10);
        assertThrows(IllegalArgumentException.class, () -> memory.releaseExecution(1, 11));
        assertThrows(IllegalArgumentException.class, () -> memory.releaseExecution(9, 1));
        assertThrows(IllegalArgumentException.class, () -> memory.releaseStorage(1));
        assertThrows(IllegalArgumentException.class, () -> new ExecutorMemory(10, 11));
    }

    @Test
    void theBudgetIsTheHeapLessTheReserveTimesTheFraction() {
        MemorySettings settings = new MemorySettings(0.6, 0.5);
        assertEquals(2277, settings.budget(4096L << 20) >> 20, "(4,096 - 300 MiB) x 0.6");
        assertEquals((long) ((256L << 20) * 0.75 * 0.6), settings.budget(256L << 20), "a quarter reserved on 256m");
        ExecutorMemory onAGigabyte = ExecutorMemory.of(settings, 1L << 30);
        assertEquals(onAGigabyte.total() / 2, onAGigabyte.storageProtected(), 1);
        assertThrows(IllegalArgumentException.class, () -> new MemorySettings(0, 0.5));
        assertThrows(IllegalArgumentException.class, () -> new MemorySettings(0.6, 1.5));
    }
}
