package io.ember.core.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.api.config.DeclaredSettings;
import io.ember.api.scheduler.GroupStatus;
import io.ember.api.scheduler.SchedulingLevel;
import io.ember.api.scheduler.SchedulingPolicy;
import io.ember.core.job.JobId;
import io.ember.core.job.Stage;
import io.ember.core.serialization.JavaSerializer;
import io.ember.core.serialization.PayloadFilter;
import io.ember.core.testing.Eventually;
import io.ember.scheduler.fair.FairSchedulerFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The task scheduler with the real {@code fair} policy and fake executors: jobs go to the pools
 * their callers name, cores follow the pools' weights and minShares, a replaced policy takes over
 * running jobs, and listeners hear launches in order.
 */
@Timeout(60)
final class PoolSchedulingTest {

    private static final JavaSerializer SERIALIZER = new JavaSerializer(PayloadFilter.standard());
    private static final Duration WAIT = Duration.ofSeconds(10);

    private TaskScheduler scheduler;

    @AfterEach
    void closeScheduler() {
        if (scheduler != null) {
            scheduler.close();
        }
    }

    private static SchedulingPolicy fair(Map<String, String> pools) {
        FairSchedulerFactory factory = new FairSchedulerFactory();
        return factory.create(DeclaredSettings.of(factory.configKeys(), pools));
    }

    private TaskScheduler scheduler(SchedulingPolicy policy) {
        return scheduler(policy, 0);
    }

    private TaskScheduler scheduler(SchedulingPolicy policy, int launchAhead) {
        scheduler = new TaskScheduler(new SchedulerSettings(4, 1, Duration.ZERO, 1L << 30, launchAhead,
                Duration.ofMillis(50)),
                policy.createQueue(SchedulingLevel.TASK_SETS), SERIALIZER, Clock.systemUTC());
        return scheduler;
    }

    private final AtomicInteger jobIds = new AtomicInteger();

    /** Runs the stage as the only stage of a new job. */
    private <R> StageResult<R> run(Stage stage, String pool) {
        return scheduler.runStage(new JobId(jobIds.getAndIncrement()), stage, pool, getClass().getClassLoader());
    }

    private CompletableFuture<StageResult<Integer>> submit(int tasks, String pool) {
        Stage job = new Stage("job in " + pool, new TaskSchedulerTest.Doubler(), IntStream.range(0, tasks).toArray(),
                new int[0]);
        return CompletableFuture.supplyAsync(() -> run(job, pool));
    }

    /** Submits a job and waits until the scheduler holds it, so stage ids follow the order of calls. */
    private CompletableFuture<StageResult<Integer>> submitInOrder(int tasks, String pool) {
        int before = totalItems();
        CompletableFuture<StageResult<Integer>> job = submit(tasks, pool);
        Eventually.await(WAIT, () -> totalItems() == before + 1, "the job in " + pool + " is queued");
        return job;
    }

    private int totalItems() {
        return scheduler.pools().stream().mapToInt(GroupStatus::items).sum();
    }

    private static TaskOutcome doubled(TaskLaunch task) {
        return TaskOutcome.finished(task.taskId(), SERIALIZER.serialize(task.partition() * 2),
                TaskRunMetrics.NONE);
    }

    private static long heldOfStage(FakeExecutor executor, int stageId) {
        return executor.held().stream().filter(t -> t.stageId().value() == stageId).count();
    }

    /** Answers one held task of a stage and waits until its core has gone to someone. */
    private static void finishOneOf(FakeExecutor executor, int stageId) {
        int launched = executor.launched().size();
        TaskLaunch task = executor.held().stream().filter(t -> t.stageId().value() == stageId).findFirst()
                .orElseThrow(() -> new AssertionError("no task of stage " + stageId + " is running"));
        executor.respondWith(t -> t.taskId() == task.taskId() ? doubled(t) : null);
        executor.answerHeld(t -> t.taskId() == task.taskId());
        Eventually.await(WAIT, () -> executor.launched().size() == launched + 1, "the freed core is given out");
        executor.respondWith(t -> null);
    }

