package io.ember.core.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.api.config.DeclaredSettings;
import io.ember.api.shuffle.BlockLocation;
import io.ember.api.shuffle.ExecutorShuffle;
import io.ember.api.shuffle.ExecutorShuffleContext;
import io.ember.api.shuffle.MapBlock;
import io.ember.api.shuffle.ShuffleBlock;
import io.ember.api.shuffle.ShuffleManager;
import io.ember.api.shuffle.ShuffleReader;
import io.ember.api.shuffle.ShuffleWriter;
import io.ember.core.memory.ExecutorMemory;
import io.ember.core.memory.TaskMemory;
import io.ember.core.serialization.PayloadFilter;
import io.ember.core.serialization.RecordSerializer;
import io.ember.core.shuffle.HashPartitioner;
import io.ember.core.shuffle.MapStatus;
import io.ember.core.task.BlockStore;
import io.ember.core.task.ShuffleCounts;
import io.ember.core.task.TaskContext;
import io.ember.shuffle.sort.SortShuffleManagerFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What map and reduce tasks count in their {@link ShuffleCounts}, through the real {@code sort}
 * shuffle of two executors, each serving its own map output on 127.0.0.1: map partitions 0 and 1 are
 * written by executor {@code a}, 2 and 3 by {@code b}, and every reduce task runs on {@code a}, so it
 * reads local blocks from disk and fetches the others from {@code b}.
 */
final class ShuffleCountingTest {

    private static final RecordSerializer RECORDS = new RecordSerializer(ShuffleCountingTest.class.getClassLoader(),
            PayloadFilter.standard());
    private static final int MAPS = 4;
    private static final int REDUCES = 3;

    @TempDir
    Path dir;

    private final InProcessJobRunner runner = new InProcessJobRunner();
    private final AtomicLong taskIds = new AtomicLong(100);
    private ShuffleManager manager;
    private ExecutorShuffle a;
    private ExecutorShuffle b;

    @BeforeEach
    void openShuffles() throws Exception {
        SortShuffleManagerFactory factory = new SortShuffleManagerFactory();
        manager = factory.create(DeclaredSettings.of(factory.configKeys(), Map.of()));
        a = open("a");
        b = open("b");
    }

    private ExecutorShuffle open(String executorId) throws Exception {
        Path local = Files.createDirectories(dir.resolve(executorId));
        return manager.openExecutor(new ExecutorShuffleContext("app-1", executorId, "127.0.0.1", List.of(local),
                Optional.empty(), Optional.empty()));
    }

