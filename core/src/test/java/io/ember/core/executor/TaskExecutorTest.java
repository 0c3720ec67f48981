package io.ember.core.executor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.ember.core.executor.TestingStages.BlockUntilReleased;
import io.ember.core.executor.TestingStages.ContextLoaderName;
import io.ember.core.executor.TestingStages.Fail;
import io.ember.core.executor.TestingStages.FailUnserializably;
import io.ember.core.executor.TestingStages.Probe;
import io.ember.core.executor.TestingStages.ReturnBytes;
import io.ember.core.executor.TestingStages.ReturnOpaque;
import io.ember.core.executor.TestingStages.SumCached;
import io.ember.core.executor.TestingStages.TimesTen;
import io.ember.core.rpc.proto.BlockUpdate;
import io.ember.core.rpc.proto.DriverMessage;
import io.ember.core.rpc.proto.DropBlocks;
import io.ember.core.rpc.proto.ExecutorMessage;
import io.ember.core.rpc.proto.ForgetStages;
import io.ember.core.rpc.proto.KillTask;
import io.ember.core.rpc.proto.LaunchTasks;
import io.ember.core.rpc.proto.TaskDescription;
import io.ember.core.rpc.proto.TaskError;
import io.ember.core.rpc.proto.TaskState;
import io.ember.core.rpc.proto.TaskUpdate;
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
        TaskExecutor executor = TaskExecutor.withOwnBlockManager("exec-1", cores, maxDirectResultBytes, 64 * MiB,
                SERIALIZER, loader, driver, uploader);
        toClose.add(executor);
        return executor;
    }

    /** LaunchTasks for tasks {@code firstTask..} of one stage, partition i for task firstTask + i, its code included. */
    private static DriverMessage launch(int stageId, StageCode code, long firstTask, int count) {
        LaunchTasks.Builder launch = LaunchTasks.newBuilder();
        if (code != null) {
            launch.addStages(io.ember.core.rpc.proto.StageCode.newBuilder()
                    .setStageId(stageId)
                    .setCode(ByteString.copyFrom(SERIALIZER.serialize(code))));
        }
        for (int i = 0; i < count; i++) {
            launch.addTasks(TaskDescription.newBuilder()
                    .setTaskId(firstTask + i)
                    .setStageId(stageId)
                    .setPartition(i));
        }
        return DriverMessage.newBuilder().setLaunchTasks(launch).build();
    }

    private static DriverMessage kill(long taskId) {
        return DriverMessage.newBuilder().setKillTask(KillTask.newBuilder().setTaskId(taskId).setReason("test")).build();
    }

    private static Object result(TaskUpdate update) {
        assertEquals(TaskState.TASK_FINISHED, update.getState(), update.toString());
        return SERIALIZER.deserialize(update.getResult().toByteArray(), LOADER);
    }

    @Test
    void runsALaunchedTaskAndSendsItsResult() {
        TaskExecutor executor = executor(2);
        Probe probe = TestingStages.newProbe();

        executor.handle(launch(1, new TimesTen(probe.id), 100, 4));

        assertEquals(30, result(driver.awaitUpdate(103)));
        assertEquals(0, result(driver.awaitUpdate(100)));
        assertTrue(driver.awaitUpdate(101).getMetrics().getRunNanos() > 0);
        Eventually.await(() -> executor.activeTasks() == 0, "no active task left");
    }

    @Test
    void deserializesAStagesCodeOnceForAllItsTasks() {
        TaskExecutor executor = executor(2);
        Probe probe = TestingStages.newProbe();

        executor.handle(launch(1, new TimesTen(probe.id), 0, 50));
        executor.handle(launch(1, null, 50, 50));   // the code was sent once: these tasks carry none

        driver.awaitUpdates(100);
        assertEquals(1, probe.deserialized.get());
        assertEquals(100, probe.ran.get());
    }

    @Test
    void queuesTasksBeyondItsCoresAndRunsThemAll() {
        TaskExecutor executor = executor(2);
        Probe blocking = TestingStages.newProbe();
        executor.handle(launch(1, new BlockUntilReleased(blocking.id), 0, 5));

        Eventually.await(() -> blocking.started.get() == 2, "two tasks running");
        assertEquals(5, executor.activeTasks(), "2 running and 3 queued");
        assertEquals(2, blocking.started.get());
        blocking.release.countDown();

        driver.awaitUpdates(5);
        for (long task = 0; task < 5; task++) {
            assertEquals("released", result(driver.awaitUpdate(task)));
        }
        Probe counting = TestingStages.newProbe();
        executor.handle(launch(2, new TimesTen(counting.id), 5, 40));
        driver.awaitUpdates(45);
        assertTrue(counting.threads.stream().allMatch(name -> name.startsWith("ember-task-")),
                counting.threads::toString);
        assertTrue(counting.threads.stream().distinct().count() <= 2, counting.threads::toString);
    }

    @Test
    void reportsAFailureWithTheErrorsClassMessageStackAndTheExceptionItself() {
        TaskExecutor executor = executor(1);

        executor.handle(launch(1, new Fail("boom"), 7, 1));

        TaskUpdate update = driver.awaitUpdate(7);
        assertEquals(TaskState.TASK_FAILED, update.getState());
        TaskError error = update.getError();
        assertEquals(IllegalStateException.class.getName(), error.getClassName());
        assertEquals("boom", error.getMessage());
        assertTrue(error.getStackTrace().startsWith("java.lang.IllegalStateException: boom"), error.getStackTrace());
        assertTrue(error.getStackTrace().contains("TestingStages$Fail.runTask"), error.getStackTrace());
        Object exception = SERIALIZER.deserialize(error.getException().toByteArray(), LOADER);
        assertInstanceOf(IllegalStateException.class, exception);
        assertEquals("boom", ((Throwable) exception).getMessage());
    }

    @Test
    void reportsAFailureWhoseExceptionCannotBeSerializedWithoutIt() {
        TaskExecutor executor = executor(1);

        executor.handle(launch(1, new FailUnserializably("holds a thread"), 7, 1));

        TaskUpdate update = driver.awaitUpdate(7);
        assertEquals(TaskState.TASK_FAILED, update.getState());
        assertEquals(TestingStages.UnserializableException.class.getName(), update.getError().getClassName());
        assertEquals("holds a thread", update.getError().getMessage());
        assertTrue(update.getError().getException().isEmpty());
        assertFalse(update.getError().getStackTrace().isEmpty());
    }

    @Test
    void failsATaskWhoseResultIsNotSerializableNamingTheClass() {
        TaskExecutor executor = executor(1);

        executor.handle(launch(1, new ReturnOpaque(), 7, 1));

        TaskUpdate update = driver.awaitUpdate(7);
        assertEquals(TaskState.TASK_FAILED, update.getState());
        assertEquals(ResultNotSerializableException.class.getName(), update.getError().getClassName());
        assertTrue(update.getError().getMessage().startsWith("The result of task 7 (of class "
                + TestingStages.Opaque.class.getName() + ") cannot be sent to the driver: not serializable: "
                + TestingStages.Opaque.class.getName()), update.getError().getMessage());
    }

    @Test
    void killsARunningTaskByInterruptingIt() {
        TaskExecutor executor = executor(1);
        Probe probe = TestingStages.newProbe();
        executor.handle(launch(1, new BlockUntilReleased(probe.id), 7, 1));
        Eventually.await(() -> probe.started.get() == 1, "the task running");

        executor.handle(kill(7));

        assertEquals(TaskState.TASK_KILLED, driver.awaitUpdate(7).getState());
        Eventually.await(() -> executor.activeTasks() == 0, "no active task left");
    }

    @Test
    void neverRunsAQueuedTaskThatWasKilled() {
        TaskExecutor executor = executor(1);
        Probe first = TestingStages.newProbe();
        Probe second = TestingStages.newProbe();
        executor.handle(launch(1, new BlockUntilReleased(first.id), 1, 1));
        executor.handle(launch(2, new TimesTen(second.id), 2, 1));
        Eventually.await(() -> first.started.get() == 1, "the first task running");

        executor.handle(kill(2));

        assertEquals(TaskState.TASK_KILLED, driver.awaitUpdate(2).getState(), "reported at once, while queued");
        first.release.countDown();
        assertEquals("released", result(driver.awaitUpdate(1)));
        assertEquals(0, second.ran.get());
        Eventually.await(() -> executor.activeTasks() == 0, "no active task left");
    }

    @Test
    void uploadsAResultLargerThanTheDirectLimit() {
        TaskExecutor executor = executor(1, 1000, LOADER, (taskId, result) -> uploads.put(taskId, result));

        executor.handle(launch(1, new ReturnBytes(5000), 7, 2));

        TaskUpdate update = driver.awaitUpdate(7);
        assertEquals(TaskState.TASK_FINISHED, update.getState());
        assertTrue(update.getResult().isEmpty());
        byte[] uploaded = uploads.get(7L);
        assertEquals(uploaded.length, update.getUploadedResultBytes());
        byte[] expected = (byte[]) new ReturnBytes(5000).runTask(0, null);
        assertArrayEquals(expected, (byte[]) SERIALIZER.deserialize(uploaded, LOADER));
    }

    @Test
    void failsATaskWhoseResultCannotBeUploaded() {
        TaskExecutor executor = executor(1, 1000, LOADER, (taskId, result) -> {
            throw new IOException("the driver at 127.0.0.1:1 is unreachable");
        });

        executor.handle(launch(1, new ReturnBytes(5000), 7, 1));

        TaskUpdate update = driver.awaitUpdate(7);
        assertEquals(TaskState.TASK_FAILED, update.getState());
        assertEquals(IOException.class.getName(), update.getError().getClassName());
    }

    @Test
    void batchesUpdatesThatEndTogetherIntoOneMessage() {
        TaskExecutor executor = executor(2);
        // The first message is held until every task has ended: the rest must then go out together.
        driver.beforeFirstMessage(() -> Eventually.await(() -> executor.activeTasks() == 0, "every task ended"));
        Probe probe = TestingStages.newProbe();

        executor.handle(launch(1, new TimesTen(probe.id), 0, 200));

        driver.awaitUpdates(200);
        List<ExecutorMessage> messages = driver.messages();
        assertTrue(messages.size() <= 2, messages.size() + " messages for 200 tasks");
        assertEquals(1, driver.mostConcurrentCalls());
        assertEquals(Set.of("ember-task-updates"), driver.threads());
    }

    @Test
    void runsTasksWithTheApplicationLoaderAsContextClassLoader() throws IOException {
        try (URLClassLoader application = new URLClassLoader("test-application", new URL[0], LOADER)) {
            TaskExecutor executor = executor(1, MiB, application, (taskId, result) -> { });

            executor.handle(launch(1, new ContextLoaderName(), 7, 1));

            assertEquals("test-application", result(driver.awaitUpdate(7)));
        }
    }

    @Test
    void failsTheTasksOfAStageItHasNoCodeFor() {
        TaskExecutor executor = executor(1);
        Probe probe = TestingStages.newProbe();
        executor.handle(launch(1, new TimesTen(probe.id), 1, 1));
        driver.awaitUpdate(1);

        executor.handle(DriverMessage.newBuilder().setForgetStages(ForgetStages.newBuilder().addStageIds(1)).build());
        executor.handle(launch(1, null, 2, 1));

        TaskUpdate update = driver.awaitUpdate(2);
        assertEquals(TaskState.TASK_FAILED, update.getState());
        assertEquals("executor exec-1 has no code for stage 1 (it was never sent, or was forgotten)",
                update.getError().getMessage());
    }

    @Test
    void failsEveryTaskOfAStageWhoseCodeCannotBeDeserialized() {
        TaskExecutor executor = executor(1);
        DriverMessage launch = DriverMessage.newBuilder().setLaunchTasks(LaunchTasks.newBuilder()
                .addStages(io.ember.core.rpc.proto.StageCode.newBuilder().setStageId(3)
                        .setCode(ByteString.copyFromUtf8("not a serialized object")))
                .addTasks(TaskDescription.newBuilder().setTaskId(1).setStageId(3))
                .addTasks(TaskDescription.newBuilder().setTaskId(2).setStageId(3).setPartition(1)))
                .build();

        executor.handle(launch);

        for (long task = 1; task <= 2; task++) {
            TaskUpdate update = driver.awaitUpdate(task);
            assertEquals(TaskState.TASK_FAILED, update.getState());
            assertEquals(JavaSerializer.PayloadRejectedException.class.getName(), update.getError().getClassName());
        }
    }

    @Test
    void countsCacheHitsAndMissesAndTellsTheDriverOfBlocksStoredAndDropped() {
        TaskExecutor executor = executor(1);

        executor.handle(launch(1, new SumCached(4, 1000), 1, 1));
        TaskUpdate miss = driver.awaitUpdate(1);
        executor.handle(launch(1, null, 2, 1));
        TaskUpdate hit = driver.awaitUpdate(2);

        assertEquals(499_500L, result(miss));
        assertEquals(499_500L, result(hit));
        assertEquals(0, miss.getMetrics().getCacheHits());
        assertEquals(1, miss.getMetrics().getCacheMisses());
        assertEquals(1, hit.getMetrics().getCacheHits());
        assertEquals(0, hit.getMetrics().getCacheMisses());
        List<BlockUpdate> stored = driver.blockUpdates();
        assertEquals(1, stored.size(), stored.toString());
        assertEquals(4, stored.get(0).getDatasetId());
        assertEquals(0, stored.get(0).getPartition());
        assertTrue(stored.get(0).getStored());
        assertEquals(executor.blocks().usedBytes(), stored.get(0).getSizeBytes());

        executor.handle(DriverMessage.newBuilder().setDropBlocks(DropBlocks.newBuilder().setDatasetId(4)).build());

        Eventually.await(() -> driver.blockUpdates().size() == 2, () -> "a dropped block: " + driver.blockUpdates());
        BlockUpdate dropped = driver.blockUpdates().get(1);
        assertFalse(dropped.getStored());
        assertEquals(4, dropped.getDatasetId());
        assertEquals(0, executor.blocks().blockCount());
    }

    @Test
    void leavesTheChangesOfABlockManagerItWasGivenToThatBlockManagersListener() {
        List<BlockChange> changes = new CopyOnWriteArrayList<>();
        BlockManager blocks = new BlockManager(64 * MiB, changes::add);
        TaskExecutor executor = new TaskExecutor("exec-1", 1, MiB, blocks, SERIALIZER, LOADER, driver,
                (taskId, result) -> { });
        toClose.add(executor);

        executor.handle(launch(1, new SumCached(4, 10), 1, 1));

        assertEquals(45L, result(driver.awaitUpdate(1)));
        assertEquals(List.of(new BlockChange(new BlockId(4, 0), true, blocks.usedBytes())), changes);
        assertEquals(List.of(), driver.blockUpdates());
        assertEquals(1, driver.messages().size());
        assertSame(blocks, executor.blocks());
    }

    @Test
    void closeKillsRunningTasksAndIsIdempotent() {
        TaskExecutor executor = executor(1);
        Probe probe = TestingStages.newProbe();
        executor.handle(launch(1, new BlockUntilReleased(probe.id), 1, 3));
        Eventually.await(() -> probe.started.get() == 1, "the first task running");

        executor.close();
        executor.close();

        Eventually.await(() -> probe.interrupted.get() == 1, "the running task interrupted");
        assertEquals(1, probe.ran.get(), "queued tasks never ran");
        executor.handle(launch(2, null, 10, 1));   // ignored
        assertFalse(driver.hasUpdate(10));
    }
}