    @Test
    void sharesCoresBetweenPoolsByWeight() throws Exception {
        scheduler(fair(Map.of("pool.light.weight", "1", "pool.heavy.weight", "3")));
        CompletableFuture<StageResult<Integer>> light = submitInOrder(40, "light");   // stage 0
        CompletableFuture<StageResult<Integer>> heavy = submitInOrder(40, "heavy");   // stage 1
        FakeExecutor executor = new FakeExecutor("a", 8).attach(scheduler);
        scheduler.executorAdded(executor);

        Eventually.await(WAIT, () -> executor.held().size() == 8, "every core busy");
        assertEquals(2, heldOfStage(executor, 0), "light holds 8 x 1/4");
        assertEquals(6, heldOfStage(executor, 1), "heavy holds 8 x 3/4");

        for (int i = 0; i < 6; i++) {
            finishOneOf(executor, i % 2 == 0 ? 0 : 1);
            assertEquals(2, heldOfStage(executor, 0), "a freed core goes to the pool below its share");
            assertEquals(6, heldOfStage(executor, 1));
        }

        List<GroupStatus> pools = scheduler.pools();
        GroupStatus lightStatus = pools.stream().filter(p -> p.name().equals("light")).findFirst().orElseThrow();
        assertEquals(1.0, lightStatus.weight());
        assertEquals(2, lightStatus.running());
        assertEquals(40 - 2 - 3, lightStatus.pending(), "40 tasks, 2 running, 3 finished");
        assertEquals("fifo", lightStatus.mode());

        executor.respondWith(PoolSchedulingTest::doubled);
        executor.answerHeld();
        assertEquals(40, light.get(10, TimeUnit.SECONDS).results().size());
        assertEquals(40, heavy.get(10, TimeUnit.SECONDS).results().size());
    }

    @Test
    void givesAPoolBelowItsMinShareTheNextFreeCores() throws Exception {
        scheduler(fair(Map.of("pool.bulk.weight", "10", "pool.urgent.minShare", "2")));
        FakeExecutor executor = new FakeExecutor("a", 4).attach(scheduler);
        scheduler.executorAdded(executor);
        CompletableFuture<StageResult<Integer>> bulk = submitInOrder(30, "bulk");     // stage 0
        Eventually.await(WAIT, () -> heldOfStage(executor, 0) == 4, "bulk takes every core");
        CompletableFuture<StageResult<Integer>> urgent = submitInOrder(10, "urgent"); // stage 1

        finishOneOf(executor, 0);
        assertEquals(1, heldOfStage(executor, 1), "the first freed core goes to the pool below its minShare");
        finishOneOf(executor, 0);
        assertEquals(2, heldOfStage(executor, 1), "and the second");
        finishOneOf(executor, 0);
        assertEquals(2, heldOfStage(executor, 1), "at its minShare, weights decide: bulk (10) gets the third");
        assertEquals(2, heldOfStage(executor, 0));

        executor.respondWith(PoolSchedulingTest::doubled);
        executor.answerHeld();
        assertEquals(30, bulk.get(10, TimeUnit.SECONDS).results().size());
        assertEquals(10, urgent.get(10, TimeUnit.SECONDS).results().size());
    }

    @Test
    void aReplacedPolicyDecidesTheNextCoresOfRunningJobs() throws Exception {
        scheduler(fair(Map.of()));   // both pools undeclared: weight 1 each
        CompletableFuture<StageResult<Integer>> a = submitInOrder(40, "a");   // stage 0
        CompletableFuture<StageResult<Integer>> b = submitInOrder(40, "b");   // stage 1
        FakeExecutor executor = new FakeExecutor("x", 4).attach(scheduler);
        scheduler.executorAdded(executor);
        Eventually.await(WAIT, () -> executor.held().size() == 4, "every core busy");
        assertEquals(2, heldOfStage(executor, 0));
        assertEquals(2, heldOfStage(executor, 1));

        scheduler.replacePolicy(fair(Map.of("pool.b.weight", "3")));
        finishOneOf(executor, 0);
        assertEquals(3, heldOfStage(executor, 1), "under the new weights, b (3) is below its share: 2/3 < 1/1");
        assertEquals(3.0, scheduler.pools().stream().filter(p -> p.name().equals("b")).findFirst().orElseThrow()
                .weight(), "the pools report the new weight");

        executor.respondWith(PoolSchedulingTest::doubled);
        executor.answerHeld();
        assertEquals(40, a.get(10, TimeUnit.SECONDS).results().size());
        assertEquals(40, b.get(10, TimeUnit.SECONDS).results().size());
    }