    @AfterEach
    void closeShuffles() {
        for (AutoCloseable closeable : new AutoCloseable[] {a, b, manager}) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }
    }

    /** 0..999 in 4 partitions of 250 consecutive numbers, keyed by {@code i % 10}: 10 keys in each. */
    private PairDataset<Long, Long> pairs() {
        return Sources.range(runner, 0, 1_000, MAPS).mapToPair(i -> new Pair<>(i % 10, i));
    }

    /** A task's context on one executor's shuffle, with the map outputs of {@code outputs}. */
    private TestContext context(ExecutorShuffle shuffle, int partition, Map<Integer, MapStatus[]> outputs) {
        return new TestContext(taskIds.getAndIncrement(), partition, shuffle, outputs);
    }

    /** The pairs moved to {@link #REDUCES} partitions, with their map tasks run. */
    private Moved movedAndMapped() throws Exception {
        Dataset<Pair<Long, Long>> moved = pairs().partitionBy(new HashPartitioner(REDUCES)).dataset();
        MapStatus[] statuses = runMaps(moved, new ArrayList<>());
        return new Moved(moved, statuses, Map.of(moved.stageInputs().get(0).shuffleId(), statuses));
    }

    /** A reduce-side dataset, the statuses of its map tasks, and them by shuffle id, as a task gets them. */
    private record Moved(Dataset<Pair<Long, Long>> dataset, MapStatus[] statuses,
                         Map<Integer, MapStatus[]> outputs) {
    }

    /** Runs the map stage of the dataset's shuffle: partitions 0 and 1 on a, 2 and 3 on b. */
    private MapStatus[] runMaps(Dataset<?> reduced, List<ShuffleCounts> counts) throws Exception {
        ShuffleDependency<?, ?, ?> dependency = reduced.stageInputs().get(0);
        MapStatus[] statuses = new MapStatus[MAPS];
        for (int p = 0; p < MAPS; p++) {
            TestContext context = context(p < 2 ? a : b, p, Map.of());
            statuses[p] = (MapStatus) dependency.mapStage().runTask(p, context);
            counts.add(context.counts);
        }
        return statuses;
    }

    @Test
    void aMapTaskCountsTheRecordsItWroteAfterItsCombineAndTheBytesOfItsBlocks() throws Exception {
        Dataset<Pair<Long, Long>> sums = pairs().reduceByKey(Long::sum, REDUCES).dataset();
        List<ShuffleCounts> counts = new ArrayList<>();

        MapStatus[] statuses = runMaps(sums, counts);

        for (int p = 0; p < MAPS; p++) {
            ShuffleCounts map = counts.get(p);
            assertEquals(10, map.writeRecords(), "one combined record per key of the partition: " + map);
            assertTrue(map.writeBytes() > 0, map.toString());
            assertEquals(statuses[p].bytes(), map.writeBytes(), "the lengths of the blocks it reported");
            assertEquals(0, map.readRecords() + map.readBytes(), "a map task of a source reads no shuffle");
        }
    }

    @Test
    void withoutACombineEveryRecordIsWrittenAndCounted() throws Exception {
        Dataset<Pair<Long, Long>> moved = pairs().partitionBy(new HashPartitioner(REDUCES)).dataset();
        List<ShuffleCounts> counts = new ArrayList<>();

        MapStatus[] statuses = runMaps(moved, counts);

        for (int p = 0; p < MAPS; p++) {
            assertEquals(250, counts.get(p).writeRecords());
            assertEquals(statuses[p].bytes(), counts.get(p).writeBytes());
        }
    }

    @Test
    void reduceTasksCountTheRecordsTheyTookAndTheBytesOfLocalAndFetchedBlocks() throws Exception {
        Dataset<Pair<Long, Long>> sums = pairs().reduceByKey(Long::sum, REDUCES).dataset();
        List<ShuffleCounts> maps = new ArrayList<>();
        MapStatus[] statuses = runMaps(sums, maps);
        int shuffleId = sums.stageInputs().get(0).shuffleId();

        long readRecords = 0;
        long readBytes = 0;
        Map<Long, Long> results = new TreeMap<>();
        for (int r = 0; r < REDUCES; r++) {
            TestContext context = context(a, r, Map.of(shuffleId, statuses));
            sums.iterator(r, context).forEachRemaining(pair -> results.put(pair.key(), pair.value()));
            long expectedBytes = 0;
            for (MapStatus status : statuses) {
                expectedBytes += status.length(r);
            }
            assertEquals(expectedBytes, context.counts.readBytes(), "reduce " + r + ": its blocks from a and b");
            readRecords += context.counts.readRecords();
            readBytes += context.counts.readBytes();
        }

        assertEquals(10, results.size(), "the job's answer is whole: " + results);
        assertEquals(maps.stream().mapToLong(ShuffleCounts::writeRecords).sum(), readRecords,
                "every record written was read");
        assertEquals(maps.stream().mapToLong(ShuffleCounts::writeBytes).sum(), readBytes,
                "every byte written was read");
    }

    @Test
    void aReduceTaskThatStopsEarlyCountsOnlyTheBlocksDeliveredAndTheRecordsTaken() throws Exception {
        Moved moved = movedAndMapped();
        MapStatus[] statuses = moved.statuses();
        TestContext context = context(a, 0, moved.outputs());

        Iterator<Pair<Long, Long>> records = moved.dataset().iterator(0, context);
        records.next();
        records.next();

        assertEquals(2, context.counts.readRecords());
        Set<Long> blockLengths = new TreeSet<>();
        for (MapStatus status : statuses) {
            blockLengths.add(status.length(0));
        }
        assertTrue(blockLengths.contains(context.counts.readBytes()),
                "one block delivered, of one of the lengths " + blockLengths + ": " + context.counts);
    }

    @Test
    void aReduceTaskThatStopsEarlyHasItsReaderClosedWhenItEnds() throws Exception {
        Moved moved = movedAndMapped();
        AtomicInteger opened = new AtomicInteger();
        AtomicInteger closed = new AtomicInteger();
        TestContext context = context(new ReaderWatch(a, opened, closed), 0, moved.outputs());

        Iterator<Pair<Long, Long>> records = moved.dataset().iterator(0, context);
        records.next();
        assertEquals(1, opened.get());
        assertEquals(0, closed.get(), "the task still reads");

        context.complete();   // as take() leaves it: the iterator not read to the end

        assertEquals(1, closed.get(), "closed at the task's end, not at garbage collection");
    }

    /**
     * As {@code take(1)} leaves a reduce task: the blocks fetched from {@code b} are in flight on the
     * task's memory after the first record, and the task's end gives every byte back, by the memory
     * manager's own accounting, not at garbage collection.
     */
    @Test
    void aReduceTaskThatStopsEarlyGivesItsFetchedBlocksMemoryBackWhenItEnds() throws Exception {
        Moved moved = movedAndMapped();
        TestContext context = context(a, 0, moved.outputs());

        Iterator<Pair<Long, Long>> records = moved.dataset().iterator(0, context);
        records.next();
        assertTrue(context.memory().held() > 0, "the blocks requested from b are held on the task's memory");

        context.complete();

        assertEquals(0, context.memory().held(), "the task's end gave the reader's memory back");
    }

    /** An executor's shuffle whose readers count when they open and close. */
    private record ReaderWatch(ExecutorShuffle shuffle, AtomicInteger opened, AtomicInteger closed)
            implements ExecutorShuffle {
        @Override
        public BlockLocation location() {
            return shuffle.location();
        }

        @Override
        public ShuffleWriter writer(int shuffleId, long mapId, int partitions) {
            return shuffle.writer(shuffleId, mapId, partitions);
        }

        @Override
        public ShuffleReader reader(List<MapBlock> blocks) {
            ShuffleReader reader = shuffle.reader(blocks);
            opened.incrementAndGet();
            return new ShuffleReader() {
                @Override
                public boolean hasNext() {
                    return reader.hasNext();
                }

                @Override
                public ShuffleBlock next() {
                    return reader.next();
                }

                @Override
                public void close() {
                    closed.incrementAndGet();
                    reader.close();
                }
            };
        }

        @Override
        public void removeShuffle(int shuffleId) {
            shuffle.removeShuffle(shuffleId);
        }

        @Override
        public void close() {
        }
    }

    /** A map or reduce task on one executor's shuffle, counting in its own {@link ShuffleCounts}. */
    private static final class TestContext implements TaskContext {
        final ShuffleCounts counts = new ShuffleCounts();
        private final long taskId;
        private final int partition;
        private final ExecutorShuffle shuffle;
        private final Map<Integer, MapStatus[]> outputs;
        private final BlockStore blocks = new CountingBlockStore();
        private final TaskMemory memory;
        private final List<Runnable> completions = new ArrayList<>();

        TestContext(long taskId, int partition, ExecutorShuffle shuffle, Map<Integer, MapStatus[]> outputs) {
            this.taskId = taskId;
            this.partition = partition;
            this.shuffle = shuffle;
            this.outputs = outputs;
            this.memory = new TaskMemory(new ExecutorMemory(64L << 20, 0), taskId);
        }

        @Override
        public TaskMemory memory() {
            return memory;
        }

        @Override
        public void onCompletion(Runnable callback) {
            completions.add(callback);
        }

        @Override
        public Path spillDirectory() {
            return Path.of(System.getProperty("java.io.tmpdir"));
        }

        /** Ends the task: its completion callbacks, the last registered first. */
        void complete() {
            for (int i = completions.size() - 1; i >= 0; i--) {
                completions.get(i).run();
            }
            completions.clear();
        }

        @Override
        public long taskId() {
            return taskId;
        }

        @Override
        public int stageId() {
            return 0;
        }

        @Override
        public int partition() {
            return partition;
        }

        @Override
        public int attempt() {
            return 0;
        }

        @Override
        public String executorId() {
            return "test";
        }

        @Override
        public BlockStore blocks() {
            return blocks;
        }

        @Override
        public ExecutorShuffle shuffle() {
            return shuffle;
        }

        @Override
        public RecordSerializer records() {
            return RECORDS;
        }

        @Override
        public MapStatus[] mapOutputs(int shuffleId) {
            MapStatus[] statuses = outputs.get(shuffleId);
            if (statuses == null) {
                throw new IllegalStateException("no map outputs of shuffle " + shuffleId);
            }
            return statuses;
        }

        @Override
        public ShuffleCounts shuffleCounts() {
            return counts;
        }

        @Override
        public boolean isKilled() {
            return false;
        }
    }
}
