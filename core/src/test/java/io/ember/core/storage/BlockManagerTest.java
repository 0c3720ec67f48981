package io.ember.core.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.core.memory.ExecutorMemory;
import io.ember.core.task.BlockId;
import io.ember.core.task.BlockStore;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

final class BlockManagerTest {

    /** What the listener heard, as "+dataset-1/partition-0" (stored) or "-dataset-1/partition-0" (dropped). */
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final List<Long> sizes = new CopyOnWriteArrayList<>();
    private final BlockListener listener = change -> {
        events.add((change.stored() ? "+" : "-") + change.id());
        sizes.add(change.sizeBytes());
    };

    /** Records 0..count-1 (boxed), counting how many were pulled. */
    private static final class Counting implements Supplier<Iterator<Integer>> {
        final AtomicInteger pulled = new AtomicInteger();
        final AtomicInteger computed = new AtomicInteger();
        private final int count;

        Counting(int count) {
            this.count = count;
        }

        @Override
        public Iterator<Integer> get() {
            computed.incrementAndGet();
            return IntStream.range(0, count).peek(i -> pulled.incrementAndGet()).boxed().iterator();
        }
    }

    private static List<Integer> drain(Iterator<Integer> records) {
        List<Integer> all = new ArrayList<>();
        records.forEachRemaining(all::add);
        return all;
    }

    private static List<Integer> range(int count) {
        return IntStream.range(0, count).boxed().toList();
    }

    private static BlockId block(int dataset, int partition) {
        return new BlockId(dataset, partition);
    }

    /** The estimated size of a block of {@code count} boxed records. */
    private static long sizeOf(int count) {
        List<Long> sizes = new ArrayList<>();
        BlockManager probe = new BlockManager(1L << 30, change -> sizes.add(change.sizeBytes()));
        drain(probe.getOrCompute(block(0, 0), new Counting(count)));
        return sizes.get(0);
    }

    @Test
    void computesOnAMissAndReadsFromMemoryOnAHit() {
        BlockManager blocks = new BlockManager(1L << 20, listener);
        Counting compute = new Counting(100);
        CacheCounts first = new CacheCounts();
        CacheCounts second = new CacheCounts();

        assertEquals(range(100), drain(blocks.getOrCompute(block(1, 0), compute, first)));
        assertEquals(range(100), drain(blocks.getOrCompute(block(1, 0), compute, second)));
        assertEquals(range(100), drain(blocks.forTask(second).getOrCompute(block(1, 0), compute)));

        assertEquals(1, compute.computed.get());
        assertEquals(0, first.hits());
        assertEquals(1, first.misses());
        assertEquals(2, second.hits());
        assertEquals(0, second.misses());
        assertEquals(List.of("+dataset-1/partition-0"), events);
        assertEquals(1, blocks.blockCount());
        assertEquals(sizes.get(0), blocks.usedBytes());
    }

    @Test
    void estimatesABlockFromItsRecords() {
        long small = sizeOf(1_000);
        long large = sizeOf(100_000);

        // A boxed Integer (16) and a reference (4) each; the small ones (-128..127) are shared but counted.
        assertTrue(Math.abs(large - 100_000 * 20) < 100_000 * 20 / 20, "" + large);
        assertTrue(Math.abs(large / 100 - small) < small / 10, small + " vs " + large);
    }

    @Test
    void evictsTheLeastRecentlyUsedBlocksOfOtherDatasets() {
        long size = sizeOf(1_000);
        BlockManager blocks = new BlockManager(3 * size + size / 2, listener);
        drain(blocks.getOrCompute(block(1, 0), new Counting(1_000)));
        drain(blocks.getOrCompute(block(2, 0), new Counting(1_000)));
        drain(blocks.getOrCompute(block(3, 0), new Counting(1_000)));
        drain(blocks.getOrCompute(block(1, 0), new Counting(1_000)));   // a hit: now the most recently used

        drain(blocks.getOrCompute(block(4, 0), new Counting(1_000)));

        assertEquals(List.of("+dataset-1/partition-0", "+dataset-2/partition-0", "+dataset-3/partition-0",
                "-dataset-2/partition-0", "+dataset-4/partition-0"), events);
        assertTrue(blocks.contains(block(1, 0)));
        assertFalse(blocks.contains(block(2, 0)));
        assertEquals(3 * size, blocks.usedBytes());
    }

