package io.ember.core.local;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.core.driver.endpoint.ExecutorTraffic;
import io.ember.core.executor.ShuffleAccess;
import io.ember.core.executor.TaskExecutor;
import io.ember.core.executor.TaskReport;
import io.ember.core.job.JobId;
import io.ember.core.job.StageId;
import io.ember.core.memory.ExecutorMemory;
import io.ember.core.scheduler.StageShipment;
import io.ember.core.scheduler.TaskLaunch;
import io.ember.core.scheduler.TaskOutcome;
import io.ember.core.scheduler.TaskRunMetrics;
import io.ember.core.serialization.JavaSerializer;
import io.ember.core.serialization.PayloadFilter;
import io.ember.core.serialization.RecordSerializer;
import io.ember.core.storage.BlockChange;
import io.ember.core.task.BlockId;
import io.ember.core.task.StageCode;
import io.ember.core.task.TaskContext;
import io.ember.core.testing.Eventually;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code local[N]}'s executor as the task scheduler sees it: calls through the {@link LocalGateway},
 * outcomes and block changes back through {@link LocalReports}, a real task executor in between.
 */
final class LocalGatewayTest {

    private static final JavaSerializer SERIALIZER = new JavaSerializer(PayloadFilter.standard());
    private static final ClassLoader LOADER = LocalGatewayTest.class.getClassLoader();
    private static final String EXECUTOR = LocalExecutor.EXECUTOR_ID;

    private final RecordingTraffic traffic = new RecordingTraffic();
    private final TaskExecutor executor = TaskExecutor.withOwnBlockManager(EXECUTOR, 2, Long.MAX_VALUE,
            new ExecutorMemory(64 << 20, 0),
            SERIALIZER, LOADER, new LocalReports(EXECUTOR, traffic), (taskId, result) -> {
                throw new IllegalStateException("local mode uploads no results");
            }, ShuffleAccess.none(new RecordSerializer(LOADER, PayloadFilter.standard()), "a test"));
    private final LocalGateway gateway = new LocalGateway(EXECUTOR, 2, executor);

    @AfterEach
    void close() {
        executor.close();
    }

