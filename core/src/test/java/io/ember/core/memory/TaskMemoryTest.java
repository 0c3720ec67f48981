package io.ember.core.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.core.testing.Eventually;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A task's consumers on one executor budget: who spills when, and many tasks sharing one budget. */
@Timeout(120)
final class TaskMemoryTest {

    /** A consumer that holds what it is granted and, asked to spill, gives it all back (counting it). */
    private static final class Buffer extends MemoryConsumer {
        final List<Long> spillRequests = new ArrayList<>();

        Buffer(TaskMemory memory) {
            super(memory);
        }

        long grow(long bytes) {
            return acquire(bytes);
        }

        @Override
        public long spill(long bytes) {
            spillRequests.add(bytes);
            long held = used();
            releaseAll();
            return held;
        }
    }

    @Test
    void whenTheExecutorGrantsTooLittleTheTasksLargestOtherConsumerSpillsFirst() {
        ExecutorMemory executor = new ExecutorMemory(1_000, 0);
        TaskMemory task = new TaskMemory(executor, 1);
        Buffer small = new Buffer(task);
        Buffer large = new Buffer(task);
        Buffer requester = new Buffer(task);
        assertEquals(300, small.grow(300));
        assertEquals(600, large.grow(600));

        assertEquals(500, requester.grow(500), "100 free, then the large one's 600 spilled");

        assertEquals(List.of(400L), large.spillRequests);
        assertEquals(List.of(), small.spillRequests, "the large one freed enough");
        assertEquals(0, large.used());
        assertEquals(800, task.held());
        assertEquals(1, task.spills());
        assertEquals(600, task.spilledBytes());
    }

    @Test
    void theTasksEndReleasesWhatItsConsumersStillHoldAndSaysHowMuch() {
        ExecutorMemory executor = new ExecutorMemory(1_000, 0);
        TaskMemory task = new TaskMemory(executor, 7);
        Buffer buffer = new Buffer(task);
        buffer.grow(250);

        assertEquals(250, task.end());
        assertEquals(0, buffer.used());
        assertEquals(0, executor.executionUsed());
        assertEquals(0, executor.tasks());
        assertEquals(0, task.end(), "idempotent");
        assertThrows(IllegalStateException.class, () -> buffer.grow(1));
    }

    /**
     * Eight tasks on one budget, each growing a buffer in steps and spilling it whenever it is granted
     * less than it asked for; four start first and fill the budget, four more join while it is full.
     * Every spill happens at a size of at least 1/(2N) of the budget (a task that joins a full budget
     * waits for its share instead of starving on crumbs), and the budget's own accounting never shows
     * more than the budget.
     */
    @Test
    void eightConcurrentTasksShareOneBudgetNoneStarvesAndTheTotalStaysWithinIt() throws Exception {
        int tasks = 8;
        long budget = 8L << 20;
        long step = 64L << 10;
        int spillsPerTask = 40;
        ExecutorMemory executor = new ExecutorMemory(budget, 0);
        Map<Long, List<Long>> spillSizes = new ConcurrentHashMap<>();
        AtomicInteger earlySpills = new AtomicInteger();
        CountDownLatch lateJoined = new CountDownLatch(tasks / 2);
        ExecutorService threads = Executors.newFixedThreadPool(tasks);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (long taskId = 0; taskId < tasks; taskId++) {
                if (taskId == tasks / 2) {
                    Eventually.await("the first four filled the budget (each spilled at its share)",
                            () -> earlySpills.get() >= tasks / 2);
                }
                long id = taskId;
                boolean early = taskId < tasks / 2;
                running.add(threads.submit(() -> {
                    try (TaskMemory task = new TaskMemory(executor, id)) {
                        Buffer buffer = new Buffer(task);
                        buffer.grow(0);   // counts among the N from here
                        if (!early) {
                            lateJoined.countDown();
                        }
                        List<Long> sizes = new ArrayList<>();
                        // the first four go on until the last four have joined
                        while (sizes.size() < spillsPerTask || (early && lateJoined.getCount() > 0)) {
                            if (buffer.grow(step) < step) {
                                sizes.add(buffer.used());
                                buffer.releaseAll();
                                if (early) {
                                    earlySpills.incrementAndGet();
                                }
                            }
                        }
                        spillSizes.put(id, sizes);
                    }
                    return null;
                }));
            }
            for (Future<?> task : running) {
                task.get(100, TimeUnit.SECONDS);
            }
        } finally {
            threads.shutdownNow();
        }

        assertEquals(tasks, spillSizes.size());
        long fairMinimum = budget / (2L * tasks);
        for (Map.Entry<Long, List<Long>> task : spillSizes.entrySet()) {
            assertTrue(task.getValue().size() >= spillsPerTask, task.toString());
            for (long size : task.getValue()) {
                assertTrue(size >= fairMinimum, "task " + task.getKey() + " spilled at " + size
                        + " bytes, below 1/(2N) = " + fairMinimum + ": " + task.getValue());
            }
        }
        assertTrue(executor.peakUsed() <= budget, "peak " + executor.peakUsed() + " of " + budget);
        assertEquals(0, executor.executionUsed());
        assertEquals(0, executor.tasks());
    }
}
