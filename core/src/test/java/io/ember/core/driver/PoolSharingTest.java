package io.ember.core.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.ember.api.scheduler.GroupStatus;
import io.ember.core.job.JobFailedException;
import io.ember.core.plugin.SchedulerReloader;
import io.ember.core.scheduler.SchedulerListener;
import io.ember.core.testing.Eventually;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Pools on a real {@code local-cluster[2,2]} (4 executor cores in two executor processes): cores
 * shared 1:3 by weight, a minShare honoured within one task duration, fifo order, fair sharing
 * inside a pool, and a weight changed in the file while jobs run.
 */
@Timeout(240)
final class PoolSharingTest {

    @TempDir
    Path dir;

    private EmberContext startFair(String... fairFile) throws IOException {
        return start("fair", List.of(fairFile));
    }

    private EmberContext start(String scheduler, List<String> schedulerFile) throws IOException {
        Path conf = Files.createDirectories(dir.resolve("conf"));
        Files.write(conf.resolve("scheduler-" + scheduler + ".properties"), schedulerFile);
        EmberContext ember = LocalApplications.builder(dir, "local-cluster[2,2]", "pools")
                .confDir(conf)
                .set("ember.scheduler", scheduler)
                .set("ember.scheduler.reloadInterval", "200ms")
                .set("ember.executor.cores", "2")
                .set("ember.executor.memory", "128m")
                .build();
        ember.awaitExecutors(2, Duration.ofSeconds(60));
        assertEquals(4, ember.executors().stream().mapToInt(e -> e.cores()).sum(), "4 executor cores");
        return ember;
    }

