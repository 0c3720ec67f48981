package io.ember.core.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.ember.api.config.DeclaredSettings;
import io.ember.api.scheduler.SchedulingLevel;
import io.ember.api.testkit.ManualClock;
import io.ember.core.job.JobFailedException;
import io.ember.core.job.JobId;
import io.ember.core.job.Stage;
import io.ember.core.scheduler.TaskOutcome.TaskFailure;
import io.ember.core.serialization.JavaSerializer;
import io.ember.core.serialization.PayloadFilter;
import io.ember.core.storage.BlockChange;
import io.ember.core.task.BlockId;
import io.ember.core.task.StageCode;
import io.ember.core.task.TaskContext;
import io.ember.core.task.TaskNotRetryableException;
import io.ember.core.testing.Eventually;
import io.ember.scheduler.fifo.FifoSchedulerFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

@Timeout(60)
final class TaskSchedulerTest {

    private static final JavaSerializer SERIALIZER = new JavaSerializer(PayloadFilter.standard());
    private static final Duration WAIT = Duration.ofSeconds(10);

    private TaskScheduler scheduler;

    @AfterEach
    void closeScheduler() {
        if (scheduler != null) {
            scheduler.close();
        }
    }

    private TaskScheduler scheduler(int maxFailures, Duration localityWait, long maxResultBytes) {
        return scheduler(maxFailures, localityWait, maxResultBytes, 0);
    }

    private TaskScheduler scheduler(int maxFailures, Duration localityWait, long maxResultBytes, int launchAhead) {
        scheduler = new TaskScheduler(new SchedulerSettings(maxFailures, 1, localityWait, maxResultBytes,
                launchAhead, Duration.ofMillis(50)),
                new FifoSchedulerFactory().create(DeclaredSettings.of(List.of(), Map.of())).createQueue(SchedulingLevel.TASK_SETS),
                SERIALIZER, Clock.systemUTC());
        return scheduler;
    }

    private TaskScheduler scheduler() {
        return scheduler(4, Duration.ZERO, 1L << 30);
    }

    private static Stage job(int partitions) {
        return new Stage("test job", new Doubler(), IntStream.range(0, partitions).toArray(), new int[0]);
    }

    private static TaskOutcome doubled(TaskLaunch task) {
        return TaskOutcome.finished(task.taskId(), SERIALIZER.serialize(task.partition() * 2),
                TaskRunMetrics.NONE);
    }

    private static TaskOutcome ran(TaskOutcome outcome, Duration runTime) {
        return new TaskOutcome(outcome.taskId(), outcome.state(), outcome.result(), outcome.failure(),
                TaskRunMetrics.of(runTime.toNanos(), outcome.metrics().cacheHits(), outcome.metrics().cacheMisses()));
    }

    private static TaskOutcome failure(TaskLaunch task, RuntimeException error) {
        return TaskOutcome.failed(task.taskId(), new TaskFailure(error.getClass().getName(), error.getMessage(),
                "at somewhere", SERIALIZER.serialize(error), !(error instanceof TaskNotRetryableException)), TaskRunMetrics.NONE);
    }

    private final AtomicInteger jobIds = new AtomicInteger();

    /** Runs the stage as the only stage of a new job (the first is job 0). */
    private <R> StageResult<R> run(Stage stage) {
        return scheduler.runStage(new JobId(jobIds.getAndIncrement()), stage, TaskScheduler.DEFAULT_POOL,
                getClass().getClassLoader());
    }

    private <R> CompletableFuture<StageResult<R>> submit(Stage job) {
        return CompletableFuture.supplyAsync(() -> run(job));
    }

