package io.ember.core.driver;

import static io.ember.core.driver.CountingShuffle.expected;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.ember.core.dataset.Pair;
import io.ember.core.dataset.PairDataset;
import io.ember.core.job.JobId;
import io.ember.core.scheduler.SchedulerListener.Outcome;
import io.ember.core.scheduler.SchedulerListener.TaskEnd;
import io.ember.core.scheduler.SchedulerListener;
import io.ember.core.scheduler.StagePlanner;
import io.ember.core.testing.Eventually;
import io.ember.core.testing.JavaProcesses;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Shuffles on {@code local-cluster[2,1]}: executors are real processes, each worker runs the
 * external shuffle service. After {@code kill -9} of an executor whose map output a later stage
 * needs, the service still serves it (no map task runs again); without the service the lost output
 * is computed again. Results are exact either way.
 */
@Timeout(240)
final class ClusterShuffleTest {

    @TempDir
    Path dir;

    private EmberContext start(boolean service) {
        return LocalApplications.builder(dir, "local-cluster[2,1]", "cluster-shuffle")
                .set("ember.executor.memory", "192m")
                .set("ember.shuffle.service.enabled", Boolean.toString(service))
                .build();
    }

    private static PairDataset<Long, Long> sums(EmberContext ember) {
        return CountingShuffle.counts(ember, 6);
    }

    private static Set<Long> executorPids(EmberContext ember) {
        Eventually.await(Duration.ofSeconds(60), () -> ember.executors().size() == 2, "2 executors");
        Set<Long> pids = new TreeSet<>();
        Eventually.await(Duration.ofSeconds(60), () -> {
            pids.addAll(ember.range(0, 64, 64).map(i -> ProcessHandle.current().pid()).collect());
            return pids.size() >= 2;
        }, "tasks ran on both executors");
        return pids;
    }

    /** Runs the shuffle once (8 map tasks), then kills one executor with -9 and waits until it is dead. */
    private static PairDataset<Long, Long> shuffleThenKillAnExecutor(EmberContext ember, MapStageTasks maps) {
        ember.addListener(maps);
        ember.awaitExecutors(2, Duration.ofSeconds(60));
        PairDataset<Long, Long> sums = sums(ember);
        assertEquals(expected(), sums.collectAsMap());
        Eventually.await(Duration.ofSeconds(10), () -> maps.count() == 8, "8 map tasks heard");
        long victim = executorPids(ember).iterator().next();
        JavaProcesses.kill(victim);
        return sums;
    }

    @Test
    void theServiceServesTheMapOutputOfAKilledExecutorSoNoMapTaskRunsAgain() {
        try (EmberContext ember = start(true)) {
            MapStageTasks maps = new MapStageTasks();
            PairDataset<Long, Long> sums = shuffleThenKillAnExecutor(ember, maps);

            assertEquals(expected(), sums.collectAsMap(), "exact, read from the shuffle service");
            assertEquals(8, maps.count(), "the map stage did not run again");
        }
    }

    @Test
    void aShuffleOfFourTimesTheExecutorHeapCompletesBySpillingToDisk() {
        Logger stagesLog = (Logger) LoggerFactory.getLogger(StagePlanner.class);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        stagesLog.addAppender(logged);
        long records = 9_000_000L;   // about 120 bytes each once serialized: 1 GiB, executors have a 256 MiB heap
        try (EmberContext ember = LocalApplications.builder(dir, "local-cluster[2,1]", "big-shuffle")
                .set("ember.executor.memory", "256m")
                .build()) {
            ember.awaitExecutors(2, Duration.ofSeconds(60));

            long count = ember.range(0, records, 8)
                    .mapToPair(i -> new Pair<>(i % 1_000, "payload-" + "x".repeat(92) + i))
                    .partitionBy(new io.ember.core.shuffle.HashPartitioner(8))
                    .count();

            assertEquals(records, count);
        } finally {
            stagesLog.detachAppender(logged);
        }
        String mapStage = logged.list.stream().map(ILoggingEvent::getFormattedMessage)
                .filter(m -> m.startsWith("Map stage of shuffle")).findFirst().orElseThrow();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("wrote (\\d+) bytes .* spilling to disk (\\d+) time")
                .matcher(mapStage);
        assertTrue(m.find(), mapStage);
        assertTrue(Long.parseLong(m.group(1)) >= 4L * (256L << 20), "at least 4x the executor heap: " + mapStage);
        assertTrue(Integer.parseInt(m.group(2)) >= 8, "every map task spilled: " + mapStage);
    }

    /** A value Java serialization cannot write (not Serializable); Fory can. */
    static final class Plain {
        final long value;

        Plain(long value) {
            this.value = value;
        }
    }

