package io.ember.core.executor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.core.executor.TaskReport.State;
import io.ember.core.executor.TestingStages.BlockUntilReleased;
import io.ember.core.executor.TestingStages.ContextLoaderName;
import io.ember.core.executor.TestingStages.Fail;
import io.ember.core.executor.TestingStages.FailUnserializably;
import io.ember.core.executor.TestingStages.Probe;
import io.ember.core.executor.TestingStages.ReturnBytes;
import io.ember.core.executor.TestingStages.ReturnOpaque;
import io.ember.core.executor.TestingStages.SumCached;
import io.ember.core.executor.TestingStages.TimesTen;
import io.ember.core.memory.ExecutorMemory;
import io.ember.core.serialization.JavaSerializer;
import io.ember.core.serialization.PayloadFilter;
import io.ember.core.storage.BlockChange;
import io.ember.core.storage.BlockManager;
import io.ember.core.task.BlockId;
import io.ember.core.task.StageCode;
import io.ember.core.testing.Eventually;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

final class TaskExecutorTest {

    private static final JavaSerializer SERIALIZER = new JavaSerializer(PayloadFilter.standard());
    private static final ClassLoader LOADER = TaskExecutorTest.class.getClassLoader();
    private static final long MiB = 1 << 20;

    private final RecordingDriver driver = new RecordingDriver();
    private final Map<Long, byte[]> uploads = new ConcurrentHashMap<>();
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeEverything() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    private TaskExecutor executor(int cores) {
        return executor(cores, MiB, LOADER, (taskId, result) -> uploads.put(taskId, result));
    }

    private TaskExecutor executor(int cores, long maxDirectResultBytes, ClassLoader loader,
            TaskExecutor.ResultUploader uploader) {
        TaskExecutor executor = TaskExecutor.withOwnBlockManager("exec-1", cores, maxDirectResultBytes,
                new ExecutorMemory(64 * MiB, 0),
                SERIALIZER, loader, driver, uploader);
        toClose.add(executor);
        return executor;
    }