    /**
     * A job that waits for executors is reported as waiting for executors; once one has registered,
     * the wait for its tasks counts from then, not from the job's submission.
     */
    @Test
    void aStalledJobIsReportedByWhatItWaitsForCountedFromWhenItCouldRun() throws Exception {
        ManualClock clock = new ManualClock();
        scheduler = new TaskScheduler(new SchedulerSettings(4, 1, Duration.ZERO, 1L << 30, 0, Duration.ofMillis(50)),
                new FifoSchedulerFactory().create(DeclaredSettings.of(List.of(), Map.of()))
                        .createQueue(SchedulingLevel.TASK_SETS), SERIALIZER, clock);
        Logger logger = (Logger) LoggerFactory.getLogger(TaskScheduler.class);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        logger.addAppender(logged);
        try {
            CompletableFuture<StageResult<Integer>> result = submit(job(1));
            Eventually.await(WAIT, () -> logged.list.stream().anyMatch(e -> e.getFormattedMessage()
                    .contains("waits for executors: none has registered yet")), "the job is submitted");

            clock.advance(Duration.ofSeconds(12));
            scheduler.reportStalls();
            assertEquals(1, warnings(logged, "No executor has registered for 12 s; TaskSet[job-0/stage-0"),
                    logged.list.toString());

            FakeExecutor silent = new FakeExecutor("a", 1).attach(scheduler).respondWith(task -> null);
            scheduler.executorAdded(silent);
            Eventually.await(WAIT, () -> silent.launched().size() == 1, "the task is sent");
            clock.advance(Duration.ofSeconds(8));
            scheduler.reportStalls();
            assertEquals(0, warnings(logged, "No task of any job ended"), "8 s since the executor registered");

            clock.advance(Duration.ofSeconds(3));
            scheduler.reportStalls();
            assertEquals(1, warnings(logged, "No task of any job ended for 11 s; TaskSet[job-0/stage-0"),
                    logged.list.toString());

            silent.respondWith(TaskSchedulerTest::doubled).answerHeld();
            assertEquals(List.of(0), result.get(10, TimeUnit.SECONDS).results());
        } finally {
            logger.detachAppender(logged);
        }
    }

    private static long warnings(ListAppender<ILoggingEvent> logged, String prefix) {
        return logged.list.stream().filter(e -> e.getLevel() == Level.WARN)
                .filter(e -> e.getFormattedMessage().startsWith(prefix)).count();
    }

    @Test
    void runsOneTaskPerPartitionAndReturnsResultsInPartitionOrder() {
        TaskScheduler scheduler = scheduler();
        FakeExecutor a = new FakeExecutor("a", 2).attach(scheduler).respondWith(TaskSchedulerTest::doubled);
        FakeExecutor b = new FakeExecutor("b", 1).attach(scheduler).respondWith(TaskSchedulerTest::doubled);
        scheduler.executorAdded(a);
        scheduler.executorAdded(b);

        StageResult<Integer> result = run(job(100));

        assertEquals(IntStream.range(0, 100).map(p -> p * 2).boxed().toList(), result.results());
        assertEquals(100, a.launched().size() + b.launched().size());
        assertTrue(a.launched().size() > 0 && b.launched().size() > 0, "both executors ran tasks");
        assertEquals(100, result.tasks());
        assertEquals(100, result.attempts());
        assertEquals(2, result.executors());
    }

    @Test
    void removesOnlyTheIdleExecutorsOfThoseAskedAndKeepsSchedulingOnTheBusyOne() throws Exception {
        TaskScheduler scheduler = scheduler();
        FakeExecutor a = new FakeExecutor("a", 1).attach(scheduler).respondWith(task -> null);
        FakeExecutor b = new FakeExecutor("b", 1).attach(scheduler).respondWith(task -> null);
        scheduler.executorAdded(a);
        scheduler.executorAdded(b);
        Eventually.await(WAIT, () -> scheduler.totalCores() == 2, "both executors added");
        CompletableFuture<StageResult<Integer>> result = submit(job(1));
        Eventually.await(WAIT, () -> a.launched().size() + b.launched().size() == 1, "the task is sent");
        FakeExecutor busy = a.launched().isEmpty() ? b : a;
        FakeExecutor idle = busy == a ? b : a;

        assertEquals(Set.of(idle.executorId()),
                scheduler.removeIdleExecutors(List.of("a", "b", "no-such-executor"), "released"));

        assertEquals(1, scheduler.totalCores(), "the idle one is gone");
        busy.respondWith(TaskSchedulerTest::doubled).answerHeld();
        assertEquals(List.of(0), result.get(10, TimeUnit.SECONDS).results());
        assertEquals(Set.of(busy.executorId()), scheduler.removeIdleExecutors(List.of("a", "b"), "released"),
                "idle now that its task ended");
        assertEquals(0, scheduler.totalCores());
    }