    @Test
    void theApplicationsRecordSerializerReachesItsExecutors() {
        try (EmberContext ember = LocalApplications.builder(dir, "local-cluster[2,1]", "java-records")
                .set("ember.executor.memory", "192m")
                .set("ember.serializer", "java")
                .set("ember.task.maxFailures", "1")
                .build()) {
            ember.awaitExecutors(2, Duration.ofSeconds(60));
            assertEquals(Map.of(0L, 500L, 1L, 500L), ember.range(0, 1_000, 4).mapToPair(i -> new Pair<>(i % 2, 1L))
                    .reduceByKey(Long::sum, 2).collectAsMap(), "Serializable records go through Java serialization");

            io.ember.core.job.JobFailedException e = org.junit.jupiter.api.Assertions.assertThrows(
                    io.ember.core.job.JobFailedException.class, () -> ember.range(0, 100, 2)
                            .mapToPair(i -> new Pair<>(i % 2, new Plain(i))).groupByKey(2).count());
            assertTrue(e.getMessage().contains("Plain"), "the executors used Java serialization, which cannot write "
                    + "a class that is not Serializable: " + e.getMessage());
        }
    }

    /**
     * Issue #19: a server that accepts and never answers. Without the service each executor serves its
     * own output; one is paused with SIGSTOP (its socket still accepts, nothing answers). The next
     * job's fetches from it fail after the idle timeout (2 s, before its 10 s heartbeat timeout), only
     * its map partitions run again, and the result is exact.
     */
    @Test
    void aServerThatAcceptsAndNeverAnswersFailsTheFetchAndOnlyItsOutputRunsAgain() {
        try (EmberContext ember = LocalApplications.builder(dir, "local-cluster[2,1]", "silent-server")
                .set("ember.executor.memory", "192m")
                .set("ember.shuffle.service.enabled", "false")
                .set("ember.shuffle.service.idleTimeout", "2s")
                .build()) {
            MapStageTasks maps = new MapStageTasks();
            FetchFailures failures = new FetchFailures();
            ember.addListener(maps);
            ember.addListener(failures);
            ember.awaitExecutors(2, Duration.ofSeconds(60));
            PairDataset<Long, Long> sums = sums(ember);
            assertEquals(expected(), sums.collectAsMap());
            Eventually.await(Duration.ofSeconds(10), () -> maps.count() == 8, "8 map tasks heard");
            Map<String, Long> pids = pidsByExecutor(ember, failures);
            String victim = maps.executors().iterator().next();   // one that holds map output
            Set<Integer> victimsOutput = maps.partitions(0, 8, victim);

            JavaProcesses.signal(pids.get(victim), "STOP");
            try {
                assertEquals(expected(), sums.collectAsMap(), "exact after the fetches from the silent server failed");
            } finally {
                JavaProcesses.signal(pids.get(victim), "CONT");
            }

            assertTrue(failures.count() >= 1, "a fetch from the silent server failed");
            assertEquals(victimsOutput, maps.partitions(8, Integer.MAX_VALUE, null),
                    "exactly the silent executor's map partitions ran again");
        }
    }

    /** Each executor's pid: a job of 64 one-task partitions reports its process, the listener its executor. */
    private static Map<String, Long> pidsByExecutor(EmberContext ember, FetchFailures ends) {
        Map<String, Long> pids = new TreeMap<>();
        Eventually.await(Duration.ofSeconds(60), () -> {
            List<Long> byPartition = ember.range(0, 64, 64).map(i -> ProcessHandle.current().pid()).collect();
            JobId job = ember.lastJobSummary().orElseThrow().jobId();
            Eventually.await(Duration.ofSeconds(10), () -> ends.of(job).size() >= 64, "the job's 64 task ends");
            for (TaskEnd end : ends.of(job)) {
                if (end.outcome() == Outcome.FINISHED) {
                    pids.put(end.executorId(), byPartition.get(end.partition()));
                }
            }
            return pids.size() == 2;
        }, () -> "the pids of both executors: " + pids);
        return pids;
    }

    /** Every task end heard; the count of those that ended because a fetch failed. */
    private static final class FetchFailures implements SchedulerListener {
        private final List<TaskEnd> ended = new CopyOnWriteArrayList<>();

        @Override
        public void onTaskEnd(TaskEnd event) {
            ended.add(event);
        }

        List<TaskEnd> of(JobId job) {
            return ended.stream().filter(end -> end.jobId().equals(job)).toList();
        }

        long count() {
            return ended.stream().filter(TaskEnd::fetchFailed).count();
        }
    }

    @Test
    void withoutTheServiceTheLostOutputIsComputedAgain() {
        try (EmberContext ember = start(false)) {
            MapStageTasks maps = new MapStageTasks();
            PairDataset<Long, Long> sums = shuffleThenKillAnExecutor(ember, maps);

            assertEquals(expected(), sums.collectAsMap(), "exact after recomputing the lost map output");
            assertTrue(maps.count() > 8 && maps.count() < 16, "only the lost executor's map partitions ran again: "
                    + (maps.count() - 8) + " of 8");
        }
    }
}
