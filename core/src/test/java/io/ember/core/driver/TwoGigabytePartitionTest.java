package io.ember.core.driver;

import static io.ember.core.driver.CheapAnswers.checksum;
import static io.ember.core.driver.CheapAnswers.checksumOf;
import static io.ember.core.driver.CheapAnswers.consecutiveness;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.core.dataset.Pair;
import io.ember.core.dataset.PairDataset;
import io.ember.core.scheduler.SchedulerListener;
import io.ember.core.testing.Eventually;
import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every reduce-side operation with more than 2 GB of shuffled data flowing through one reduce
 * partition, on executors of {@code -Xmx256m} ({@code local-cluster[2,1]}, {@code
 * ember.executor.memory=256m}): 131,072 records of 16 KiB values (2 GiB of characters) go to one
 * reduce task, whose memory budget is under 120 MB. Each completes, the reduce task reports that it
 * read more than 2 GB and that it spilled, and its answer equals a formula of the input.
 *
 * <p>The values are long so that the data is large while the records are few: the test is about
 * bytes, and runs each operation in seconds.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(600)
final class TwoGigabytePartitionTest {

    private static final long RECORDS = 1L << 17;
    /** Keys of {@link #wide()}: each twice. */
    private static final long KEYS = RECORDS / 2;
    private static final int LENGTH = 16 << 10;
    /** Map partitions: blocks of about 33 MB, past an eighth of the heap, so read from files, not held whole. */
    private static final int MAPS = 64;
    private static final long TWO_GB = 2_000_000_000L;

    @TempDir
    static Path dir;

    private EmberContext ember;
    private final ReduceTasks reduces = new ReduceTasks();

    @BeforeAll
    void start() {
        ember = LocalApplications.builder(dir, "local-cluster[2,1]", "two-gigabytes")
                .set("ember.executor.memory", "256m").build();
        ember.awaitExecutors(2, Duration.ofSeconds(60));
        ember.addListener(reduces);
    }

    @AfterAll
    void stop() {
        if (ember != null) {
            ember.close();
        }
    }

    /** Record i: key i mod KEYS, and a value of LENGTH characters that starts with the key. */
    private PairDataset<Long, String> wide() {
        return ember.range(0, RECORDS, MAPS).mapToPair(i -> new Pair<>(i % KEYS, value(i % KEYS)));
    }

    /** Every even key, with the value 1,000. */
    private PairDataset<Long, Long> evens() {
        return ember.range(0, KEYS, 4).filter(k -> k % 2 == 0).mapToPair(k -> new Pair<>(k, 1_000L));
    }

    private static String value(long key) {
        String text = Long.toString(key);
        return text + "x".repeat(LENGTH - text.length());
    }

    private static String longer(String a, String b) {
        return a.length() >= b.length() ? a : b;
    }

    private static Pair<Long, Long> expected(long keys, long size) {
        return checksumOf(keys, size);
    }

    @Test
    void reduceByKey() {
        assertExactThroughOnePartition(() -> checksum(wide().reduceByKey(TwoGigabytePartitionTest::longer, 1)
                .dataset(), String::length), expected(KEYS, LENGTH));
    }

    @Test
    void aggregateByKey() {
        assertExactThroughOnePartition(() -> checksum(wide().aggregateByKey("", TwoGigabytePartitionTest::longer,
                TwoGigabytePartitionTest::longer, 1).dataset(), String::length), expected(KEYS, LENGTH));
    }

    @Test
    void combineByKey() {
        assertExactThroughOnePartition(() -> checksum(wide().combineByKey(value -> value,
                TwoGigabytePartitionTest::longer, TwoGigabytePartitionTest::longer, 1).dataset(), String::length),
                expected(KEYS, LENGTH));
    }

    @Test
    void groupByKey() {
        assertExactThroughOnePartition(() -> checksum(wide().groupByKey(1).dataset(),
                values -> values.stream().mapToLong(String::length).sum()), expected(KEYS, 2L * LENGTH));
    }

    @Test
    void cogroup() {
        assertExactThroughOnePartition(() -> checksum(wide().cogroup(evens(), 1).dataset(),
                both -> both.key().stream().mapToLong(String::length).sum()
                        + both.value().stream().mapToLong(Long::longValue).sum()),
                new Pair<>(KEYS, expected(KEYS, 2L * LENGTH).value() + KEYS / 2 * 1_000));
    }