    @Test
    void sendsAStagesCodeToEachExecutorOnce() {
        TaskScheduler scheduler = scheduler();
        FakeExecutor a = new FakeExecutor("a", 1).attach(scheduler).respondWith(TaskSchedulerTest::doubled);
        scheduler.executorAdded(a);

        run(job(50));

        long codes = a.launches().stream().mapToInt(launch -> launch.stages().size()).sum();
        assertEquals(1, codes);
        StageCode code = (StageCode) SERIALIZER.deserialize(a.launches().get(0).stages().get(0).code(),
                getClass().getClassLoader());
        assertInstanceOf(Doubler.class, code);
        assertTrue(a.received().stream().anyMatch(FakeExecutor.Forget.class::isInstance),
                "the stage is forgotten when the job ends");
    }

    @Test
    void neverLaunchesMoreTasksThanAnExecutorHasCores() throws Exception {
        TaskScheduler scheduler = scheduler();
        FakeExecutor a = new FakeExecutor("a", 3).attach(scheduler);
        scheduler.executorAdded(a);
        CompletableFuture<StageResult<Integer>> job = submit(job(10));

        Eventually.await(WAIT, () -> a.held().size() == 3, "three tasks run");
        a.respondWith(TaskSchedulerTest::doubled);
        a.answerHeld();

        assertEquals(10, job.get(10, TimeUnit.SECONDS).results().size());
        assertEquals(3, a.maxOutstanding());
    }

    @Test
    void queuesLaunchAheadTasksPerCoreOnceTheStagesTasksProveShort() throws Exception {
        TaskScheduler scheduler = scheduler(4, Duration.ZERO, 1L << 30, 2);
        FakeExecutor a = new FakeExecutor("a", 2).attach(scheduler);
        scheduler.executorAdded(a);
        CompletableFuture<StageResult<Integer>> job = submit(job(20));

        Eventually.await(WAIT, () -> a.held().size() == 2, "the first two tasks sent");
        scheduler.pools();   // a round trip: the scheduler is done with the launches of that round
        assertEquals(2, a.held().size(), "nothing is sent ahead before a task of the stage has run");

        a.respondWith(task -> task.partition() < 2 ? ran(doubled(task), Duration.ofMillis(1)) : null);
        a.answerHeld();
        Eventually.await(WAIT, () -> a.held().size() == 6, "2 cores x (1 + 2 ahead) tasks sent");
        scheduler.pools();
        assertEquals(6, a.held().size());

        a.respondWith(task -> ran(doubled(task), Duration.ofMillis(1)));
        a.answerHeld();
        assertEquals(20, job.get(10, TimeUnit.SECONDS).results().size());
        assertEquals(6, a.maxOutstanding());
    }

