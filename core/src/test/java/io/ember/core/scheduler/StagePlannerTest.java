package io.ember.core.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.api.config.DeclaredSettings;
import io.ember.api.scheduler.SchedulingLevel;
import io.ember.api.shuffle.BlockLocation;
import io.ember.core.job.Job;
import io.ember.core.job.JobFailedException;
import io.ember.core.job.JobId;
import io.ember.core.job.JobResult;
import io.ember.core.job.ShuffleInput;
import io.ember.core.serialization.JavaSerializer;
import io.ember.core.serialization.PayloadFilter;
import io.ember.core.shuffle.MapOutputTracker;
import io.ember.core.shuffle.MapStatus;
import io.ember.core.task.StageCode;
import io.ember.core.task.TaskContext;
import io.ember.core.testing.Eventually;
import io.ember.scheduler.fifo.FifoSchedulerFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The stage planner on a real task scheduler with one fake executor whose tasks end only when the
 * test says: jobs are actions, their stages carry the job's id, and FIFO orders by job, then stage.
 */
@Timeout(60)
final class StagePlannerTest {

    private static final JavaSerializer SERIALIZER = new JavaSerializer(PayloadFilter.standard());
    private static final Duration WAIT = Duration.ofSeconds(10);

    private TaskScheduler scheduler;
    private StagePlanner planner;
    private FakeExecutor executor;
    private final List<Object> heard = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void start() {
        scheduler = new TaskScheduler(new SchedulerSettings(4, 1, Duration.ZERO, 1L << 30, 0, Duration.ofMillis(50)),
                new FifoSchedulerFactory().create(DeclaredSettings.of(List.of(), Map.of()))
                        .createQueue(SchedulingLevel.TASK_SETS),
                SERIALIZER, Clock.systemUTC());
        planner = new StagePlanner(scheduler, new MapOutputTracker(), ShuffleActivity.NONE);
        scheduler.addListener(new SchedulerListener() {
            @Override
            public void onJobStart(JobStart event) {
                heard.add(event);
            }

            @Override
            public void onJobEnd(JobEnd event) {
                heard.add(event);
            }

            @Override
            public void onStageSubmitted(StageSubmitted event) {
                heard.add(event);
            }
        });
        executor = new FakeExecutor("x", 1).attach(scheduler); // holds every task until answered
    }

    @AfterEach
    void stop() {
        scheduler.close();
    }

    @Test
    void aLaterActionsMapStageWaitsBehindAnEarlierActionsLaterStage() throws Exception {
        scheduler.executorAdded(executor);
        // Action A (job 0): one map task, then one reduce task.
        CompletableFuture<JobResult<Integer>> a = run(new Job("action A", new Unused(), new int[] {0}, new int[0],
                List.of(new Shuffle(10, 1, 2))));
        awaitLaunches(1);
        // Action B (job 1): three map tasks, submitted while A's map task runs on the only core.
        CompletableFuture<JobResult<Integer>> b = run(new Job("action B", new Unused(), new int[] {0}, new int[0],
                List.of(new Shuffle(11, 3, 2))));
        Eventually.await(WAIT, () -> stagesSubmitted().size() == 2, "B's map stage was submitted");

        finish(executor.held().get(0));           // A's map task: its core goes to B's first map task, or to
        awaitLaunches(2);                         // A's reduce task if A submitted its reduce stage in time
        Eventually.await(WAIT, () -> stagesSubmitted().size() == 3, "A's reduce stage was submitted");
        finish(executor.held().get(0));           // whichever runs: now A's reduce stage and B's map stage both wait,
        awaitLaunches(3);                         // or A's reduce task ran and B's map task follows

        List<SchedulerListener.StageSubmitted> stages = stagesSubmitted();
        assertEquals(List.of("0 0 map stage of shuffle 10 for action A", "1 1 map stage of shuffle 11 for action B",
                "2 0 action A"), stages.stream().map(s -> s.stageId().value() + " " + s.jobId().value() + " "
                + s.description()).toList());
        List<Integer> launchedStages = executor.launched().stream().map(launch -> launch.stageId().value()).toList();
        // A's reduce task (stage 2) went ahead of B's remaining map tasks: with stages ordered by their own
        // ids instead of their jobs', B's three map tasks would all come first ([0, 1, 1, 1, 2]).
        assertTrue(launchedStages.equals(List.of(0, 1, 2)) || launchedStages.equals(List.of(0, 2, 1)),
                "the free core went to job 0's reduce stage, not job 1's map stage: " + launchedStages);

        finishAllUntilDone(a, b);
        assertEquals(List.of(0), a.get().results());
        assertEquals(new JobId(0), a.get().summary().jobId());
        assertEquals(2, a.get().summary().stages());
        assertEquals(2, a.get().summary().tasks());
        assertEquals(new JobId(1), b.get().summary().jobId());
        assertEquals(4, b.get().summary().tasks());
    }