    @Test
    void neverEvictsBlocksOfTheSameDatasetToMakeRoomForIt() {
        long size = sizeOf(1_000);
        BlockManager blocks = new BlockManager(3 * size + size / 2, listener);
        for (int partition = 0; partition < 3; partition++) {
            drain(blocks.getOrCompute(block(1, partition), new Counting(1_000)));
        }
        Counting fourth = new Counting(1_000);

        assertEquals(range(1_000), drain(blocks.getOrCompute(block(1, 3), fourth)));

        assertEquals(3, blocks.blockCount());
        assertFalse(blocks.contains(block(1, 3)));
        assertEquals(3, events.size(), events.toString());
        // Another dataset may take the room of the least recently used one.
        drain(blocks.getOrCompute(block(2, 0), new Counting(1_000)));
        assertEquals("-dataset-1/partition-0", events.get(3));
        assertTrue(blocks.contains(block(2, 0)));
    }

    @Test
    void returnsABlockLargerThanTheBoundWholeWithoutKeepingIt() {
        long bound = sizeOf(1_000);
        BlockManager blocks = new BlockManager(bound, listener);
        Counting compute = new Counting(100_000);
        CacheCounts counts = new CacheCounts();

        Iterator<Integer> records = blocks.getOrCompute(block(1, 0), compute, counts);

        assertTrue(compute.pulled.get() < 1_100, "materializing stopped near the bound: " + compute.pulled.get());
        assertEquals(range(100_000), drain(records));
        assertEquals(100_000, compute.pulled.get());
        assertEquals(0, blocks.blockCount());
        assertEquals(0, blocks.usedBytes());
        assertEquals(List.of(), events);
        assertEquals(1, counts.misses());
    }

    @Test
    void keepsNothingWithABoundOfZero() {
        BlockManager blocks = new BlockManager(0, listener);
        Counting compute = new Counting(10);

        assertEquals(range(10), drain(blocks.getOrCompute(block(1, 0), compute)));
        assertEquals(range(10), drain(blocks.getOrCompute(block(1, 0), compute)));

        assertEquals(2, compute.computed.get());
        assertEquals(0, blocks.blockCount());
        assertEquals(List.of(), events);
    }

    @Test
    void removesEveryBlockOfADataset() {
        BlockManager blocks = new BlockManager(1L << 20, listener);
        drain(blocks.getOrCompute(block(1, 0), new Counting(10)));
        drain(blocks.getOrCompute(block(2, 0), new Counting(10)));
        drain(blocks.getOrCompute(block(1, 1), new Counting(10)));
        long dataset2 = sizes.get(1);

        assertEquals(2, blocks.remove(1));

        assertEquals(List.of("+dataset-1/partition-0", "+dataset-2/partition-0", "+dataset-1/partition-1",
                "-dataset-1/partition-0", "-dataset-1/partition-1"), events);
        assertEquals(1, blocks.blockCount());
        assertEquals(dataset2, blocks.usedBytes());
        assertEquals(0, blocks.remove(1));
        Counting again = new Counting(10);
        drain(blocks.getOrCompute(block(1, 0), again));
        assertEquals(1, again.computed.get(), "computed again after the removal");
    }

    @Test
    void aCachedBlockCannotBeChangedThroughItsIterator() {
        BlockManager blocks = new BlockManager(1L << 20, listener);
        drain(blocks.getOrCompute(block(1, 0), new Counting(10)));

        Iterator<Integer> hit = blocks.getOrCompute(block(1, 0), new Counting(10));
        hit.next();

        assertThrows(UnsupportedOperationException.class, hit::remove);
        assertEquals(range(10), drain(blocks.getOrCompute(block(1, 0), new Counting(10))));
    }