    @Test
    void neverSendsLongTasksAheadOfFreeCores() throws Exception {
        TaskScheduler scheduler = scheduler(4, Duration.ZERO, 1L << 30, 2);
        FakeExecutor a = new FakeExecutor("a", 2).attach(scheduler);
        scheduler.executorAdded(a);
        CompletableFuture<StageResult<Integer>> job = submit(job(6));

        Eventually.await(WAIT, () -> a.held().size() == 2, "the first two tasks sent");
        a.respondWith(task -> task.partition() < 2 ? ran(doubled(task), Duration.ofMillis(200)) : null);
        a.answerHeld();
        Eventually.await(WAIT, () -> a.launched().size() == 4, "the next two tasks sent");
        scheduler.pools();
        assertEquals(2, a.held().size(), "tasks of 200 ms are never queued behind others (limit 50 ms)");

        a.respondWith(task -> ran(doubled(task), Duration.ofMillis(200)));
        a.answerHeld();
        assertEquals(6, job.get(10, TimeUnit.SECONDS).results().size());
        assertEquals(2, a.maxOutstanding());
    }

    @Test
    void retriesAFailedTaskElsewhereThenFailsTheJobWithTheOriginalError() {
        TaskScheduler scheduler = scheduler(3, Duration.ZERO, 1L << 30);
        FakeExecutor a = new FakeExecutor("a", 1).attach(scheduler).respondWith(task -> task.partition() == 3
                ? failure(task, new IllegalStateException("boom in partition 3")) : doubled(task));
        FakeExecutor b = new FakeExecutor("b", 1).attach(scheduler).respondWith(task -> task.partition() == 3
                ? failure(task, new IllegalStateException("boom in partition 3")) : doubled(task));
        scheduler.executorAdded(a);
        scheduler.executorAdded(b);

        JobFailedException e = assertThrows(JobFailedException.class,
                () -> run(job(8)));

        assertInstanceOf(IllegalStateException.class, e.getCause());
        assertEquals("boom in partition 3", e.getCause().getMessage());
        assertTrue(e.getMessage().contains("partition 3 failed 3 time(s)"), e.getMessage());
        List<TaskLaunch> attempts = Stream.concat(a.launched().stream(), b.launched().stream())
                .filter(t -> t.partition() == 3).toList();
        assertEquals(3, attempts.size());
        assertEquals(List.of(0, 1, 2), attempts.stream().map(TaskLaunch::attempt).sorted().toList());
        // a retry goes to the other executor: the two executors alternate
        boolean onA = a.launched().stream().anyMatch(t -> t.partition() == 3);
        boolean onB = b.launched().stream().anyMatch(t -> t.partition() == 3);
        assertTrue(onA && onB, "partition 3 was tried on both executors");
    }

    /**
     * A failure the executor calls not retryable fails the job on its first attempt, although
     * {@code maxFailures} would allow three and another executor is free, naming the executor's host.
     */
    @Test
    void aFailureThatRetryingCannotCureFailsTheJobOnItsFirstAttemptNamingTheHost() {
        TaskScheduler scheduler = scheduler(3, Duration.ZERO, 1L << 30);
        FakeExecutor a = new FakeExecutor("a", 1).attach(scheduler).respondWith(task -> task.partition() == 3
                ? failure(task, new TaskNotRetryableException("the directory /out is not on this host"))
                : doubled(task));
        FakeExecutor b = new FakeExecutor("b", 1).attach(scheduler).respondWith(task -> task.partition() == 3
                ? failure(task, new TaskNotRetryableException("the directory /out is not on this host"))
                : doubled(task));
        scheduler.executorAdded(a);
        scheduler.executorAdded(b);

        JobFailedException e = assertThrows(JobFailedException.class, () -> run(job(8)));

        List<TaskLaunch> attempts = Stream.concat(a.launched().stream(), b.launched().stream())
                .filter(t -> t.partition() == 3).toList();
        assertEquals(1, attempts.size(), "one attempt, no retry: " + attempts);
        String executor = a.launched().contains(attempts.get(0)) ? "a" : "b";
        assertEquals("Job 0 (test job) failed: the task of partition 3 failed on executor " + executor
                + " (host test-host) in a way running it again cannot cure, so it was not retried: "
                + "the directory /out is not on this host", e.getMessage());
        assertInstanceOf(TaskNotRetryableException.class, e.getCause());
    }

