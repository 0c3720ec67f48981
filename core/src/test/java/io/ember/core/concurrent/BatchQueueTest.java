package io.ember.core.concurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.core.testing.Eventually;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

final class BatchQueueTest {

    private static final Duration LONG = Duration.ofSeconds(30);

    private final EventLoop loop = EventLoop.start("batches");
    private final List<List<Integer>> batches = Collections.synchronizedList(new ArrayList<>());
    private final List<String> threads = Collections.synchronizedList(new ArrayList<>());
    private final CountDownLatch inFirstBatch = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void stop() {
        release.countDown();
        loop.close();
    }

    /** Records the batch; holds the loop in the one with item 0 until {@link #release}. */
    private void recordAndHoldTheFirst(List<Integer> batch) {
        record(batch);
        if (batch.contains(0)) {
            inFirstBatch.countDown();
            await(release);
        }
    }

    private void record(List<Integer> batch) {
        threads.add(Thread.currentThread().getName());
        batches.add(List.copyOf(batch));
    }

    @Test
    void itemsAddedWhileABatchIsHandledGoTogetherIntoTheNextOneInOrderOnTheLoop() throws Exception {
        BatchQueue<Integer> queue = BatchQueue.unbounded(loop, this::recordAndHoldTheFirst);

        assertTrue(queue.offer(0));
        assertTrue(inFirstBatch.await(30, TimeUnit.SECONDS));
        for (int i = 1; i <= 5; i++) {
            assertTrue(queue.offer(i));
        }
        assertEquals(5, queue.waiting());
        release.countDown();

        Eventually.await(LONG, () -> batches.size() == 2, "the second batch");
        assertEquals(List.of(List.of(0), List.of(1, 2, 3, 4, 5)), batches);
        assertEquals(List.of("batches", "batches"), threads);
        assertEquals(0, queue.waiting());
    }

    @Test
    void aBoundedQueueRefusesItemsWhileItIsFullAndTakesThemAgainOnceDrained() throws Exception {
        BatchQueue<Integer> queue = BatchQueue.bounded(loop, 3, this::recordAndHoldTheFirst);
        assertTrue(queue.offer(0));
        assertTrue(inFirstBatch.await(30, TimeUnit.SECONDS));

        assertTrue(queue.offer(1));
        assertTrue(queue.offer(2));
        assertTrue(queue.offer(3));
        assertFalse(queue.offer(4), "a fourth item waiting is one too many");
        release.countDown();
        Eventually.await(LONG, () -> batches.size() == 2, "the second batch");
        assertTrue(queue.offer(5));
        Eventually.await(LONG, () -> batches.size() == 3, "the third batch");

        assertEquals(List.of(List.of(0), List.of(1, 2, 3), List.of(5)), batches);
    }

    @Test
    void itemsAreRefusedOnceTheLoopIsStopped() {
        BatchQueue<Integer> queue = BatchQueue.unbounded(loop, this::record);
        loop.shutdown(LONG);

        assertFalse(queue.offer(1));
        assertEquals(0, queue.waiting(), "a refused item does not stay behind");
        assertTrue(batches.isEmpty());
    }

    @Test
    void itemsAreRefusedOnceTheLoopIsStoppedEvenWhenADrainWasQueuedBeforeIt() throws Exception {
        BatchQueue<Integer> queue = BatchQueue.unbounded(loop, this::record);
        CountDownLatch busy = new CountDownLatch(1);
        loop.execute(() -> {
            busy.countDown();
            await(release);
        });
        assertTrue(busy.await(30, TimeUnit.SECONDS));
        assertTrue(queue.offer(1), "taken: its drain waits behind the busy task");

        loop.shutdownNow(Duration.ZERO);   // drops that drain

        assertFalse(queue.offer(2), "nothing would ever take it");
        assertEquals(1, queue.waiting(), "only the item taken before the stop is left");
        assertTrue(batches.isEmpty());
    }

    @Test
    void everyItemOfConcurrentProducersArrivesOnceAndEachProducersInOrder() throws Exception {
        int producers = 4;
        int perProducer = 20_000;
        BatchQueue<Integer> queue = BatchQueue.unbounded(loop, this::record);
        List<Thread> started = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            int base = p * perProducer;
            started.add(Threads.startDaemon("producer-" + p,
                    () -> IntStream.range(base, base + perProducer).forEach(queue::offer)));
        }
        for (Thread thread : started) {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        }
        Eventually.await(LONG, () -> delivered().size() == producers * perProducer, "every item");

        List<Integer> all = delivered();
        assertEquals(producers * perProducer, all.stream().distinct().count());
        for (int p = 0; p < producers; p++) {
            int base = p * perProducer;
            List<Integer> own = all.stream().filter(i -> i >= base && i < base + perProducer).toList();
            assertEquals(IntStream.range(base, base + perProducer).boxed().toList(), own);
        }
        assertTrue(threads.stream().allMatch("batches"::equals));
    }

    private List<Integer> delivered() {
        synchronized (batches) {
            return batches.stream().flatMap(List::stream).toList();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
