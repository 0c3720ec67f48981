package io.ember.core.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.core.job.Job;
import io.ember.core.job.JobFailedException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

final class ActionsTest {

    /** Side effects of foreach and of counted functions; everything runs in-process. */
    private static final ConcurrentLinkedQueue<Integer> SEEN = new ConcurrentLinkedQueue<>();
    private static final AtomicInteger COMPUTED = new AtomicInteger();

    private final InProcessJobRunner runner = new InProcessJobRunner();

    private static List<Integer> randomInts(Random random) {
        return IntStream.range(0, random.nextInt(500)).mapToObj(i -> random.nextInt(2001) - 1000).toList();
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 42, 2024})
    void collectReturnsEveryRecordInPartitionOrder(long seed) {
        Random random = new Random(seed);
        List<Integer> data = randomInts(random);

        assertEquals(data, Sources.parallelize(runner, data, 1 + random.nextInt(16)).collect());
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 42, 2024})
    void countMatchesAStreamCount(long seed) {
        Random random = new Random(seed);
        List<Integer> data = randomInts(random);

        long count = Sources.parallelize(runner, data, 1 + random.nextInt(16)).filter(x -> x % 2 == 0).count();

        assertEquals(data.stream().filter(x -> x % 2 == 0).count(), count);
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 42, 2024})
    void reduceMatchesAStreamReduce(long seed) {
        Random random = new Random(seed);
        List<Integer> data = new ArrayList<>(randomInts(random));
        data.add(random.nextInt());
        Dataset<Integer> numbers = Sources.parallelize(runner, data, 1 + random.nextInt(16));

        assertEquals(data.stream().mapToLong(Integer::longValue).sum(),
                numbers.map(Integer::longValue).reduce(Long::sum));
        assertEquals(data.stream().reduce(Math::max).orElseThrow(), numbers.reduce(Math::max));
    }

    @Test
    void reduceOfAnEmptyDatasetSaysItIsEmpty() {
        Dataset<Integer> empty = Sources.parallelize(runner, List.of(), 3);

        NoSuchElementException failure = assertThrows(NoSuchElementException.class, () -> empty.reduce(Integer::sum));

        assertTrue(failure.getMessage().contains("dataset is empty"), failure.getMessage());
    }

    @Test
    void reduceSkipsEmptyPartitions() {
        assertEquals(6, Sources.parallelize(runner, List.of(1, 2, 3), 10).reduce(Integer::sum));
    }

    @Test
    void reduceFailingOnTheDriverIsAJobFailureCausedByTheFunctionsError() {
        Dataset<Integer> numbers = Sources.parallelize(runner, List.of(1, 2), 2);

        JobFailedException failure = assertThrows(JobFailedException.class, () -> numbers.reduce((a, b) -> {
            throw new IOException("cannot combine " + a + " and " + b);
        }));

        assertTrue(failure.getCause() instanceof IOException);
        assertEquals("cannot combine 1 and 2", failure.getCause().getMessage());
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 42, 2024})
    void foreachCallsTheFunctionOnceForEachRecord(long seed) {
        Random random = new Random(seed);
        List<Integer> data = randomInts(random);
        SEEN.clear();

        // x -> SEEN.add(x), not SEEN::add: a bound method reference would ship a copy of the queue
        Sources.parallelize(runner, data, 1 + random.nextInt(16)).foreach(x -> SEEN.add(x));

        assertEquals(data, new ArrayList<>(SEEN));
    }

    @Test
    void foreachPartitionCallsTheFunctionOnceForEachPartition() {
        SEEN.clear();

        Sources.parallelize(runner, List.of(1, 2, 3, 4, 5), 3).foreachPartition(records -> {
            int size = 0;
            while (records.hasNext()) {
                records.next();
                size++;
            }
            SEEN.add(size);
        });

        assertEquals(List.of(1, 2, 2), new ArrayList<>(SEEN));
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 42, 2024})
    void takeMatchesAStreamLimit(long seed) {
        Random random = new Random(seed);
        List<Integer> data = randomInts(random);
        Dataset<Integer> numbers = Sources.parallelize(runner, data, 1 + random.nextInt(40)).filter(x -> x > 0);
        List<Integer> positive = data.stream().filter(x -> x > 0).toList();

        for (int n : new int[] {0, 1, 2, 7, positive.size() / 2, positive.size(), positive.size() + 3}) {
            assertEquals(positive.stream().limit(n).toList(), numbers.take(n), "take(" + n + ")");
        }
    }

    @Test
    void takeReadsOnlyTheFirstPartitionWhenItHasEnoughRows() {
        Dataset<Integer> numbers = Sources.parallelize(runner, IntStream.range(0, 100).boxed().toList(), 10);

        assertEquals(List.of(0, 1, 2, 3, 4), numbers.take(5));

        assertEquals(List.of(List.of(0)), runner.partitionsOfJobs());
    }

    @Test
    void takeStopsReadingAPartitionOnceItHasTheRowsItNeeds() {
        COMPUTED.set(0);
        Dataset<Integer> counted = Sources.parallelize(runner, IntStream.range(0, 1000).boxed().toList(), 2)
                .map(x -> {
                    COMPUTED.incrementAndGet();
                    return x;
                });

        assertEquals(List.of(0, 1, 2), counted.take(3));

        assertEquals(3, COMPUTED.get());
    }

    @Test
    void takeGrowsTheScanFourfoldWhileItFindsNothing() {
        List<Integer> data = IntStream.range(0, 1000).boxed().toList();
        Dataset<Integer> late = Sources.parallelize(runner, data, 100).filter(x -> x >= 200);   // from partition 20 on

        assertEquals(List.of(200, 201, 202), late.take(3));

        assertEquals(List.of(1, 4, 20), runner.partitionsPerJob());
        assertEquals(List.of(List.of(0), List.of(1, 2, 3, 4), IntStream.range(5, 25).boxed().toList()),
                runner.partitionsOfJobs());
    }

    @Test
    void takeEstimatesThePartitionsStillNeededFromTheRowsFound() {
        Dataset<Integer> numbers = Sources.parallelize(runner, IntStream.range(0, 1000).boxed().toList(), 100);

        assertEquals(IntStream.range(0, 35).boxed().toList(), numbers.take(35));

        // 10 rows per partition: partition 0 gives 10, then the 25 missing rows need 3 more partitions.
        assertEquals(List.of(1, 3), runner.partitionsPerJob());
    }

    @Test
    void takeMoreThanTheDatasetHasReadsEveryPartitionOnce() {
        Dataset<Integer> numbers = Sources.parallelize(runner, List.of(1, 2, 3), 30);

        assertEquals(List.of(1, 2, 3), numbers.take(10));

        List<Integer> scanned = runner.partitionsOfJobs().stream().flatMap(List::stream).toList();
        assertEquals(IntStream.range(0, 30).boxed().toList(), scanned);
    }

    @Test
    void takeZeroRunsNoJob() {
        assertEquals(List.of(), Sources.parallelize(runner, List.of(1), 1).take(0));
        assertTrue(runner.jobs().isEmpty());
    }

    @Test
    void takeRefusesANegativeCount() {
        Dataset<Integer> numbers = Sources.parallelize(runner, List.of(1), 1);

        assertThrows(IllegalArgumentException.class, () -> numbers.take(-1));
    }

    @Test
    void firstIsTheFirstRecordOfTheFirstNonEmptyPartition() {
        assertEquals(3, Sources.parallelize(runner, List.of(3, 4), 8).first());
    }

    @Test
    void firstOfAnEmptyDatasetSaysItIsEmpty() {
        Dataset<Integer> empty = Sources.parallelize(runner, List.of(), 2);

        NoSuchElementException failure = assertThrows(NoSuchElementException.class, empty::first);

        assertTrue(failure.getMessage().contains("dataset is empty"), failure.getMessage());
    }

    @Test
    void everyActionRunsAJobOverAllPartitionsDescribedByTheAction() {
        Dataset<Integer> numbers = Sources.parallelize(runner, List.of(1, 2, 3), 3);

        numbers.count();

        Job job = runner.lastJob();
        assertTrue(job.description().startsWith("count"), job.description());
        assertEquals(List.of(List.of(0, 1, 2)), runner.partitionsOfJobs());
        assertSame(ActionStage.class, job.code().getClass());
    }

    @Test
    void aCheckedExceptionFromAFunctionIsTheCauseOfTheJobFailure() {
        Dataset<Integer> failing = Sources.parallelize(runner, List.of(1, 2, 3), 3).map(x -> {
            if (x == 2) {
                throw new IOException("record " + x + " is unreadable");
            }
            return x;
        });

        JobFailedException failure = assertThrows(JobFailedException.class, failing::collect);

        assertSame(IOException.class, failure.getCause().getClass());
        assertEquals("record 2 is unreadable", failure.getCause().getMessage());
    }

    @Test
    void anUncheckedExceptionFromAFunctionIsTheCauseAsItIs() {
        Dataset<Integer> failing = Sources.parallelize(runner, List.of(1, 2, 3), 1).filter(x -> {
            throw new IllegalStateException("bad record " + x);
        });

        JobFailedException failure = assertThrows(JobFailedException.class, failing::count);

        assertSame(IllegalStateException.class, failure.getCause().getClass());
        assertEquals("bad record 1", failure.getCause().getMessage());
    }

    @Test
    void aCheckedExceptionFromAPartitionFunctionIsTheCauseOfTheJobFailure() {
        Dataset<Integer> failing = Sources.parallelize(runner, List.of(1), 1).mapPartitions(records -> {
            throw new IOException("no connection");
        });

        JobFailedException failure = assertThrows(JobFailedException.class, failing::collect);

        assertSame(IOException.class, failure.getCause().getClass());
    }
}