    @Test
    void staysUsableAfterAFailedJob() {
        TaskScheduler scheduler = scheduler(1, Duration.ZERO, 1L << 30);
        FakeExecutor a = new FakeExecutor("a", 1).attach(scheduler)
                .respondWith(task -> failure(task, new IllegalArgumentException("bad")));
        scheduler.executorAdded(a);
        assertThrows(JobFailedException.class, () -> run(job(4)));

        a.respondWith(TaskSchedulerTest::doubled);
        StageResult<Integer> result = run(job(4));

        assertEquals(List.of(0, 2, 4, 6), result.results());
    }

    @Test
    void resubmitsTheTasksOfALostExecutorWithoutCountingThemAsFailures() throws Exception {
        TaskScheduler scheduler = scheduler(1, Duration.ZERO, 1L << 30);
        FakeExecutor silent = new FakeExecutor("silent", 2).attach(scheduler);
        scheduler.executorAdded(silent);
        CompletableFuture<StageResult<Integer>> job = submit(job(6));
        Eventually.await(WAIT, () -> silent.held().size() == 2, "two tasks run on the silent executor");

        FakeExecutor healthy = new FakeExecutor("healthy", 1).attach(scheduler)
                .respondWith(TaskSchedulerTest::doubled);
        scheduler.executorRemoved("silent", "its process died");
        scheduler.executorAdded(healthy);

        StageResult<Integer> result = job.get(10, TimeUnit.SECONDS);
        assertEquals(List.of(0, 2, 4, 6, 8, 10), result.results());
        assertEquals(6, healthy.launched().size());
        assertEquals(2, result.failedAttempts());
    }

    @Test
    void ignoresAnUpdateFromAnExecutorThatDoesNotRunTheTask() throws Exception {
        TaskScheduler scheduler = scheduler();
        FakeExecutor a = new FakeExecutor("a", 1).attach(scheduler);
        scheduler.executorAdded(a);
        CompletableFuture<StageResult<Integer>> job = submit(job(1));
        Eventually.await(WAIT, () -> a.held().size() == 1, "the task runs");
        TaskLaunch task = a.held().get(0);

        scheduler.tasksEnded("impostor", List.of(TaskOutcome.finished(task.taskId(), SERIALIZER.serialize(666),
                TaskRunMetrics.NONE)));
        a.respondWith(TaskSchedulerTest::doubled);
        a.answerHeld();

        assertEquals(List.of(0), job.get(10, TimeUnit.SECONDS).results());
    }

    @Test
    void runsATaskAgainWhoseUploadedResultIsMissing() throws Exception {
        TaskScheduler scheduler = scheduler();
        FakeExecutor a = new FakeExecutor("a", 1).attach(scheduler);
        scheduler.executorAdded(a);
        CompletableFuture<StageResult<Integer>> job = submit(job(1));
        Eventually.await(WAIT, () -> a.held().size() == 1, "the task runs");

        a.respondWith(t -> t.attempt() == 0 ? TaskOutcome.finished(t.taskId(), null, TaskRunMetrics.NONE) : null);
        a.answerHeld();
        Eventually.await(WAIT, () -> a.held().size() == 1 && a.launched().size() == 2, "the task is launched again");
        a.respondWith(TaskSchedulerTest::doubled);
        a.answerHeld();

        assertEquals(List.of(0), job.get(10, TimeUnit.SECONDS).results());
        assertEquals(List.of(0, 1), a.launched().stream().map(TaskLaunch::attempt).toList());
    }

    @Test
    void failsAJobWhoseResultsExceedTheLimitNamingTheKey() {
        TaskScheduler scheduler = scheduler(4, Duration.ZERO, 200);
        FakeExecutor a = new FakeExecutor("a", 1).attach(scheduler).respondWith(TaskSchedulerTest::doubled);
        scheduler.executorAdded(a);

        JobFailedException e = assertThrows(JobFailedException.class,
                () -> run(job(10)));

        assertTrue(e.getMessage().contains("exceed ember.driver.maxResultSize (200 bytes)"), e.getMessage());
    }

