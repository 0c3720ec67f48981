package io.ember.core.driver;

import static io.ember.core.driver.CheapAnswers.checksum;
import static io.ember.core.driver.CheapAnswers.checksumOf;
import static io.ember.core.driver.CheapAnswers.consecutiveness;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.api.cluster.ExecutorInfo;
import io.ember.core.dataset.Pair;
import io.ember.core.dataset.PairDataset;
import io.ember.core.job.JobFailedException;
import io.ember.core.scheduler.SchedulerListener;
import io.ember.core.testing.Eventually;
import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reduce partitions several times larger than the executor's heap, on one executor process of
 * {@code -Xmx128m} ({@code local-cluster[1,1]}, {@code ember.executor.memory=128m}): 1,200,000
 * distinct keys with 100-character values all go to one reduce partition, about 400 MB as heap
 * objects, where the whole budget is (128 − 32) × 0.6 ≈ 58 MB. Before the reduce side spilled, the
 * executor died with "Java heap space". reduceByKey, aggregateByKey, leftOuterJoin (cogroup underneath),
 * distinct and sortByKey run so; a key too large fails by name. Each answer is checked exactly against a cheap formula, and
 * the reduce tasks report the spills they made.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(300)
final class LargerThanMemoryTest {

    private static final long KEYS = 1_200_000;
    /**
     * Map partitions: blocks of about 8 MB each. The executor serves its own output here (one executor),
     * so its blocks are read from its disk, and such a read still holds a block whole.
     */
    private static final int MAPS = 16;

    @TempDir
    static Path dir;

    private EmberContext ember;
    private final Spills spills = new Spills();

    @BeforeAll
    void start() {
        // The sort plugin's map-side buffer grows within the task's memory: its default 64 MiB threshold
        // is only an upper bound on a 128 MiB executor.
        ember = LocalApplications.builder(dir, "local-cluster[1,1]", "larger-than-memory")
                .set("ember.executor.memory", "128m").build();
        ember.addListener(spills);
    }

    @AfterAll
    void stop() {
        if (ember != null) {
            ember.close();
        }
    }

    /** Keys 0..KEYS-1, each with a value of 100 characters that starts with the key. */
    private PairDataset<Long, String> wide() {
        return ember.range(0, KEYS, MAPS).mapToPair(i -> new Pair<>(i, padded(i)));
    }

    private static String padded(long key) {
        String text = Long.toString(key);
        return text + "x".repeat(100 - text.length());
    }

    private static Pair<Long, Long> expected(long valueLength) {
        return checksumOf(KEYS, valueLength);
    }

    @Test
    void reduceByKeyOfDistinctKeysIntoOnePartitionSpillsAndIsExact() {
        int spillsBefore = spills.count.get();

        Pair<Long, Long> sums = checksum(wide().reduceByKey((a, b) -> a + b, 1).dataset(), String::length);

        assertEquals(expected(100), sums);
        Eventually.await(Duration.ofSeconds(30), () -> spills.count.get() - spillsBefore >= 2,
                () -> "the reduce task spilled: " + spills);
    }

    @Test
    void aggregateByKeyOfDistinctKeysIntoOnePartitionSpillsAndIsExact() {
        int spillsBefore = spills.count.get();

        Pair<Long, Long> sums = checksum(wide().aggregateByKey(0L, (length, value) -> length + value.length(),
                Long::sum, 1).dataset(), length -> length);

        assertEquals(expected(100), sums);
        Eventually.await(Duration.ofSeconds(30), () -> spills.count.get() - spillsBefore >= 2,
                () -> "the reduce task spilled: " + spills);
    }

    /** cogroup underneath: every key once on the left, every even key on the right. */
    @Test
    void leftOuterJoinOfMoreThanFitsSpillsAndIsExact() {
        int spillsBefore = spills.count.get();
        PairDataset<Long, Long> evens = ember.range(0, KEYS, MAPS).filter(i -> i % 2 == 0)
                .mapToPair(i -> new Pair<>(i, 1_000L));

        Pair<Long, Long> sums = checksum(wide().leftOuterJoin(evens, 1).dataset(),
                both -> both.key().length() + (both.value() == null ? 0 : both.value()));

        assertEquals(new Pair<>(KEYS, expected(100).value() + KEYS / 2 * 1_000), sums);
        Eventually.await(Duration.ofSeconds(30), () -> spills.count.get() - spillsBefore >= 2,
                () -> "the reduce task spilled: " + spills);
    }