    /** A job of {@code tasks} tasks that each wait {@code millis} and return when they ran, by the wall clock. */
    private static List<long[]> timedTasks(EmberContext ember, int tasks, long millis) {
        return ember.range(0, tasks, tasks).map(i -> {
            long start = System.currentTimeMillis();
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(millis));
            return new long[] {start, System.currentTimeMillis()};
        }).collect();
    }

    private static CompletableFuture<List<long[]>> inPool(EmberContext ember, String pool, int tasks, long millis) {
        return CompletableFuture.supplyAsync(() -> ember.inPool(pool, () -> timedTasks(ember, tasks, millis)));
    }

    private static long firstStart(List<long[]> tasks) {
        return tasks.stream().mapToLong(t -> t[0]).min().orElseThrow();
    }

    private static long lastStart(List<long[]> tasks) {
        return tasks.stream().mapToLong(t -> t[0]).max().orElseThrow();
    }

    /** Milliseconds the tasks ran within [from, to]. */
    private static long busyWithin(List<long[]> tasks, long from, long to) {
        long sum = 0;
        for (long[] task : tasks) {
            sum += Math.max(0, Math.min(task[1], to) - Math.max(task[0], from));
        }
        return sum;
    }

    private static GroupStatus pool(EmberContext ember, String name) {
        return ember.schedulingPools().stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no pool " + name + " in " + ember.schedulingPools()));
    }

    /** Jobs accepted and tasks launched, in the order the scheduler did them. */
    private static final class Launches implements SchedulerListener {
        private final List<Object> events = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void onTaskStart(TaskStart event) {
            events.add(event);
        }

        @Override
        public void onJobStart(JobStart event) {
            events.add(event);
        }

        List<Object> all() {
            synchronized (events) {
                return List.copyOf(events);
            }
        }

        List<TaskStart> snapshot() {
            return all().stream().filter(TaskStart.class::isInstance).map(TaskStart.class::cast).toList();
        }

        int jobIdIn(String pool) {
            return all().stream().filter(JobStart.class::isInstance).map(JobStart.class::cast)
                    .filter(j -> j.pool().equals(pool)).findFirst().orElseThrow().jobId().value();
        }

        /** How many tasks of {@code jobId} had been launched when job {@code laterJobId} was accepted. */
        long launchedBefore(int jobId, int laterJobId) {
            long launched = 0;
            for (Object event : all()) {
                if (event instanceof JobStart job && job.jobId().value() == laterJobId) {
                    return launched;
                }
                if (event instanceof TaskStart task && task.jobId().value() == jobId) {
                    launched++;
                }
            }
            throw new AssertionError("job " + laterJobId + " was never accepted");
        }
    }

    @Test
    void poolsOfWeightOneAndThreeShareTaskTimeOneToThree() throws Exception {
        try (EmberContext ember = startFair("pool.light.weight=1", "pool.heavy.weight=3")) {
            CompletableFuture<List<long[]>> light = inPool(ember, "light", 100, 100);
            CompletableFuture<List<long[]>> heavy = inPool(ember, "heavy", 180, 100);
            List<long[]> lightTasks = light.get(120, TimeUnit.SECONDS);
            List<long[]> heavyTasks = heavy.get(120, TimeUnit.SECONDS);

            // both pools have tasks waiting from the later first start to the earlier last start
            long from = Math.max(firstStart(lightTasks), firstStart(heavyTasks));
            long to = Math.min(lastStart(lightTasks), lastStart(heavyTasks));
            long lightBusy = busyWithin(lightTasks, from, to);
            long heavyBusy = busyWithin(heavyTasks, from, to);
            double ratio = (double) lightBusy / heavyBusy;
            System.out.printf("pools light:heavy (weights 1:3) over %d ms while both waited: %d:%d task-ms, ratio %.3f%n",
                    to - from, lightBusy, heavyBusy, ratio);
            assertTrue(to - from >= 3_000, "both pools were busy together for " + (to - from) + " ms");
            assertTrue(Math.abs(ratio - 1.0 / 3) <= 0.1 / 3, "light:heavy task time " + ratio + " is not 1:3 +-10%");
        }
    }

    @Test
    void aPoolBelowItsMinShareGetsTwoCoresWithinOneTaskDuration() throws Exception {
        try (EmberContext ember = startFair("pool.bulk.weight=10", "pool.urgent.minShare=2")) {
            Launches launches = new Launches();
            ember.addListener(launches);
            CompletableFuture<List<long[]>> bulk = inPool(ember, "bulk", 40, 2_000);
            // once bulk's first tasks have finished, its stage has a known task time: a launch-ahead that
            // ignored how long tasks take would now queue bulk tasks behind the running ones
            Eventually.await(Duration.ofSeconds(60), () -> {
                GroupStatus status = pool(ember, "bulk");
                return status.running() >= 4 && 40 - status.pending() - status.running() >= 4;
            }, "bulk holds every core and has finished its first tasks");

            long submitted = System.currentTimeMillis();
            List<long[]> urgent = ember.inPool("urgent", () -> timedTasks(ember, 2, 2_000));
            long secondStart = lastStart(urgent);
            System.out.printf("urgent (minShare 2) got its 2nd core %d ms after submitting (tasks of 2000 ms)%n",
                    secondStart - submitted);

            List<SchedulerListener.TaskStart> starts = launches.snapshot();
            int urgentJob = launches.jobIdIn("urgent");
            int firstAfter = -1;
            for (int i = 0; i < starts.size(); i++) {
                if (starts.get(i).jobId().value() == urgentJob) {
                    firstAfter = i;
                    break;
                }
            }
            assertTrue(firstAfter >= 4, "bulk's first four tasks came first");
            assertEquals(urgentJob, starts.get(firstAfter + 1).jobId().value(), "the two cores freed next both went to urgent");
            // within one task duration, plus the time to ship and start a new stage; a core it waited
            // for behind a task queued ahead would take two durations
            assertTrue(secondStart - submitted <= 3_000,
                    "urgent's second task started " + (secondStart - submitted) + " ms after submitting; tasks take 2000");
            ember.cancelAllJobs();
            bulk.handle((result, error) -> null).get(60, TimeUnit.SECONDS);
        }
    }

    @Test
    void underFifoALaterJobStartsOnlyWhenTheEarlierHasNoTaskWaiting() throws Exception {
        try (EmberContext ember = start("fifo", List.of())) {
            List<SchedulerListener.TaskStart> starts = twoJobs(ember);
            int firstOfSecond = indexOfFirst(starts, 1);
            int lastOfFirst = indexOfLast(starts, 0);
            assertTrue(lastOfFirst < firstOfSecond, "job 1's first task (launch " + firstOfSecond
                    + ") came after job 0's last (launch " + lastOfFirst + ")");
        }
    }

    @Test
    void jobsInAPoolInFairModeShareItsCores() throws Exception {
        try (EmberContext ember = startFair("pool.default.mode=fair")) {
            List<SchedulerListener.TaskStart> starts = twoJobs(ember);
            int firstOfSecond = indexOfFirst(starts, 1);
            int lastOfFirst = indexOfLast(starts, 0);
            assertTrue(firstOfSecond < lastOfFirst, "job 1 started before job 0 launched its last task");
            long secondInMiddle = starts.subList(firstOfSecond, lastOfFirst).stream().filter(s -> s.jobId().value() == 1).count();
            double share = (double) secondInMiddle / (lastOfFirst - firstOfSecond);
            assertTrue(share > 0.35 && share < 0.65, "the later job got " + share + " of the launches while both waited");
        }
    }

    /** Job 0 (24 tasks of 100 ms), then job 1 (24 tasks) once job 0 runs: the launches in order. */
    private List<SchedulerListener.TaskStart> twoJobs(EmberContext ember) throws Exception {
        Launches launches = new Launches();
        ember.addListener(launches);
        CompletableFuture<List<long[]>> first = CompletableFuture.supplyAsync(() -> timedTasks(ember, 24, 100));
        Eventually.await(Duration.ofSeconds(30), () -> launches.snapshot().size() >= 4, "job 0 runs");
        CompletableFuture<List<long[]>> second = CompletableFuture.supplyAsync(() -> timedTasks(ember, 24, 100));
        first.get(60, TimeUnit.SECONDS);
        second.get(60, TimeUnit.SECONDS);
        Eventually.await(Duration.ofSeconds(10), () -> launches.snapshot().size() == 48, "48 launches heard");
        long launchedBefore = launches.launchedBefore(0, 1);
        assertTrue(launchedBefore < 20, "job 0 still had tasks waiting when job 1 came (" + launchedBefore
                + " of 24 launched)");
        return launches.snapshot();
    }

    private static int indexOfFirst(List<SchedulerListener.TaskStart> starts, int jobId) {
        for (int i = 0; i < starts.size(); i++) {
            if (starts.get(i).jobId().value() == jobId) {
                return i;
            }
        }
        throw new AssertionError("no launch of job " + jobId);
    }

    private static int indexOfLast(List<SchedulerListener.TaskStart> starts, int jobId) {
        for (int i = starts.size() - 1; i >= 0; i--) {
            if (starts.get(i).jobId().value() == jobId) {
                return i;
            }
        }
        throw new AssertionError("no launch of job " + jobId);
    }

    @Test
    void aWeightChangedInTheFileWhileJobsRunIsFollowedAndABrokenFileIsNot() throws Exception {
        Logger reloaderLog = (Logger) LoggerFactory.getLogger(SchedulerReloader.class);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        reloaderLog.addAppender(logged);
        try (EmberContext ember = startFair("pool.a.weight=1", "pool.b.weight=1")) {
            Path file = dir.resolve("conf/scheduler-fair.properties");
            CompletableFuture<List<long[]>> a = inPool(ember, "a", 2_000, 100);
            CompletableFuture<List<long[]>> b = inPool(ember, "b", 2_000, 100);
            Eventually.await(Duration.ofSeconds(30), () -> pool(ember, "a").running() == 2
                    && pool(ember, "b").running() == 2, () -> "2 cores each: " + ember.schedulingPools());

            Files.write(file, List.of("pool.a.weight=1", "pool.b.weight=3"));
            Eventually.await(Duration.ofSeconds(30), () -> pool(ember, "b").weight() == 3.0, "the new weight applies");
            Eventually.await(Duration.ofSeconds(30), () -> pool(ember, "a").running() == 1
                    && pool(ember, "b").running() == 3, () -> "1 and 3 cores: " + ember.schedulingPools());

            Files.write(file, List.of("pool.a.weight=1", "pool.b.weight=-3"));
            Eventually.await(Duration.ofSeconds(30), () -> logged.list.stream().anyMatch(e ->
                    e.getFormattedMessage().contains("ember.scheduler.fair.pool.b.weight")), "the broken file is reported");
            String report = logged.list.stream().map(ILoggingEvent::getFormattedMessage)
                    .filter(m -> m.contains("pool.b.weight")).findFirst().orElseThrow();
            assertTrue(report.contains("conf/scheduler-fair.properties:2") && report.contains("keeps its previous settings"),
                    report);
            assertEquals(3.0, pool(ember, "b").weight(), "the last good weight stays in force");
            Eventually.await(Duration.ofSeconds(30), () -> pool(ember, "a").running() == 1
                    && pool(ember, "b").running() == 3, () -> "still 1 and 3 cores: " + ember.schedulingPools());

            ember.cancelAllJobs();
            for (CompletableFuture<List<long[]>> job : List.of(a, b)) {
                try {
                    job.join();
                } catch (CompletionException e) {
                    assertTrue(e.getCause() instanceof JobFailedException, e.toString());
                }
            }
        } finally {
            reloaderLog.detachAppender(logged);
        }
    }
}