    @Test
    void cancellingAJobKillsItsRunningTasks() throws Exception {
        TaskScheduler scheduler = scheduler();
        FakeExecutor a = new FakeExecutor("a", 2).attach(scheduler);
        scheduler.executorAdded(a);
        CompletableFuture<StageResult<Integer>> job = submit(job(5));
        Eventually.await(WAIT, () -> a.held().size() == 2, "two tasks run");

        scheduler.cancelJob(new JobId(0), "the user asked");

        ExecutionException e = assertThrows(ExecutionException.class, () -> job.get(10, TimeUnit.SECONDS));
        assertInstanceOf(JobFailedException.class, e.getCause());
        assertTrue(e.getCause().getMessage().contains("was cancelled: the user asked"), e.getCause().getMessage());
        Eventually.await(WAIT, () -> a.received().stream().filter(FakeExecutor.Kill.class::isInstance).count() == 2,
                "both running tasks are killed");
    }

    @Test
    void prefersTheExecutorCachingATasksInputAndTellsListenersTheTasksRanProcessLocal() {
        TaskScheduler scheduler = scheduler(4, Duration.ofHours(1), 1L << 30);
        Heard heard = new Heard();
        scheduler.addListener(heard);
        FakeExecutor a = new FakeExecutor("a", 1).attach(scheduler).respondWith(TaskSchedulerTest::doubled);
        FakeExecutor b = new FakeExecutor("b", 1).attach(scheduler).respondWith(TaskSchedulerTest::doubled);
        scheduler.executorAdded(a);
        scheduler.executorAdded(b);
        List<BlockChange> cached = new ArrayList<>();
        for (int p = 0; p < 6; p++) {
            cached.add(new BlockChange(new BlockId(7, p), true, 10));
        }
        scheduler.blocksChanged("b", cached);

        StageResult<Integer> result = run(new Stage("cached", new Doubler(), IntStream.range(0, 6).toArray(),
                new int[] {7}));

        assertEquals(List.of(0, 2, 4, 6, 8, 10), result.results());
        assertEquals(6, b.launched().size());
        assertEquals(0, a.launched().size());
        Eventually.await(WAIT, () -> heard.starts().size() == 6, () -> "6 task starts: " + heard.starts());
        for (SchedulerListener.TaskStart start : heard.starts()) {
            assertEquals("b", start.executorId());
            assertEquals(SchedulerListener.Locality.PROCESS_LOCAL, start.locality(), start.toString());
        }
    }

    @Test
    void tellsListenersATaskWithoutAPreferenceRanAny() {
        TaskScheduler scheduler = scheduler();
        Heard heard = new Heard();
        scheduler.addListener(heard);
        FakeExecutor a = new FakeExecutor("a", 1).attach(scheduler).respondWith(TaskSchedulerTest::doubled);
        scheduler.executorAdded(a);

        run(job(2));

        Eventually.await(WAIT, () -> heard.starts().size() == 2, () -> "2 task starts: " + heard.starts());
        assertEquals(List.of(SchedulerListener.Locality.ANY, SchedulerListener.Locality.ANY),
                heard.starts().stream().map(SchedulerListener.TaskStart::locality).toList());
    }