    /** Launches tasks {@code firstTask..} of one stage, partition i for task firstTask + i, its code included. */
    private static void launch(TaskExecutor executor, int stageId, StageCode code, long firstTask, int count) {
        List<SerializedStage> stages = code == null ? List.of()
                : List.of(new SerializedStage(stageId, 1, SERIALIZER.serialize(code)));
        List<TaskToRun> tasks = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            tasks.add(new TaskToRun(firstTask + i, stageId, i, 0));
        }
        executor.launch(stages, tasks);
    }

    private static Object result(TaskReport report) {
        assertEquals(State.FINISHED, report.state(), report.toString());
        assertFalse(report.isUploaded(), report.toString());
        return SERIALIZER.deserialize(report.result(), LOADER);
    }

    @Test
    void runsALaunchedTaskAndSendsItsResult() {
        TaskExecutor executor = executor(2);
        Probe probe = TestingStages.newProbe();

        launch(executor, 1, new TimesTen(probe.id), 100, 4);

        assertEquals(30, result(driver.awaitReport(103)));
        assertEquals(0, result(driver.awaitReport(100)));
        assertTrue(driver.awaitReport(101).metrics().runNanos() > 0);
        Eventually.await(() -> executor.activeTasks() == 0, "no active task left");
    }

    @Test
    void whatATasksBuffersStillHoldWhenItEndsGoesBackToTheExecutorsBudget() {
        ExecutorMemory memory = new ExecutorMemory(64 * MiB, 0);
        TaskExecutor executor = TaskExecutor.withOwnBlockManager("exec-1", 2, MiB, memory, SERIALIZER, LOADER,
                driver, (taskId, result) -> { });
        toClose.add(executor);

        launch(executor, 1, new TestingStages.KeepsMemory(), 0, 2);

        assertEquals(MiB, result(driver.awaitReport(0)), "it held 1 MiB while it ran");
        assertEquals(State.FAILED, driver.awaitReport(1).state(), "the other threw holding 1 MiB");
        Eventually.await(() -> executor.activeTasks() == 0, "both ended");
        assertEquals(0, memory.executionUsed(), "both tasks' memory released at their end: " + memory);
        assertEquals(0, memory.tasks(), memory.toString());
        assertTrue(memory.peakUsed() >= MiB && memory.peakUsed() <= 2 * MiB, memory.toString());
    }

    @Test
    void completionCallbacksRunWhenATaskEndsEitherWayTheLastFirstBeforeItsMemoryIsReleased() {
        TaskExecutor executor = executor(1);
        Probe probe = TestingStages.newProbe();

        launch(executor, 1, new TestingStages.RegistersCompletions(probe.id), 0, 2);

        assertEquals(0, result(driver.awaitReport(0)), "a callback that throws does not fail the task");
        assertEquals(State.FAILED, driver.awaitReport(1).state());
        assertEquals(List.of("last of 0, memory held 1000", "first of 0", "last of 1, memory held 1000",
                "first of 1"), List.copyOf(probe.completed));
    }

    @Test
    void deserializesAStagesCodeOnceForAllItsTasks() {
        TaskExecutor executor = executor(2);
        Probe probe = TestingStages.newProbe();

        launch(executor, 1, new TimesTen(probe.id), 0, 50);
        launch(executor, 1, null, 50, 50);   // the code was sent once: these tasks carry none

        driver.awaitReports(100);
        assertEquals(1, probe.deserialized.get());
        assertEquals(100, probe.ran.get());
    }

    @Test
    void queuesTasksBeyondItsCoresAndRunsThemAll() {
        TaskExecutor executor = executor(2);
        Probe blocking = TestingStages.newProbe();
        launch(executor, 1, new BlockUntilReleased(blocking.id), 0, 5);

        Eventually.await(() -> blocking.started.get() == 2, "two tasks running");
        assertEquals(5, executor.activeTasks(), "2 running and 3 queued");
        assertEquals(2, blocking.started.get());
        blocking.release.countDown();

        driver.awaitReports(5);
        for (long task = 0; task < 5; task++) {
            assertEquals("released", result(driver.awaitReport(task)));
        }
        Probe counting = TestingStages.newProbe();
        launch(executor, 2, new TimesTen(counting.id), 5, 40);
        driver.awaitReports(45);
        assertTrue(counting.threads.stream().allMatch(name -> name.startsWith("ember-task-")),
                counting.threads::toString);
        assertTrue(counting.threads.stream().distinct().count() <= 2, counting.threads::toString);
    }

    @Test
    void reportsAFailureWithTheErrorsClassMessageStackAndTheExceptionItself() {
        TaskExecutor executor = executor(1);

        launch(executor, 1, new Fail("boom"), 7, 1);

        TaskReport report = driver.awaitReport(7);
        assertEquals(State.FAILED, report.state());
        TaskReport.Failure error = report.failure();
        assertEquals(IllegalStateException.class.getName(), error.className());
        assertEquals("boom", error.message());
        assertTrue(error.stackTrace().startsWith("java.lang.IllegalStateException: boom"), error.stackTrace());
        assertTrue(error.stackTrace().contains("TestingStages$Fail.runTask"), error.stackTrace());
        Object exception = SERIALIZER.deserialize(error.exception(), LOADER);
        assertInstanceOf(IllegalStateException.class, exception);
        assertEquals("boom", ((Throwable) exception).getMessage());
    }

    @Test
    void reportsAFailureWhoseExceptionCannotBeSerializedWithoutIt() {
        TaskExecutor executor = executor(1);

        launch(executor, 1, new FailUnserializably("holds a thread"), 7, 1);

        TaskReport report = driver.awaitReport(7);
        assertEquals(State.FAILED, report.state());
        assertEquals(TestingStages.UnserializableException.class.getName(), report.failure().className());
        assertEquals("holds a thread", report.failure().message());
        assertEquals(0, report.failure().exception().length);
        assertFalse(report.failure().stackTrace().isEmpty());
    }

    @Test
    void failsATaskWhoseResultIsNotSerializableNamingTheClass() {
        TaskExecutor executor = executor(1);

        launch(executor, 1, new ReturnOpaque(), 7, 1);

        TaskReport report = driver.awaitReport(7);
        assertEquals(State.FAILED, report.state());
        assertEquals(ResultNotSerializableException.class.getName(), report.failure().className());
        assertTrue(report.failure().message().startsWith("The result of task 7 (of class "
                + TestingStages.Opaque.class.getName() + ") cannot be sent to the driver: not serializable: "
                + TestingStages.Opaque.class.getName()), report.failure().message());
    }

    @Test
    void killsARunningTaskByInterruptingIt() {
        TaskExecutor executor = executor(1);
        Probe probe = TestingStages.newProbe();
        launch(executor, 1, new BlockUntilReleased(probe.id), 7, 1);
        Eventually.await(() -> probe.started.get() == 1, "the task running");

        executor.kill(7, "test");

        assertEquals(State.KILLED, driver.awaitReport(7).state());
        Eventually.await(() -> executor.activeTasks() == 0, "no active task left");
    }

    @Test
    void neverRunsAQueuedTaskThatWasKilled() {
        TaskExecutor executor = executor(1);
        Probe first = TestingStages.newProbe();
        Probe second = TestingStages.newProbe();
        launch(executor, 1, new BlockUntilReleased(first.id), 1, 1);
        launch(executor, 2, new TimesTen(second.id), 2, 1);
        Eventually.await(() -> first.started.get() == 1, "the first task running");

        executor.kill(2, "test");

        assertEquals(State.KILLED, driver.awaitReport(2).state(), "reported at once, while queued");
        first.release.countDown();
        assertEquals("released", result(driver.awaitReport(1)));
        assertEquals(0, second.ran.get());
        Eventually.await(() -> executor.activeTasks() == 0, "no active task left");
    }

    @Test
    void uploadsAResultLargerThanTheDirectLimit() {
        TaskExecutor executor = executor(1, 1000, LOADER, (taskId, result) -> uploads.put(taskId, result));

        launch(executor, 1, new ReturnBytes(5000), 7, 2);

        TaskReport report = driver.awaitReport(7);
        assertEquals(State.FINISHED, report.state());
        assertEquals(0, report.result().length);
        byte[] uploaded = uploads.get(7L);
        assertEquals(uploaded.length, report.uploadedResultBytes());
        byte[] expected = (byte[]) new ReturnBytes(5000).runTask(0, null);
        assertArrayEquals(expected, (byte[]) SERIALIZER.deserialize(uploaded, LOADER));
    }

    @Test
    void failsATaskWhoseResultCannotBeUploaded() {
        TaskExecutor executor = executor(1, 1000, LOADER, (taskId, result) -> {
            throw new IOException("the driver at 127.0.0.1:1 is unreachable");
        });

        launch(executor, 1, new ReturnBytes(5000), 7, 1);

        TaskReport report = driver.awaitReport(7);
        assertEquals(State.FAILED, report.state());
        assertEquals(IOException.class.getName(), report.failure().className());
    }

    @Test
    void batchesReportsOfTasksThatEndTogetherIntoOneCall() {
        TaskExecutor executor = executor(2);
        Probe probe = TestingStages.newProbe();
        // The first batch is held until all 200 tasks have run and ended (so every report is queued;
        // no active task alone would also hold between two launches): the rest must go out together.
        driver.beforeFirstBatch(() -> Eventually.await(() -> probe.ran.get() == 200 && executor.activeTasks() == 0,
                "every task ended"));

        launch(executor, 1, new TimesTen(probe.id), 0, 200);

        driver.awaitReports(200);
        List<List<?>> batches = driver.batches();
        assertTrue(batches.size() <= 2, batches.size() + " batches for 200 tasks");
        assertEquals(1, driver.mostConcurrentCalls());
        assertEquals(Set.of("ember-task-updates"), driver.threads());
    }

    @Test
    void runsTasksWithTheApplicationLoaderAsContextClassLoader() throws IOException {
        try (URLClassLoader application = new URLClassLoader("test-application", new URL[0], LOADER)) {
            TaskExecutor executor = executor(1, MiB, application, (taskId, result) -> { });

            launch(executor, 1, new ContextLoaderName(), 7, 1);

            assertEquals("test-application", result(driver.awaitReport(7)));
        }
    }

    @Test
    void failsTheTasksOfAStageItHasNoCodeFor() {
        TaskExecutor executor = executor(1);
        Probe probe = TestingStages.newProbe();
        launch(executor, 1, new TimesTen(probe.id), 1, 1);
        driver.awaitReport(1);

        executor.forgetStages(new int[] {1});
        launch(executor, 1, null, 2, 1);

        TaskReport report = driver.awaitReport(2);
        assertEquals(State.FAILED, report.state());
        assertEquals("executor exec-1 has no code for stage 1 (it was never sent, or was forgotten)",
                report.failure().message());
    }

    @Test
    void failsEveryTaskOfAStageWhoseCodeCannotBeDeserialized() {
        TaskExecutor executor = executor(1);
        executor.launch(List.of(new SerializedStage(3, 1, "not a serialized object".getBytes(StandardCharsets.UTF_8))),
                List.of(new TaskToRun(1, 3, 0, 0), new TaskToRun(2, 3, 1, 0)));

        for (long task = 1; task <= 2; task++) {
            TaskReport report = driver.awaitReport(task);
            assertEquals(State.FAILED, report.state());
            assertEquals(JavaSerializer.PayloadRejectedException.class.getName(), report.failure().className());
        }
    }

    @Test
    void countsCacheHitsAndMissesAndTellsTheDriverOfBlocksStoredAndDropped() {
        TaskExecutor executor = executor(1);

        launch(executor, 1, new SumCached(4, 1000), 1, 1);
        TaskReport miss = driver.awaitReport(1);
        launch(executor, 1, null, 2, 1);
        TaskReport hit = driver.awaitReport(2);

        assertEquals(499_500L, result(miss));
        assertEquals(499_500L, result(hit));
        assertEquals(0, miss.metrics().cacheHits());
        assertEquals(1, miss.metrics().cacheMisses());
        assertEquals(1, hit.metrics().cacheHits());
        assertEquals(0, hit.metrics().cacheMisses());
        assertEquals(List.of(new BlockChange(new BlockId(4, 0), true, executor.blocks().usedBytes())),
                driver.blockChanges());

        executor.dropBlocks(4);

        Eventually.await(() -> driver.blockChanges().size() == 2, () -> "a dropped block: " + driver.blockChanges());
        BlockChange dropped = driver.blockChanges().get(1);
        assertFalse(dropped.stored());
        assertEquals(new BlockId(4, 0), dropped.id());
        assertEquals(0, executor.blocks().blockCount());
    }

    @Test
    void leavesTheChangesOfABlockManagerItWasGivenToThatBlockManagersListener() {
        List<BlockChange> changes = new CopyOnWriteArrayList<>();
        BlockManager blocks = new BlockManager(64 * MiB, changes::add);
        TaskExecutor executor = new TaskExecutor("exec-1", 1, MiB, blocks, SERIALIZER, LOADER, driver,
                (taskId, result) -> { });
        toClose.add(executor);

        launch(executor, 1, new SumCached(4, 10), 1, 1);

        assertEquals(45L, result(driver.awaitReport(1)));
        assertEquals(List.of(new BlockChange(new BlockId(4, 0), true, blocks.usedBytes())), changes);
        assertEquals(List.of(), driver.blockChanges());
        assertEquals(1, driver.batches().size());
        assertSame(blocks, executor.blocks());
    }

    @Test
    void closeKillsRunningTasksAndIsIdempotent() {
        TaskExecutor executor = executor(1);
        Probe probe = TestingStages.newProbe();
        launch(executor, 1, new BlockUntilReleased(probe.id), 1, 3);
        Eventually.await(() -> probe.started.get() == 1, "the first task running");

        executor.close();
        executor.close();

        Eventually.await(() -> probe.interrupted.get() == 1, "the running task interrupted");
        assertEquals(1, probe.ran.get(), "queued tasks never ran");
        launch(executor, 2, null, 10, 1);   // ignored
        assertFalse(driver.hasReport(10));
    }
}