    /** Launches tasks {@code firstTask..} of a stage, partition i for task firstTask + i, its code shipped. */
    private void launch(int stageId, StageCode code, long firstTask, int count) {
        List<StageShipment> stages = code == null ? List.of()
                : List.of(new StageShipment(new StageId(stageId), new JobId(1), SERIALIZER.serialize(code)));
        List<TaskLaunch> tasks = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            tasks.add(new TaskLaunch(firstTask + i, new StageId(stageId), i, 0));
        }
        gateway.launch(stages, tasks);
    }

    private static Object result(TaskOutcome outcome) {
        assertEquals(TaskOutcome.State.FINISHED, outcome.state(), outcome.toString());
        return SERIALIZER.deserialize(outcome.result(), LOADER);
    }

    @Test
    void isTheOneExecutorWithItsThreads() {
        assertEquals("driver", gateway.executorId());
        assertEquals("localhost", gateway.host());
        assertEquals(2, gateway.cores());
    }

    @Test
    void runsLaunchedTasksAndReportsTheirResultsAsOutcomesOfTheExecutor() {
        launch(1, new TimesTen(), 100, 3);

        assertEquals(0, result(traffic.await(100)));
        assertEquals(20, result(traffic.await(102)));
        assertTrue(traffic.await(101).metrics().runNanos() > 0);
        assertEquals(List.of(EXECUTOR), traffic.executors());
    }

    @Test
    void sendsAResultOfAnySizeInline() {
        launch(1, new ReturnBytes(5 << 20), 1, 1);

        byte[] result = (byte[]) result(traffic.await(1));

        assertEquals(5 << 20, result.length);
        assertEquals((byte) 7, result[7]);
    }

    @Test
    void killsATask() {
        launch(1, new AwaitInterrupt(), 1, 1);

        gateway.kill(1, "a test");

        assertEquals(TaskOutcome.State.KILLED, traffic.await(1).state());
    }

    @Test
    void reportsAFailureWithTheSerializedException() {
        launch(1, new Fail("boom"), 1, 1);

        TaskOutcome outcome = traffic.await(1);

        assertEquals(TaskOutcome.State.FAILED, outcome.state());
        assertEquals(IllegalStateException.class.getName(), outcome.failure().className());
        assertEquals("boom", outcome.failure().message());
        assertTrue(outcome.failure().stackTrace().contains("Fail.runTask"), outcome.failure().stackTrace());
        Object exception = SERIALIZER.deserialize(outcome.failure().exception(), LOADER);
        assertEquals("boom", assertInstanceOf(IllegalStateException.class, exception).getMessage());
    }

    @Test
    void countsCacheHitsAndMissesAndReportsBlocksStoredAndDropped() {
        launch(1, new SumCached(4, 100), 1, 1);
        TaskOutcome miss = traffic.await(1);
        launch(1, null, 2, 1);
        TaskOutcome hit = traffic.await(2);

        assertEquals(4950L, result(miss));
        assertEquals(4950L, result(hit));
        assertEquals(List.of(0, 1), List.of(miss.metrics().cacheHits(), miss.metrics().cacheMisses()));
        assertEquals(List.of(1, 0), List.of(hit.metrics().cacheHits(), hit.metrics().cacheMisses()));
        assertEquals(List.of(new BlockChange(new BlockId(4, 0), true, executor.blocks().usedBytes())),
                traffic.blockChanges());

        gateway.dropBlocks(4);

        Eventually.await(() -> traffic.blockChanges().size() == 2, () -> "a dropped block: " + traffic.blockChanges());
        assertEquals(new BlockChange(new BlockId(4, 0), false, traffic.blockChanges().get(0).sizeBytes()),
                traffic.blockChanges().get(1));
    }

    @Test
    void forgetsAStagesCode() {
        launch(1, new TimesTen(), 1, 1);
        traffic.await(1);

        gateway.forgetStages(List.of(new StageId(1)));
        launch(1, null, 2, 1);

        TaskOutcome outcome = traffic.await(2);
        assertEquals(TaskOutcome.State.FAILED, outcome.state());
        assertEquals("executor driver has no code for stage 1 (it was never sent, or was forgotten)",
                outcome.failure().message());
    }

    @Test
    void passesResultsAndExceptionsOnWithoutCopyingThem() {
        byte[] result = {1, 2, 3};
        byte[] exception = {4, 5};
        TaskReport.Metrics metrics = new TaskReport.Metrics(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);

        TaskOutcome finished = LocalReports.outcome(TaskReport.finished(7, result, metrics));
        TaskOutcome failed = LocalReports.outcome(TaskReport.failed(8,
                new TaskReport.Failure("E", "m", "s", exception, true), metrics));
        TaskOutcome notRetryable = LocalReports.outcome(TaskReport.failed(9,
                new TaskReport.Failure("E", "m", "s", exception, false), metrics));

        assertSame(result, finished.result());
        TaskRunMetrics expected = new TaskRunMetrics(2, 1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
        assertEquals(expected, finished.metrics(), "every figure, each in its place");
        assertEquals(expected, failed.metrics());
        assertEquals(expected, LocalReports.outcome(TaskReport.killed(10, metrics)).metrics());
        assertSame(exception, failed.failure().exception());
        assertTrue(failed.failure().retryable());
        assertFalse(notRetryable.failure().retryable());
    }

    @Test
    void saysAnUploadedResultIsMissingForItIsNeverUploadedHere() {
        TaskOutcome outcome = LocalReports.outcome(TaskReport.uploaded(7, 100, TaskReport.Metrics.NONE));

        assertEquals(TaskOutcome.State.FINISHED, outcome.state());
        assertNull(outcome.result());
    }

    @Test
    void convertsTheSchedulersStagesAndTasksSharingTheCode() {
        byte[] code = {1, 2};

        var stages = LocalGateway.stages(List.of(new StageShipment(new StageId(3), new JobId(2), code)));
        var tasks = LocalGateway.tasks(List.of(new TaskLaunch(9, new StageId(3), 1, 2)));

        assertEquals(3, stages.get(0).stageId());
        assertEquals(2, stages.get(0).jobId());
        assertSame(code, stages.get(0).code());
        assertArrayEquals(new long[] {9, 3, 1, 2}, new long[] {tasks.get(0).taskId(), tasks.get(0).stageId(),
                tasks.get(0).partition(), tasks.get(0).attempt()});
    }

    /** The scheduler's side: outcomes by task, block changes in order, and which executors spoke. */
    private static final class RecordingTraffic implements ExecutorTraffic {

        private final Map<Long, TaskOutcome> outcomes = new ConcurrentHashMap<>();
        private final List<BlockChange> changes = new CopyOnWriteArrayList<>();
        private final List<String> executors = new CopyOnWriteArrayList<>();

        @Override
        public void tasksEnded(String executorId, List<TaskOutcome> ended) {
            if (!executors.contains(executorId)) {
                executors.add(executorId);
            }
            ended.forEach(outcome -> outcomes.put(outcome.taskId(), outcome));
        }

        @Override
        public void blocksChanged(String executorId, List<BlockChange> changed) {
            if (!executors.contains(executorId)) {
                executors.add(executorId);
            }
            changes.addAll(changed);
        }

        TaskOutcome await(long taskId) {
            return Eventually.awaitValue("the outcome of task " + taskId + "; have " + outcomes.keySet(),
                    () -> outcomes.get(taskId));
        }

        List<BlockChange> blockChanges() {
            return List.copyOf(changes);
        }

        List<String> executors() {
            return List.copyOf(executors);
        }
    }

    /** Returns {@code partition * 10}. */
    record TimesTen() implements StageCode {
        @Override
        public Object runTask(int partition, TaskContext context) {
            return partition * 10;
        }
    }

    /** Returns {@code size} bytes, byte i being {@code i}. */
    record ReturnBytes(int size) implements StageCode {
        @Override
        public Object runTask(int partition, TaskContext context) {
            byte[] bytes = new byte[size];
            for (int i = 0; i < size; i++) {
                bytes[i] = (byte) i;
            }
            return bytes;
        }
    }

    /** Waits until its thread is interrupted (the task is killed); fails after a minute. */
    record AwaitInterrupt() implements StageCode {
        @Override
        public Object runTask(int partition, TaskContext context) throws InterruptedException {
            if (!new CountDownLatch(1).await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("never killed");
            }
            return "never";
        }
    }

    /** Throws an IllegalStateException with the given message. */
    record Fail(String message) implements StageCode {
        @Override
        public Object runTask(int partition, TaskContext context) {
            throw new IllegalStateException(message);
        }
    }

    /** Reads its partition of dataset {@code datasetId} (0..records-1) through the block store; returns the sum. */
    record SumCached(int datasetId, int records) implements StageCode {
        @Override
        public Object runTask(int partition, TaskContext context) {
            long sum = 0;
            var it = context.blocks().<Integer>getOrCompute(new BlockId(datasetId, partition),
                    () -> IntStream.range(0, records).boxed().iterator());
            while (it.hasNext()) {
                sum += it.next();
            }
            return sum;
        }
    }
}