    @Test
    void tellsListenersWhatEachTaskMeasuredAndWhyAFailedOneFailed() {
        TaskScheduler scheduler = scheduler(2, Duration.ZERO, 1L << 30);
        Heard heard = new Heard();
        scheduler.addListener(heard);
        TaskRunMetrics measured = new TaskRunMetrics(11, 12, 13, 14, 15, 16, 17, 18, 1, 2, 3, 19);
        FakeExecutor a = new FakeExecutor("a", 1).attach(scheduler).respondWith(task -> task.attempt() == 0
                ? TaskOutcome.failed(task.taskId(), new TaskFailure(IllegalStateException.class.getName(),
                        "no disk", "at somewhere", new byte[0], true), measured)
                : TaskOutcome.finished(task.taskId(), doubled(task).result(), measured));
        scheduler.executorAdded(a);

        run(job(1));

        Eventually.await(WAIT, () -> heard.ends().size() == 2, () -> "2 task ends: " + heard.ends());
        SchedulerListener.TaskEnd failed = heard.ends().get(0);
        SchedulerListener.TaskEnd finished = heard.ends().get(1);
        assertEquals(SchedulerListener.Outcome.FAILED, failed.outcome());
        assertEquals("java.lang.IllegalStateException: no disk", failed.reason());
        assertEquals(measured, failed.metrics());
        assertEquals(SchedulerListener.Outcome.FINISHED, finished.outcome());
        assertEquals("", finished.reason());
        assertEquals(measured, finished.metrics(), "every figure the executor measured, as it measured it");
    }

    /** The task starts and ends a listener heard, in order. */
    static final class Heard implements SchedulerListener {
        private final List<TaskStart> starts = new CopyOnWriteArrayList<>();
        private final List<TaskEnd> ends = new CopyOnWriteArrayList<>();

        @Override
        public void onTaskStart(TaskStart event) {
            starts.add(event);
        }

        @Override
        public void onTaskEnd(TaskEnd event) {
            ends.add(event);
        }

        List<TaskStart> starts() {
            return List.copyOf(starts);
        }

        List<TaskEnd> ends() {
            return List.copyOf(ends);
        }
    }

    @Test
    void runsACachedTasksElsewhereOnceItsExecutorIsLost() throws Exception {
        TaskScheduler scheduler = scheduler(4, Duration.ofHours(1), 1L << 30);
        FakeExecutor a = new FakeExecutor("a", 1).attach(scheduler).respondWith(TaskSchedulerTest::doubled);
        FakeExecutor b = new FakeExecutor("b", 1).attach(scheduler);
        scheduler.executorAdded(a);
        scheduler.executorAdded(b);
        scheduler.blocksChanged("b", List.of(new BlockChange(new BlockId(7, 0), true, 0)));
        CompletableFuture<StageResult<Integer>> job = submit(new Stage("cached", new Doubler(), new int[] {0, 1},
                new int[] {7}));
        Eventually.await(WAIT, () -> b.held().size() == 1, "partition 0 waits on b");

        scheduler.executorRemoved("b", "killed");

        assertEquals(List.of(0, 2), job.get(10, TimeUnit.SECONDS).results());
        assertEquals(2, a.launched().size());
    }

    @Test
    void refusesCodeThatIsNotSerializableNamingTheClass() {
        TaskScheduler scheduler = scheduler();
        Object notSerializable = new Object();
        StageCode code = (partition, context) -> notSerializable.hashCode();

        JobFailedException e = assertThrows(JobFailedException.class, () -> run(new Stage("bad", code,
                new int[] {0}, new int[0])));

        assertTrue(e.getMessage().contains("java.lang.Object"), e.getMessage());
    }

    @Test
    void recordsCacheHitsAndMissesInTheSummary() {
        TaskScheduler scheduler = scheduler();
        FakeExecutor a = new FakeExecutor("a", 1).attach(scheduler).respondWith(task -> TaskOutcome.finished(
                task.taskId(), doubled(task).result(), TaskRunMetrics.of(0, 1, task.partition() == 0 ? 1 : 0)));
        scheduler.executorAdded(a);

        StageResult<Integer> result = run(job(3));

        assertEquals(3, result.cacheHits());
        assertEquals(1, result.cacheMisses());
    }

    /** Test stage code: each partition's result is its index doubled. */
    record Doubler() implements StageCode {
        @Override
        public Object runTask(int partition, TaskContext context) {
            return partition * 2;
        }
    }
}
