package io.ember.core.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.api.config.DeclaredSettings;
import io.ember.api.scheduler.SchedulingLevel;
import io.ember.core.job.JobFailedException;
import io.ember.core.job.JobId;
import io.ember.core.job.Stage;
import io.ember.core.serialization.JavaSerializer;
import io.ember.core.serialization.PayloadFilter;
import io.ember.core.testing.Eventually;
import io.ember.scheduler.fifo.FifoSchedulerFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Executors that exit while they run tasks ({@link TaskScheduler#executorExited}): an exit the
 * application caused counts against the tasks the executor ran, so a task that kills every executor
 * fails its job after {@code maxFailures}; an exit from outside does not; and a cluster that gives the
 * application up fails its jobs. Fake executors, no processes.
 */
@Timeout(60)
final class ExecutorExitTest {

    private static final JavaSerializer SERIALIZER = new JavaSerializer(PayloadFilter.standard());
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final AtomicInteger jobIds = new AtomicInteger();
    private TaskScheduler scheduler;

    @AfterEach
    void closeScheduler() {
        if (scheduler != null) {
            scheduler.close();
        }
    }

    @Test
    void aTaskThatMakesItsExecutorsExitFailsItsJobAfterMaxFailuresNamingTheExitAndTheLastLine() throws Exception {
        TaskScheduler scheduler = scheduler(2, 0);
        FakeExecutor first = added(new FakeExecutor("1", 1));
        CompletableFuture<StageResult<Integer>> job = submit(stage(1));
        Eventually.await(WAIT, () -> first.held().size() == 1, "the task runs on executor 1");

        // the driver sees the stream break first, then hears from the cluster why
        scheduler.executorRemoved("1", "its stream broke");
        scheduler.executorExited(new ExecutorExit("1", "w1", 3, "its stdout ends: Terminating due to "
                + "java.lang.OutOfMemoryError: Java heap space"));
        FakeExecutor second = added(new FakeExecutor("2", 1));
        Eventually.await(WAIT, () -> second.held().size() == 1, "the task runs again, on executor 2");
        // here the cluster's word comes before the stream breaks
        scheduler.executorExited(new ExecutorExit("2", "w2", 3, "its stdout ends: Terminating due to "
                + "java.lang.OutOfMemoryError: Java heap space"));

        ExecutionException e = assertThrows(ExecutionException.class, () -> job.get(10, TimeUnit.SECONDS));
        JobFailedException failure = (JobFailedException) e.getCause();
        assertEquals("Job 0 (exit test) failed: the task of partition 0 failed 2 time(s) (ember.task.maxFailures=2), "
                + "last on executor 2, which exited with code 3 (worker w2; its stdout ends: Terminating due to "
                + "java.lang.OutOfMemoryError: Java heap space) while it ran the task", failure.getMessage());
        assertEquals(0, scheduler.totalCores(), "executor 2 was removed when its exit was heard");
    }

    @Test
    void anExecutorEndedFromOutsideDoesNotCountAgainstItsTasks() throws Exception {
        TaskScheduler scheduler = scheduler(1, 0);
        FakeExecutor killed = added(new FakeExecutor("1", 2));
        CompletableFuture<StageResult<Integer>> job = submit(stage(4));
        Eventually.await(WAIT, () -> killed.held().size() == 2, "two tasks run on executor 1");

        scheduler.executorRemoved("1", "its stream broke");
        scheduler.executorExited(new ExecutorExit("1", "w1", 137, ""));   // kill -9
        added(new FakeExecutor("2", 1).respondWith(ExecutorExitTest::doubled));

        assertEquals(List.of(0, 2, 4, 6), job.get(10, TimeUnit.SECONDS).results());
    }

    /**
     * The executor held two tasks, one queued behind the other (launch-ahead). The driver cannot tell
     * which one ran (the first may have finished, its update not arrived): both count, the one sent
     * first first, so its job names it.
     */
    @Test
    void everyTaskTheExecutorHeldCountsAFailureTheOneSentFirstFirst() throws Exception {
        TaskScheduler scheduler = scheduler(1, 1);
        FakeExecutor executor = added(new FakeExecutor("1", 1));
        CompletableFuture<StageResult<Integer>> job = submit(stage(4));
        Eventually.await(WAIT, () -> executor.held().size() == 1, "the first task runs");
        executor.respondWith(task -> task.partition() == 0 ? ran(doubled(task)) : null);
        executor.answerHeld();
        Eventually.await(WAIT, () -> executor.held().size() == 2, "the next task runs and one waits behind it");
        int running = executor.held().get(0).partition();
        int queued = executor.held().get(1).partition();

        scheduler.executorExited(new ExecutorExit("1", "w1", 3, ""));

        JobFailedException failure = assertThrows(JobFailedException.class, () -> unwrap(job));
        assertTrue(failure.getMessage().contains("the task of partition " + running + " failed 1 time(s)"),
                failure.getMessage());
        assertFalse(failure.getMessage().contains("partition " + queued), failure.getMessage());
    }

    @Test
    void aTaskQueuedBehindTheOneThatKilledItsExecutorCountsToo() throws Exception {
        TaskScheduler scheduler = scheduler(2, 1);
        FakeExecutor executor = added(new FakeExecutor("1", 1));
        CompletableFuture<StageResult<Integer>> job = submit(stage(4));
        Eventually.await(WAIT, () -> executor.held().size() == 1, "the first task runs");
        executor.respondWith(task -> task.partition() == 0 ? ran(doubled(task)) : null);
        executor.answerHeld();
        Eventually.await(WAIT, () -> executor.held().size() == 2, "the next task runs and one waits behind it");
        int queued = executor.held().get(1).partition();
        scheduler.executorExited(new ExecutorExit("1", "w1", 3, ""));

        FakeExecutor next = added(new FakeExecutor("2", 1)
                .respondWith(task -> task.partition() == queued ? null : ran(doubled(task))));
        Eventually.await(WAIT, () -> next.launched().stream().anyMatch(t -> t.partition() == queued),
                "the queued task runs again on executor 2");
        scheduler.executorExited(new ExecutorExit("2", "w2", 3, ""));

        JobFailedException failure = assertThrows(JobFailedException.class, () -> unwrap(job));
        assertTrue(failure.getMessage().contains("failed 2 time(s)"), failure.getMessage());
    }

    @Test
    void anExitOfAnExecutorThatRanNothingLeavesJobsAlone() throws Exception {
        TaskScheduler scheduler = scheduler(1, 0);
        added(new FakeExecutor("idle", 1));
        scheduler.executorExited(new ExecutorExit("idle", "w1", 1, ""));
        scheduler.executorExited(new ExecutorExit("never-registered", "w1", 1, ""));
        added(new FakeExecutor("2", 1).respondWith(ExecutorExitTest::doubled));

        assertEquals(List.of(0, 2), run(stage(2)).results());
    }

    @Test
    void anApplicationTheClusterGaveUpFailsItsRunningJobAndEveryLaterOne() throws Exception {
        TaskScheduler scheduler = scheduler(4, 0);
        CompletableFuture<StageResult<Integer>> job = submit(stage(2));
        Eventually.await(WAIT, () -> !scheduler.pools().isEmpty() && scheduler.pools().get(0).items() == 1,
                "the job waits for executors");

        scheduler.applicationFailed("application app-1 failed: its executors exit before they register");

        JobFailedException running = assertThrows(JobFailedException.class, () -> unwrap(job));
        assertEquals("Job 0 (exit test) cannot finish: application app-1 failed: its executors exit before they "
                + "register", running.getMessage());
        JobFailedException later = assertThrows(JobFailedException.class, () -> run(stage(1)));
        assertEquals("Job 1 (exit test) cannot run: application app-1 failed: its executors exit before they "
                + "register", later.getMessage());
    }

    @Test
    void onlyAnExitTheApplicationCausedCounts() {
        assertTrue(new ExecutorExit("1", "w", 1, "").causedByApplication(), "System.exit(1)");
        assertTrue(new ExecutorExit("1", "w", 3, "").causedByApplication(), "out of heap");
        assertTrue(new ExecutorExit("1", "w", 134, "").causedByApplication(), "SIGABRT: a crash of its own");
        assertFalse(new ExecutorExit("1", "w", 137, "").causedByApplication(), "SIGKILL: someone killed it");
        assertFalse(new ExecutorExit("1", "w", 143, "").causedByApplication(), "SIGTERM");
        assertFalse(new ExecutorExit("1", "w", 130, "").causedByApplication(), "SIGINT");
        assertFalse(new ExecutorExit("1", "w", 129, "").causedByApplication(), "SIGHUP");
        assertFalse(new ExecutorExit("1", "w", 0, "").causedByApplication(), "a clean exit");
    }

    private TaskScheduler scheduler(int maxFailures, int launchAhead) {
        scheduler = new TaskScheduler(new SchedulerSettings(maxFailures, 1, Duration.ZERO, 1L << 30, launchAhead,
                Duration.ofMillis(50)),
                new FifoSchedulerFactory().create(DeclaredSettings.of(List.of(), Map.of()))
                        .createQueue(SchedulingLevel.TASK_SETS),
                SERIALIZER, Clock.systemUTC());
        return scheduler;
    }

    private FakeExecutor added(FakeExecutor executor) {
        executor.attach(scheduler);
        scheduler.executorAdded(executor);
        return executor;
    }

    private static Stage stage(int partitions) {
        return new Stage("exit test", new TaskSchedulerTest.Doubler(), IntStream.range(0, partitions).toArray(),
                new int[0]);
    }

    private static TaskOutcome doubled(TaskLaunch task) {
        return TaskOutcome.finished(task.taskId(), SERIALIZER.serialize(task.partition() * 2),
                TaskRunMetrics.NONE);
    }

    /** A short task: the stage's tasks then count as short, so further ones are sent ahead of free cores. */
    private static TaskOutcome ran(TaskOutcome outcome) {
        return new TaskOutcome(outcome.taskId(), outcome.state(), outcome.result(), outcome.failure(),
                TaskRunMetrics.of(Duration.ofMillis(1).toNanos(), 0, 0));
    }

    private <R> StageResult<R> run(Stage stage) {
        return scheduler.runStage(new JobId(jobIds.getAndIncrement()), stage, TaskScheduler.DEFAULT_POOL,
                getClass().getClassLoader());
    }

    private <R> CompletableFuture<StageResult<R>> submit(Stage stage) {
        return CompletableFuture.supplyAsync(() -> run(stage));
    }

    private static <R> R unwrap(CompletableFuture<R> job) throws Exception {
        try {
            return job.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }
}