    @Test
    void join() {
        // every even key: its two values, each with 1,000
        long evenKeys = KEYS / 2;
        long keySum = 2 * 31 * (2 * (evenKeys * (evenKeys - 1) / 2));
        assertExactThroughOnePartition(() -> checksum(wide().join(evens(), 1).dataset(),
                both -> both.key().length() + both.value()),
                new Pair<>(2 * evenKeys, keySum + 2 * evenKeys * (LENGTH + 1_000)));
    }

    @Test
    void leftOuterJoin() {
        assertExactThroughOnePartition(() -> checksum(wide().leftOuterJoin(evens(), 1).dataset(),
                both -> both.key().length() + (both.value() == null ? 0 : both.value())),
                new Pair<>(2 * KEYS, 2 * expected(KEYS, LENGTH).value() + KEYS * 1_000));
    }

    @Test
    void distinct() {
        assertExactThroughOnePartition(() -> wide().values().distinct(1).count(), KEYS);
    }

    @Test
    void sortByKey() {
        PairDataset<Long, String> reversed = ember.range(0, RECORDS, MAPS)
                .mapToPair(i -> new Pair<>(RECORDS - 1 - i, value(i % KEYS)));
        // one partition, sorted: each key one more than the one before it, which the task checks in order
        assertExactThroughOnePartition(() -> consecutiveness(reversed
                .sortByKey((Comparator<Long> & Serializable) Long::compare, true, 1).keys()),
                List.of(RECORDS, 0L, RECORDS - 1));
    }

    /**
     * One map task writing all of it into one reduce partition: a single block of 2.3 GB, past the
     * 2 GiB a Java array can hold, written through spills, then fetched to a file or streamed from its
     * own (never held as one array), and grouped exactly.
     */
    @Test
    void aSingleBlockLargerThanTwoGibibytes() {
        long records = 140_000;
        long keys = records / 2;
        PairDataset<Long, String> oneMap = ember.range(0, records, 1).mapToPair(i -> new Pair<>(i % keys, value(i % keys)));
        assertExactThroughOnePartition(() -> checksum(oneMap.groupByKey(1).dataset(),
                values -> values.stream().mapToLong(String::length).sum()), expected(keys, 2L * LENGTH));
        assertTrue(reduces.ends().stream().anyMatch(end -> end.metrics().shuffleReadBytes() > (1L << 31)),
                "one block of over 2 GiB was read: " + reduces.ends());
    }

    /**
     * Runs {@code job}: its answer is {@code expected}, and one reduce task of it read more than 2 GB
     * of shuffled data and spilled.
     */
    private <T> void assertExactThroughOnePartition(Supplier<T> job, T expected) {
        int before = reduces.ends().size();
        long started = System.nanoTime();

        assertEquals(expected, job.get());

        long millis = (System.nanoTime() - started) / 1_000_000;
        Eventually.await(Duration.ofSeconds(30), () -> reduces.ends().stream().skip(before)
                .anyMatch(end -> end.metrics().shuffleReadBytes() > TWO_GB), () -> "a reduce task read over 2 GB: "
                + reduces.ends().subList(before, reduces.ends().size()));
        SchedulerListener.TaskEnd large = reduces.ends().stream().skip(before)
                .filter(end -> end.metrics().shuffleReadBytes() > TWO_GB).findFirst().orElseThrow();
        assertTrue(large.metrics().spills() > 0, "the reduce task of 2 GB spilled: " + large.metrics());
        System.out.printf("%,d bytes through one reduce partition on -Xmx256m executors: %,d spill(s) of %,d bytes, "
                + "job %,d ms%n", large.metrics().shuffleReadBytes(), large.metrics().spills(),
                large.metrics().spillBytes(), millis);
    }


    /** The tasks that read a shuffle and ended well, as the driver heard of them. */
    private static final class ReduceTasks implements SchedulerListener {
        private final List<TaskEnd> ends = new ArrayList<>();

        @Override
        public synchronized void onTaskEnd(TaskEnd event) {
            if (event.outcome() == Outcome.FINISHED && event.metrics().shuffleReadBytes() > 0) {
                ends.add(event);
            }
        }

        synchronized List<TaskEnd> ends() {
            return new ArrayList<>(ends);
        }
    }
}