    @Test
    void aNewJobMayQueueBehindShortTasksSoLaunchAheadDoesNotLockItOut() throws Exception {
        scheduler(fair(Map.of()), 1);
        FakeExecutor executor = new FakeExecutor("x", 2).attach(scheduler);
        scheduler.executorAdded(executor);
        CompletableFuture<StageResult<Integer>> shortTasks = submitInOrder(40, "short");   // stage 0
        Eventually.await(WAIT, () -> executor.held().size() == 2, "the first two tasks sent");
        executor.respondWith(t -> t.partition() < 2 ? ran(doubled(t), Duration.ofMillis(1)) : null);
        executor.answerHeld();
        Eventually.await(WAIT, () -> executor.held().size() == 4, "2 cores + 2 ahead, all short tasks");
        executor.respondWith(t -> null);

        CompletableFuture<StageResult<Integer>> newcomer = submitInOrder(4, "newcomer");  // stage 1, task time unknown
        TaskLaunch done = executor.held().get(0);
        executor.respondWith(t -> t.taskId() == done.taskId() ? ran(doubled(t), Duration.ofMillis(1)) : null);
        executor.answerHeld(t -> t.taskId() == done.taskId());
        Eventually.await(WAIT, () -> executor.held().size() == 4, "the freed slot is given out");
        executor.respondWith(t -> null);

        assertEquals(1, heldOfStage(executor, 1), "the newcomer's pool is below its share and only short tasks are "
                + "ahead of it, so it takes the slot beyond the cores");
        scheduler.pools();
        assertEquals(4, executor.held().size(), "and nothing else is queued behind its task of unknown length");

        executor.respondWith(t -> ran(doubled(t), Duration.ofMillis(1)));
        executor.answerHeld();
        assertEquals(40, shortTasks.get(10, TimeUnit.SECONDS).results().size());
        assertEquals(4, newcomer.get(10, TimeUnit.SECONDS).results().size());
    }

    private static TaskOutcome ran(TaskOutcome outcome, Duration runTime) {
        return new TaskOutcome(outcome.taskId(), outcome.state(), outcome.result(), outcome.failure(),
                TaskRunMetrics.of(runTime.toNanos(), outcome.metrics().cacheHits(), outcome.metrics().cacheMisses()));
    }

    @Test
    void refusesAPoolNameThatCouldNotBeConfigured() {
        scheduler(fair(Map.of()));
        Stage job = new Stage("bad pool", new TaskSchedulerTest.Doubler(), new int[] {0}, new int[0]);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> run(job, "Reports Pool"));

        assertTrue(e.getMessage().contains("'Reports Pool' is not a pool name"), e.getMessage());
        assertTrue(e.getMessage().contains("lower-case letters, digits and '-'"), e.getMessage());
    }

    @Test
    void listenersHearStagesAndTasksInTheOrderTheyHappened() throws Exception {
        scheduler(fair(Map.of()));
        List<String> heard = Collections.synchronizedList(new ArrayList<>());
        scheduler.addListener(new SchedulerListener() {
            @Override
            public void onStageSubmitted(StageSubmitted event) {
                heard.add("stage-submitted " + event.stageId().value() + " of " + event.jobId() + " "
                        + event.pool() + " " + event.tasks());
            }

            @Override
            public void onTaskStart(TaskStart event) {
                heard.add("task-start " + event.partition() + " on " + event.executorId());
            }

            @Override
            public void onTaskEnd(TaskEnd event) {
                heard.add("task-end " + event.partition() + " " + event.outcome());
            }

            @Override
            public void onStageCompleted(StageCompleted event) {
                heard.add("stage-completed " + event.stageId().value() + " of " + event.jobId() + " "
                        + event.succeeded());
            }
        });
        FakeExecutor executor = new FakeExecutor("x", 1).attach(scheduler).respondWith(PoolSchedulingTest::doubled);
        scheduler.executorAdded(executor);

        assertEquals(2, submit(2, "reports").get(10, TimeUnit.SECONDS).results().size());

        Eventually.await(WAIT, () -> heard.size() == 6, "six events");
        assertEquals(List.of("stage-submitted 0 of job 0 reports 2", "task-start 0 on x", "task-end 0 FINISHED",
                "task-start 1 on x", "task-end 1 FINISHED", "stage-completed 0 of job 0 true"), heard);
    }
}