    @Test
    void aFailingComputationKeepsNothing() {
        BlockManager blocks = new BlockManager(1L << 20, listener);
        Supplier<Iterator<Integer>> failing = () -> IntStream.range(0, 10).boxed().map(i -> {
            if (i == 5) {
                throw new IllegalStateException("record 5 is bad");
            }
            return i;
        }).iterator();

        assertThrows(IllegalStateException.class, () -> blocks.getOrCompute(block(1, 0), failing));

        assertEquals(0, blocks.blockCount());
        assertEquals(List.of(), events);
    }

    @Test
    void givesEveryThreadTheRightRecordsWhileBlocksComeAndGo() throws Exception {
        long size = sizeOf(200);
        // Room for about five blocks, while sixteen threads read forty: hits, misses and evictions mix.
        BlockManager blocks = new BlockManager(5 * size, change -> { });
        int threads = 16;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Integer>> checked = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int seed = t;
                checked.add(pool.submit(() -> {
                    start.await();
                    int reads = 0;
                    CacheCounts counts = new CacheCounts();
                    BlockStore store = blocks.forTask(counts);
                    for (int i = 0; i < 300; i++) {
                        int dataset = (seed + i) % 8;
                        int partition = (seed * 7 + i) % 5;
                        int first = dataset * 1_000 + partition * 200;
                        Iterator<Integer> records = store.getOrCompute(block(dataset, partition),
                                () -> IntStream.range(first, first + 200).boxed().iterator());
                        List<Integer> all = drain(records);
                        if (!all.equals(IntStream.range(first, first + 200).boxed().toList())) {
                            throw new AssertionError("wrong records for " + block(dataset, partition) + ": " + all);
                        }
                        reads++;
                    }
                    assertEquals(reads, counts.hits() + counts.misses());
                    return reads;
                }));
            }
            start.countDown();
            for (Future<Integer> future : checked) {
                assertEquals(300, future.get(60, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
        assertTrue(blocks.usedBytes() <= blocks.maxBytes(), blocks.toString());
        assertTrue(blocks.blockCount() <= 5, blocks.toString());
    }

    /**
     * The store as the storage side of an executor's budget of 4.5 blocks with 1.5 of them protected:
     * blocks use what tasks do not hold, a task needing memory drops the least recently used blocks
     * down to the protected part (telling the listener of each), and a block stored while a task holds
     * memory fits in what the task left.
     */
    @Test
    void blocksBorrowWhatTasksDoNotHoldAndATaskNeedingMemoryDropsTheOldestDownToTheProtectedPart() {
        long size = sizeOf(1_000);
        ExecutorMemory memory = new ExecutorMemory(4 * size + size / 2, size + size / 2);
        BlockManager blocks = new BlockManager(memory, listener);
        for (int partition = 0; partition < 4; partition++) {
            drain(blocks.getOrCompute(block(1, partition), new Counting(1_000)));
        }
        assertEquals(4, blocks.blockCount(), blocks.toString());
        assertEquals(4 * size, memory.storageUsed());

        assertEquals(2 * size, memory.acquireExecution(9, 2 * size), "the task gets what it asked for");

        assertEquals(List.of("-dataset-1/partition-0", "-dataset-1/partition-1"),
                events.stream().filter(e -> e.startsWith("-")).toList(), "the two least recently used");
        assertEquals(2 * size, memory.storageUsed(), "above the protected 1.5 blocks");
        assertEquals(memory.storageUsed(), blocks.usedBytes());

        drain(blocks.getOrCompute(block(2, 0), new Counting(1_000)));
        assertTrue(blocks.contains(block(2, 0)), "it fits once another dataset's oldest block goes: " + blocks);
        assertFalse(blocks.contains(block(1, 2)));
        assertEquals(2 * size, memory.storageUsed());
        assertTrue(memory.peakUsed() <= memory.total(), memory.toString());

        memory.releaseAllExecution(9);
        assertEquals(4 * size + size / 2 - 2 * size, memory.storageLimit() - memory.storageUsed(),
                "what the task gave back is free for blocks again");
    }
}