    @Test
    void listenersHearEachJobAroundItsStages() throws Exception {
        scheduler.executorAdded(executor.respondWith(this::answer));
        JobResult<Integer> result = planner.runJob(new Job("count", new Unused(), new int[] {0, 1}, new int[0],
                List.of(new Shuffle(7, 2, 2))), TaskScheduler.DEFAULT_POOL, getClass().getClassLoader());

        assertEquals(List.of(0, 1), result.results());
        Eventually.await(WAIT, () -> heard.size() == 4, "four events");
        assertEquals(List.of("job-start job 0 count", "stage 0 of job 0", "stage 1 of job 0", "job-end job 0 true"),
                heard.stream().map(StagePlannerTest::describe).toList());
        assertEquals("job 0 (count): 2 stages, 4 tasks on 1 executor in " + result.summary().wallTime().toMillis()
                + " ms", result.summary().toString());
    }

    @Test
    void aCancelledJobRunsNoFurtherStage() throws Exception {
        scheduler.executorAdded(executor);
        CompletableFuture<JobResult<Integer>> a = run(new Job("action A", new Unused(), new int[] {0}, new int[0],
                List.of(new Shuffle(10, 1, 2))));
        awaitLaunches(1);
        scheduler.cancelJob(new JobId(0), "the user asked");
        JobFailedException failed = (JobFailedException) assertThrows(Exception.class,
                () -> a.get(10, TimeUnit.SECONDS)).getCause();
        assertEquals("Job 0 (map stage of shuffle 10 for action A) was cancelled: the user asked", failed.getMessage());
        Eventually.await(WAIT, () -> heard.stream().anyMatch(e -> e instanceof SchedulerListener.JobEnd end
                && !end.succeeded()), "the job's end");
        assertEquals(1, stagesSubmitted().size(), "the reduce stage was never submitted");
    }

    private CompletableFuture<JobResult<Integer>> run(Job job) {
        return CompletableFuture.supplyAsync(
                () -> planner.runJob(job, TaskScheduler.DEFAULT_POOL, getClass().getClassLoader()));
    }

    private void awaitLaunches(int count) {
        Eventually.await(WAIT, () -> executor.launched().size() == count, () -> count + " launches, not "
                + executor.launched().size());
    }

    private List<SchedulerListener.StageSubmitted> stagesSubmitted() {
        synchronized (heard) {
            return heard.stream().filter(SchedulerListener.StageSubmitted.class::isInstance)
                    .map(SchedulerListener.StageSubmitted.class::cast).toList();
        }
    }

    private void finishAllUntilDone(CompletableFuture<?>... jobs) {
        Eventually.await(WAIT, () -> {
            executor.held().forEach(this::finish);
            return CompletableFuture.allOf(jobs).isDone();
        }, "both jobs finish");
    }

    /** Ends the held task with what {@link #answer} says. */
    private void finish(TaskLaunch task) {
        executor.answerHeld(held -> held.taskId() == task.taskId(), this::answer);
    }

    /** A map task answers a status, a task of a final stage its partition. */
    private TaskOutcome answer(TaskLaunch task) {
        Object result = isMapStage(task.stageId().value()) ? status(task) : task.partition();
        return TaskOutcome.finished(task.taskId(), SERIALIZER.serialize(result), TaskRunMetrics.NONE);
    }

    /** Whether the code the executor was sent for the stage is a map stage's (a final stage here reads shuffles). */
    private boolean isMapStage(int stageId) {
        for (FakeExecutor.Launch launch : executor.launches()) {
            for (StageShipment code : launch.stages()) {
                if (code.stageId().value() == stageId) {
                    return !(SERIALIZER.deserialize(code.code(), getClass().getClassLoader())
                            instanceof ShuffleInputsStage);
                }
            }
        }
        throw new AssertionError("stage " + stageId + " was never sent");
    }

    private static MapStatus status(TaskLaunch task) {
        return new MapStatus(task.partition(), task.taskId(), new BlockLocation("x", "test-host", 1),
                new long[] {1, 1}); // every shuffle here has two reduce partitions
    }

    private static String describe(Object event) {
        if (event instanceof SchedulerListener.JobStart start) {
            return "job-start " + start.jobId() + " " + start.description();
        }
        if (event instanceof SchedulerListener.StageSubmitted stage) {
            return stage.stageId() + " of " + stage.jobId();
        }
        SchedulerListener.JobEnd end = (SchedulerListener.JobEnd) event;
        return "job-end " + end.jobId() + " " + end.succeeded();
    }

    /** A shuffle read by a job, whose map stage never really runs here (the fake executor answers). */
    private record Shuffle(int shuffleId, int mapPartitions, int reducePartitions) implements ShuffleInput {
        @Override
        public StageCode mapStage() {
            return new Unused();
        }

        @Override
        public int[] mapCachedDatasetIds() {
            return new int[0];
        }

        @Override
        public List<ShuffleInput> mapInputs() {
            return List.of();
        }
    }

    /** Code the fake executor never runs. */
    private static final class Unused implements StageCode {
        private static final long serialVersionUID = 1L;

        @Override
        public Object runTask(int partition, TaskContext context) {
            throw new UnsupportedOperationException("not run in this test");
        }
    }
}