    @Test
    void distinctOfMoreThanFitsSpillsAndIsExact() {
        int spillsBefore = spills.count.get();

        // the same 1,200,000 records as the other tests: 600,000 distinct values, each twice
        long distinct = ember.range(0, KEYS, MAPS).map(i -> padded(i % (KEYS / 2))).distinct(1).count();

        assertEquals(KEYS / 2, distinct);
        Eventually.await(Duration.ofSeconds(30), () -> spills.count.get() - spillsBefore >= 2,
                () -> "the reduce task spilled: " + spills);
    }

    @Test
    void sortByKeyOfMoreThanFitsSpillsSortedRunsAndKeepsTheOrder() {
        int spillsBefore = spills.count.get();
        PairDataset<Long, String> reversed = ember.range(0, KEYS, MAPS)
                .mapToPair(i -> new Pair<>(KEYS - 1 - i, padded(i)));

        // one partition, sorted: each key is one more than the one before it, which a reduce checks in order
        List<Long> order = consecutiveness(reversed.sortByKey((Comparator<Long> & Serializable) Long::compare, true, 1)
                .keys());

        assertEquals(List.of(KEYS, 0L, KEYS - 1), order, "(records, out of order, last key)");
        Eventually.await(Duration.ofSeconds(30), () -> spills.count.get() - spillsBefore >= 2,
                () -> "the sort spilled: " + spills);
    }

    /**
     * One key with 1,200,000 values of 100 characters (about 300 MB as heap objects) in a groupByKey:
     * only one key's values must fit, and these cannot. The reduce task fails once, not retried, with a
     * message naming the key and the sizes, instead of an OutOfMemoryError; the executor lives on and
     * runs the next job.
     */
    @Test
    void groupByKeyOfOneKeyLargerThanMemoryFailsNamingItAndTheExecutorLivesOn() {
        ember.awaitExecutors(1, Duration.ofSeconds(60));
        List<String> executorsBefore = executorIds();
        List<SchedulerListener.TaskEnd> reduceEnds = new CopyOnWriteArrayList<>();
        SchedulerListener failures = new SchedulerListener() {
            @Override
            public void onTaskEnd(TaskEnd event) {
                if (event.outcome() == Outcome.FAILED) {
                    reduceEnds.add(event);
                }
            }
        };
        ember.addListener(failures);
        PairDataset<Long, String> hot = ember.range(0, KEYS, MAPS).mapToPair(i -> new Pair<>(7L, padded(i)));

        JobFailedException e = assertThrows(JobFailedException.class,
                () -> hot.groupByKey(1).dataset().map(group -> group.value().size()).collect());

        assertTrue(e.getMessage().contains("in a way running it again cannot cure, so it was not retried: "
                + "io.ember.core.dataset.KeyTooLargeException: the values of key '7' take at least "), e.getMessage());
        assertTrue(e.getMessage().contains("this task could get: groupByKey and cogroup hold all the values of one "
                + "key in memory at once"), e.getMessage());
        Eventually.await(Duration.ofSeconds(30), () -> reduceEnds.size() == 1, () -> "one failed attempt: " + reduceEnds);
        assertEquals(executorsBefore, executorIds(), "the executor lives on");
        assertEquals(KEYS, ember.range(0, KEYS, MAPS).count(), "and runs the next job");
        assertEquals(executorsBefore, executorIds());
    }

    private List<String> executorIds() {
        return ember.executors().stream().map(ExecutorInfo::executorId).toList();
    }


    /** The spills the tasks reported, as the driver heard of them. */
    private static final class Spills implements SchedulerListener {
        final AtomicInteger count = new AtomicInteger();
        final AtomicLong bytes = new AtomicLong();

        @Override
        public void onTaskEnd(TaskEnd event) {
            count.addAndGet(event.metrics().spills());
            bytes.addAndGet(event.metrics().spillBytes());
        }

        @Override
        public String toString() {
            return count + " spill(s), " + bytes + " bytes";
        }
    }
}
