package io.ember.core.executor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.core.executor.TaskReport.Metrics;
import io.ember.core.executor.TaskReport.State;
import io.ember.core.executor.TestingStages.ReturnBytes;
import io.ember.core.executor.TestingStages.SumCached;
import io.ember.core.serialization.JavaSerializer;
import io.ember.core.serialization.PayloadFilter;
import io.ember.core.serialization.RecordSerializer;
import io.ember.core.storage.BlockManager;
import io.ember.core.task.ShuffleCounts;
import io.ember.core.task.StageCode;
import io.ember.core.task.TaskContext;
import java.io.ObjectStreamException;
import java.io.Serial;
import java.io.Serializable;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a {@link TaskRunner} measures of each task, on clocks the test moves: the stage code moves
 * them while it is deserialized, while it runs and while its result is serialized, so each figure
 * can be checked exactly. Tasks run on the test's thread.
 */
final class TaskRunnerMetricsTest {

    private static final JavaSerializer SERIALIZER = new JavaSerializer(PayloadFilter.standard());
    private static final ClassLoader LOADER = TaskRunnerMetricsTest.class.getClassLoader();
    /** The clocks of each test, found by the stage code (which is serialized) by id. */
    private static final Map<String, Clocks> CLOCKS = new ConcurrentHashMap<>();

    private final Clocks clocks = new Clocks();
    private final BlockManager blocks = new BlockManager(16 << 20, change -> { });
    private final ShuffleAccess shuffle = ShuffleAccess.none(new RecordSerializer(LOADER, PayloadFilter.standard()),
            "a test");

    /** A monotonic clock in ns and the JVM's GC time in ms, both moved by hand. */
    static final class Clocks {
        final String id = UUID.randomUUID().toString();
        final AtomicLong nanos = new AtomicLong(5_000_000_000L);
        final AtomicLong gcMillis = new AtomicLong(700);

        Clocks() {
            CLOCKS.put(id, this);
        }
    }

    @AfterEach
    void forgetClocks() {
        CLOCKS.remove(clocks.id);
        shuffle.close();
    }

    private TaskServices services(long maxDirectResultBytes, TaskExecutor.ResultUploader uploader) {
        return new TaskServices("exec-1", maxDirectResultBytes, blocks, SERIALIZER, LOADER, uploader, shuffle,
                clocks.nanos::get, clocks.gcMillis::get);
    }

    private TaskReport run(StageSlot stage, long taskId, TaskServices services) {
        TaskReport[] report = new TaskReport[1];
        new TaskRunner(new TaskToRun(taskId, stage.stageId(), 0, 0), stage, services, (r, ended) -> report[0] = ended)
                .run();
        return report[0];
    }

    private TaskReport run(StageSlot stage, long taskId) {
        return run(stage, taskId, services(1 << 20, (id, result) -> {
            throw new AssertionError("nothing is uploaded");
        }));
    }

    private static StageSlot slot(StageCode code) {
        return new StageSlot(1, 0, SERIALIZER.serialize(code));
    }

    @Test
    void timesGettingTheStagesCodeApartFromRunningItAndOnlyTheFirstTaskDeserializes() {
        StageSlot stage = slot(new Timed(clocks.id, Duration.ofMillis(7), Duration.ofMillis(11), 0));

        Metrics first = run(stage, 1).metrics();
        Metrics second = run(stage, 2).metrics();

        assertEquals(Duration.ofMillis(7).toNanos(), first.deserializeNanos());
        assertEquals(Duration.ofMillis(11).toNanos(), first.runNanos());
        assertEquals(0, second.deserializeNanos(), "the code was kept: nothing to deserialize");
        assertEquals(Duration.ofMillis(11).toNanos(), second.runNanos());
    }

    @Test
    void countsTheJvmsGcTimeFromTheTasksStartToTheEndOfSerializingItsResult() {
        StageSlot stage = slot(new Timed(clocks.id, Duration.ZERO, Duration.ofMillis(1), 40));

        TaskReport report = run(stage, 1);

        assertEquals(State.FINISHED, report.state());
        assertEquals(40 + GcWhileSerialized.MILLIS, report.metrics().gcMillis(),
                "the collections while it ran and while its result was serialized, not the JVM's 700 ms before");
    }

