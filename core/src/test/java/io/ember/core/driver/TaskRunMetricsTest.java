package io.ember.core.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.ember.core.dataset.Dataset;
import io.ember.core.dataset.Pair;
import io.ember.core.job.JobFailedException;
import io.ember.core.job.JobId;
import io.ember.core.job.StageId;
import io.ember.core.scheduler.SchedulerListener;
import io.ember.core.scheduler.StagePlanner;
import io.ember.core.scheduler.TaskRunMetrics;
import io.ember.core.testing.Eventually;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.ToLongFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * What a scheduler listener hears of each task, end to end: executors measure, the figures travel
 * (over the executor's stream on {@code local-cluster[2,1]}, in-process on {@code local[2]}) and
 * every {@link SchedulerListener.TaskEnd} carries them. A {@code reduceByKey} over 0..999 keyed by
 * {@code i % 7}, in 4 map partitions of 250 consecutive numbers (each holding all 7 keys), writes
 * exactly 4 x 7 combined records, which its 3 reduce tasks read back.
 */
@Timeout(240)
final class TaskRunMetricsTest {

    private static final int MAPS = 4;
    private static final int KEYS = 7;
    private static final Pattern MAP_STAGE_BYTES = Pattern.compile("Map stage of shuffle \\d+ \\(job (\\d+)\\): "
            + "\\d+ task\\(s\\) wrote (\\d+) bytes");

    @TempDir
    Path dir;

    @Test
    void aClustersExecutorsReportEveryFigureOfTheirTasks() {
        everyFigureArrives("local-cluster[2,1]");
    }

    @Test
    void localModeReportsEveryFigureOfItsTasks() {
        everyFigureArrives("local[2]");
    }

    private void everyFigureArrives(String master) {
        Logger stagesLog = (Logger) LoggerFactory.getLogger(StagePlanner.class);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        stagesLog.addAppender(logged);
        Heard heard = new Heard();
        try (EmberContext ember = LocalApplications.builder(dir, master, "task-metrics")
                .set("ember.executor.memory", "192m")
                .set("ember.task.maxFailures", "1")
                .build()) {
            ember.addListener(heard);
            if (master.startsWith("local-cluster")) {
                ember.awaitExecutors(2, Duration.ofSeconds(60));
            }

            Map<Long, Long> counts = ember.range(0, 1_000, MAPS).mapToPair(i -> new Pair<>(i % KEYS, 1L))
                    .reduceByKey(Long::sum, 3).collectAsMap();
            JobId shuffleJob = heard.awaitEnd(ember.lastJobSummary().orElseThrow().jobId());

            Dataset<Long> cached = ember.range(0, 400, MAPS).map(i -> i * 2).cache();
            assertEquals(400, cached.count());
            assertEquals(400, cached.count());
            JobId cachedJob = heard.awaitEnd(ember.lastJobSummary().orElseThrow().jobId());

            JobFailedException failure = assertThrows(JobFailedException.class, () -> ember.range(0, 4, 2)
                    .map(i -> {
                        if (i == 3) {
                            throw new IllegalStateException("record " + i + " is bad");
                        }
                        return i;
                    }).collect());
            JobId failedJob = heard.awaitFailedJob();

            assertEquals(Map.of(0L, 143L, 1L, 143L, 2L, 143L, 3L, 143L, 4L, 143L, 5L, 143L, 6L, 142L), counts);
            assertTrue(failure.getMessage().contains("record 3 is bad"), failure.getMessage());
            shuffleFiguresAddUp(heard, shuffleJob, driverKnownMapBytes(logged, shuffleJob));
            cachedPartitionsAreReadWhereTheyAreCached(heard, cachedJob);
            aFailedTaskSaysWhy(heard, failedJob);
        } finally {
            stagesLog.detachAppender(logged);
        }
    }

    /** The bytes the driver's stage planner says the job's map stage wrote, from its map statuses. */
    private static long driverKnownMapBytes(ListAppender<ILoggingEvent> logged, JobId job) {
        for (ILoggingEvent event : logged.list) {
            Matcher m = MAP_STAGE_BYTES.matcher(event.getFormattedMessage());
            if (m.find() && Integer.parseInt(m.group(1)) == job.value()) {
                return Long.parseLong(m.group(2));
            }
        }
        throw new AssertionError("the driver logged no map stage of job " + job + ": " + logged.list);
    }

    private static void shuffleFiguresAddUp(Heard heard, JobId job, long mapBytesTheDriverKnows) {
        List<SchedulerListener.TaskEnd> maps = heard.finished(job, true);
        List<SchedulerListener.TaskEnd> reduces = heard.finished(job, false);
        assertEquals(MAPS, maps.size(), "one finished map task per partition: " + maps);
        assertEquals(3, reduces.size(), "one finished reduce task per partition: " + reduces);

        long written = sum(maps, TaskRunMetrics::shuffleWriteRecords);
        long writtenBytes = sum(maps, TaskRunMetrics::shuffleWriteBytes);
        assertEquals((long) MAPS * KEYS, written, "one combined record per key per map partition");
        assertTrue(writtenBytes > 0, maps.toString());
        assertEquals(mapBytesTheDriverKnows, writtenBytes, "what the driver's map statuses say was written");
        assertEquals(written, sum(reduces, TaskRunMetrics::shuffleReadRecords), "every record written was read");
        assertEquals(writtenBytes, sum(reduces, TaskRunMetrics::shuffleReadBytes), "every byte written was read");
        assertEquals(0, sum(maps, TaskRunMetrics::shuffleReadRecords), "the map tasks read no shuffle");
        assertEquals(0, sum(reduces, TaskRunMetrics::shuffleWriteRecords), "the reduce tasks write no shuffle");
        for (SchedulerListener.TaskEnd end : maps) {
            assertTrue(end.metrics().shuffleWriteRecords() == KEYS, end.toString());
        }
        for (SchedulerListener.TaskEnd end : concat(maps, reduces)) {
            TaskRunMetrics metrics = end.metrics();
            assertTrue(metrics.resultBytes() > 0, "its result (a map status or the reduced pairs): " + end);
            assertTrue(metrics.runNanos() > 0, end.toString());
            assertTrue(metrics.gcMillis() >= 0, end.toString());
            assertEquals("", end.reason(), end.toString());
        }
        assertTrue(sum(maps, TaskRunMetrics::deserializeNanos) > 0, "the map stage's code was deserialized: " + maps);
        assertTrue(sum(reduces, TaskRunMetrics::deserializeNanos) > 0, "so was the result stage's: " + reduces);
    }

    /** The second count reads every partition from the cache, on the executor that cached it. */
    private static void cachedPartitionsAreReadWhereTheyAreCached(Heard heard, JobId job) {
        List<SchedulerListener.TaskEnd> ends = heard.finished(job, false);
        assertEquals(MAPS, ends.size(), ends.toString());
        for (SchedulerListener.TaskEnd end : ends) {
            assertEquals(1, end.metrics().cacheHits(), end.toString());
            assertEquals(0, end.metrics().cacheMisses(), end.toString());
            SchedulerListener.TaskStart start = heard.start(end.taskId());
            assertEquals(SchedulerListener.Locality.PROCESS_LOCAL, start.locality(), start.toString());
            assertEquals(end.executorId(), start.executorId());
        }
    }

    private static void aFailedTaskSaysWhy(Heard heard, JobId job) {
        List<SchedulerListener.TaskEnd> failed = heard.ends.stream()
                .filter(e -> e.jobId().equals(job) && e.outcome() == SchedulerListener.Outcome.FAILED).toList();
        assertEquals(1, failed.size(), heard.ends.toString());
        assertEquals("java.lang.IllegalStateException: record 3 is bad", failed.get(0).reason());
        assertTrue(failed.get(0).metrics().runNanos() > 0, failed.toString());
        assertEquals(0, failed.get(0).metrics().resultBytes(), "a failed task has no result");
    }

    private static long sum(List<SchedulerListener.TaskEnd> ends, ToLongFunction<TaskRunMetrics> figure) {
        return ends.stream().mapToLong(e -> figure.applyAsLong(e.metrics())).sum();
    }

    private static List<SchedulerListener.TaskEnd> concat(List<SchedulerListener.TaskEnd> a,
                                                          List<SchedulerListener.TaskEnd> b) {
        return Stream.concat(a.stream(), b.stream()).toList();
    }

    /** What the listener heard: map stages, task starts by task id, task ends and job ends in order. */
    static final class Heard implements SchedulerListener {
        final Set<StageId> mapStages = ConcurrentHashMap.newKeySet();
        final Map<Long, TaskStart> starts = new ConcurrentHashMap<>();
        final List<TaskEnd> ends = new CopyOnWriteArrayList<>();
        final List<JobEnd> jobEnds = new CopyOnWriteArrayList<>();

        @Override
        public void onStageSubmitted(StageSubmitted event) {
            if (event.description().startsWith("map stage")) {
                mapStages.add(event.stageId());
            }
        }

        @Override
        public void onTaskStart(TaskStart event) {
            starts.put(event.taskId(), event);
        }

        @Override
        public void onTaskEnd(TaskEnd event) {
            ends.add(event);
        }

        @Override
        public void onJobEnd(JobEnd event) {
            jobEnds.add(event);
        }

        /** Waits for the job's end (its tasks' events come before it); returns the job. */
        JobId awaitEnd(JobId job) {
            Eventually.await(Duration.ofSeconds(30), () -> jobEnds.stream().anyMatch(e -> e.jobId().equals(job)),
                    () -> job + " ended: " + jobEnds);
            return job;
        }

        /** Waits for a job to end failed; returns it. */
        JobId awaitFailedJob() {
            Eventually.await(Duration.ofSeconds(30), () -> jobEnds.stream().anyMatch(e -> !e.succeeded()),
                    () -> "a job failed: " + jobEnds);
            return jobEnds.stream().filter(e -> !e.succeeded()).findFirst().orElseThrow().jobId();
        }

        /** The finished tasks of the job's map stages ({@code map}) or of its other stages. */
        List<TaskEnd> finished(JobId job, boolean map) {
            return ends.stream().filter(e -> e.jobId().equals(job) && e.outcome() == Outcome.FINISHED
                    && mapStages.contains(e.stageId()) == map).toList();
        }

        TaskStart start(long taskId) {
            TaskStart start = starts.get(taskId);
            if (start == null) {
                throw new AssertionError("no start of task " + taskId + " was heard");
            }
            return start;
        }
    }
}