    @Test
    void aFailedTaskReportsWhatItMeasuredAndNoResultBytes() {
        StageSlot stage = slot(new TimedThenFail(clocks.id, Duration.ofMillis(3), 25));

        TaskReport report = run(stage, 1);

        assertEquals(State.FAILED, report.state());
        assertEquals(Duration.ofMillis(3).toNanos(), report.metrics().runNanos());
        assertEquals(25, report.metrics().gcMillis());
        assertEquals(0, report.metrics().resultBytes());
    }

    @Test
    void resultBytesAreTheSerializedResultsLengthWhetherSentInlineOrUploaded() {
        StageSlot stage = slot(new ReturnBytes(5_000));
        Map<Long, byte[]> uploads = new ConcurrentHashMap<>();

        TaskReport inline = run(stage, 1);
        TaskReport uploaded = run(stage, 2, services(1_000, uploads::put));

        assertEquals(inline.result().length, inline.metrics().resultBytes());
        assertTrue(inline.metrics().resultBytes() > 5_000, inline.metrics().toString());
        assertTrue(uploaded.isUploaded());
        assertEquals(uploaded.uploadedResultBytes(), uploaded.metrics().resultBytes());
        assertArrayEquals(inline.result(), uploads.get(2L), "the same result, uploaded");
        assertEquals(inline.metrics().resultBytes(), uploaded.metrics().resultBytes());
    }

    @Test
    void reportsTheShuffleFiguresTheTaskCountedAndItsCacheFigures() {
        TaskReport report = run(slot(new CountsShuffle()), 1);

        Metrics metrics = report.metrics();
        assertEquals(State.FINISHED, report.state());
        assertEquals(new Metrics(metrics.deserializeNanos(), metrics.runNanos(), metrics.gcMillis(),
                metrics.resultBytes(), 300, 3, 1_200, 40, 0, 0, 0, 0), metrics);
        assertEquals(0, metrics.cacheHits());

        Metrics cached = run(new StageSlot(2, 0, SERIALIZER.serialize(new SumCached(4, 10))), 2).metrics();
        assertEquals(1, cached.cacheMisses());
        assertEquals(0, cached.shuffleReadRecords() + cached.shuffleWriteRecords(), "a task that shuffles nothing");
    }

    /**
     * Moves the test's clock by {@code deserialize} while it is deserialized; when it runs, moves it
     * by {@code run} and the GC time by {@code gcMillis}, and returns a {@link GcWhileSerialized}.
     */
    record Timed(String clocksId, Duration deserialize, Duration run, long gcMillis) implements StageCode {
        @Serial
        private Object readResolve() throws ObjectStreamException {
            CLOCKS.get(clocksId).nanos.addAndGet(deserialize.toNanos());
            return this;
        }

        @Override
        public Object runTask(int partition, TaskContext context) {
            Clocks clocks = CLOCKS.get(clocksId);
            clocks.nanos.addAndGet(run.toNanos());
            clocks.gcMillis.addAndGet(gcMillis);
            return new GcWhileSerialized(clocksId);
        }
    }

    /** A result whose serialization moves the test's GC time by {@link #MILLIS}. */
    record GcWhileSerialized(String clocksId) implements Serializable {
        static final long MILLIS = 2;

        @Serial
        private Object writeReplace() throws ObjectStreamException {
            CLOCKS.get(clocksId).gcMillis.addAndGet(MILLIS);
            return this;
        }
    }

    /** Moves the clock by {@code run} and the GC time by {@code gcMillis}, then throws. */
    record TimedThenFail(String clocksId, Duration run, long gcMillis) implements StageCode {
        @Override
        public Object runTask(int partition, TaskContext context) {
            Clocks clocks = CLOCKS.get(clocksId);
            clocks.nanos.addAndGet(run.toNanos());
            clocks.gcMillis.addAndGet(gcMillis);
            throw new IllegalStateException("failed after a while");
        }
    }

    /** Counts in its context what a task reading 3 records (300 bytes) and writing 40 (1,200 bytes) counts. */
    record CountsShuffle() implements StageCode {
        @Override
        public Object runTask(int partition, TaskContext context) {
            ShuffleCounts counts = context.shuffleCounts();
            counts.blockRead(100);
            counts.blockRead(200);
            for (int i = 0; i < 3; i++) {
                counts.recordRead();
            }
            counts.written(40, 1_200);
            return "counted";
        }
    }
}
