package io.ember.core.executor;

import static java.util.Objects.requireNonNull;

import io.ember.api.shuffle.ExecutorShuffle;
import io.ember.core.executor.TaskReport.Metrics;
import io.ember.core.memory.TaskMemory;
import io.ember.core.serialization.JavaSerializer.NotSerializablePayloadException;
import io.ember.core.serialization.RecordSerializer;
import io.ember.core.shuffle.MapOutputsRef;
import io.ember.core.shuffle.MapStatus;
import io.ember.core.storage.CacheCounts;
import io.ember.core.task.BlockStore;
import io.ember.core.task.ShuffleCounts;
import io.ember.core.task.StageCode;
import io.ember.core.task.TaskContext;
import io.ember.core.task.TaskKilledException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One task on a task thread: gets its stage's code (deserializing it if it is the stage's first
 * task here), runs it on its partition with the application's class loader as the thread's context
 * class loader, serializes the result (uploading it when it is too large for the stream) and hands
 * the task's one final {@link TaskReport}, with what it measured ({@link TaskReport.Metrics}), to its
 * {@link Completion}:
 * <ul>
 *   <li>{@code FINISHED} with the result inline, or with the size of the uploaded result;
 *   <li>{@code FAILED} with the error when the code is missing or cannot be deserialized, the
 *       task threw, its result is not serializable, or the upload failed;
 *   <li>{@code KILLED} when it was killed ({@link #kill}) before it started, or threw after
 *       being killed (including {@link TaskKilledException}).
 * </ul>
 *
 * <p>Threading: {@link #run} on a task thread; {@link #kill} from any thread, at any time.
 */
final class TaskRunner implements Runnable {

    /** Hears that a task ended: exactly once per task, on the thread that ran it. */
    interface Completion {
        void ended(TaskRunner runner, TaskReport report);
    }

    private static final Logger LOG = LoggerFactory.getLogger(TaskRunner.class);

    private final long taskId;
    private final int stageId;
    private final int partition;
    private final int attempt;
    /** Null when the executor has no code for the stage. */
    private final StageSlot stage;
    private final TaskServices services;
    private final Completion completion;
    private volatile boolean killed;
    /** Guarded by this: the thread running the task, while it runs. */
    private Thread thread;

    TaskRunner(TaskToRun task, StageSlot stage, TaskServices services, Completion completion) {
        requireNonNull(task, "task is null");
        this.taskId = task.taskId();
        this.stageId = task.stageId();
        this.partition = task.partition();
        this.attempt = task.attempt();
        this.stage = stage;
        this.services = requireNonNull(services, "services is null");
        this.completion = requireNonNull(completion, "completion is null");
    }

    long taskId() {
        return taskId;
    }

    /** Marks the task killed without interrupting it: it will not start, and ends as killed. */
    void markKilled() {
        killed = true;
    }

    /** Asks the task to stop: sets its flag and interrupts its thread if it is running. */
    void kill() {
        killed = true;
        synchronized (this) {
            if (thread != null) {
                thread.interrupt();
            }
        }
    }

    /** The report of a task killed before it started. */
    TaskReport killedBeforeStart() {
        return killed(Metrics.NONE);
    }

    @Override
    public void run() {
        Thread current = Thread.currentThread();
        synchronized (this) {
            thread = current;
        }
        ClassLoader previous = current.getContextClassLoader();
        current.setContextClassLoader(services.applicationLoader());
        TaskReport report;
        try {
            report = killed ? killedBeforeStart() : execute();
        } catch (Throwable e) {   // out of memory while serializing, say: the task still ends, once
            report = failed(e, Metrics.NONE);
        } finally {
            current.setContextClassLoader(previous);
            synchronized (this) {
                thread = null;
            }
            Thread.interrupted();   // a kill that came as the task ended must not reach the thread's next task
        }
        completion.ended(this, report);
    }

    private TaskReport execute() {
        long gcAtStart = services.gcMillis().getAsLong();
        long start = now();
        Context context = new Context();
        StageCode code;
        try {
            if (stage == null) {
                throw new IllegalStateException("executor " + services.executorId() + " has no code for stage "
                        + stageId + " (it was never sent, or was forgotten)");
            }
            code = stage.code(services.serializer(), services.applicationLoader());
        } catch (Throwable e) {
            return failed(e, metrics(now() - start, 0, gcAtStart, 0, context));
        }
        long loaded = now();
        Object result;
        try {
            result = code.runTask(partition, context);
        } catch (Throwable e) {
            Metrics metrics = metrics(loaded - start, now() - loaded, gcAtStart, 0, context);
            return killed || e instanceof TaskKilledException ? killed(metrics) : failed(e, metrics);
        } finally {
            context.complete();
        }
        long runNanos = now() - loaded;
        return finished(result, loaded - start, runNanos, gcAtStart, context);
    }

    /** Serializes the result and sends it inline or uploads it; its GC time runs until it is serialized. */
    private TaskReport finished(Object result, long deserializeNanos, long runNanos, long gcAtStart,
                                Context context) {
        byte[] bytes;
        try {
            bytes = services.serializer().serialize(result);
        } catch (NotSerializablePayloadException e) {
            return failed(new ResultNotSerializableException("The result of task " + taskId + " (of class "
                    + result.getClass().getName() + ") cannot be sent to the driver: " + e.getMessage()),
                    metrics(deserializeNanos, runNanos, gcAtStart, 0, context));
        } catch (RuntimeException | StackOverflowError e) {
            return failed(e, metrics(deserializeNanos, runNanos, gcAtStart, 0, context));
        }
        Metrics metrics = metrics(deserializeNanos, runNanos, gcAtStart, bytes.length, context);
        if (bytes.length <= services.maxDirectResultBytes()) {
            return TaskReport.finished(taskId, bytes, metrics);
        }
        try {
            services.uploader().upload(taskId, bytes);
        } catch (Exception e) {
            return killed ? killed(metrics) : failed(e, metrics);
        }
        return TaskReport.uploaded(taskId, bytes.length, metrics);
    }

    /** "job 3, " when the stage's job is known; the driver says it with the stage's code. */
    private String job() {
        return stage == null ? "" : "job " + stage.jobId() + ", ";
    }

    private TaskReport failed(Throwable error, Metrics metrics) {
        LOG.warn("Task {} ({}stage {}, partition {}, attempt {}) failed: {}", taskId, job(), stageId, partition,
                attempt, TaskErrors.oneLine(error));
        LOG.debug("Task {} failed", taskId, error);
        return TaskReport.failed(taskId, TaskErrors.describe(error, services.serializer()), metrics);
    }

    private TaskReport killed(Metrics metrics) {
        LOG.debug("Task {} ({}stage {}, partition {}, attempt {}) was killed", taskId, job(), stageId, partition,
                attempt);
        return TaskReport.killed(taskId, metrics);
    }

    private long now() {
        return services.nanoTime().getAsLong();
    }

    /** What the task measured, its GC time counted until now. */
    private Metrics metrics(long deserializeNanos, long runNanos, long gcAtStart, long resultBytes,
                            Context context) {
        long gcMillis = Math.max(0, services.gcMillis().getAsLong() - gcAtStart);
        ShuffleCounts shuffle = context.shuffle;
        CacheCounts cache = context.cache;
        return new Metrics(deserializeNanos, runNanos, gcMillis, resultBytes, shuffle.readBytes(),
                shuffle.readRecords(), shuffle.writeBytes(), shuffle.writeRecords(), cache.hits(), cache.misses(),
                shuffle.spills(), shuffle.spillBytes());
    }

    @Override
    public String toString() {
        return "TaskRunner[task " + taskId + ", stage " + stageId + ", partition " + partition + ", attempt "
                + attempt + (killed ? ", killed" : "") + "]";
    }

    /** What the running task sees; on the task's thread. */
    private final class Context implements TaskContext {

        final CacheCounts cache = new CacheCounts();
        final ShuffleCounts shuffle = new ShuffleCounts();
        /** Created with the task's first use of the block store. */
        private BlockStore blocks;
        /** Created with the task's first use of memory. */
        private TaskMemory memory;
        /** What runs when the task ends, in the order registered; run last first. */
        private final List<Runnable> completion = new ArrayList<>();

        @Override
        public void onCompletion(Runnable callback) {
            completion.add(requireNonNull(callback, "callback is null"));
        }

        /** The task's code returned or threw: its completion callbacks run, then its memory goes back. */
        void complete() {
            for (int i = completion.size() - 1; i >= 0; i--) {
                try {
                    completion.get(i).run();
                } catch (RuntimeException | Error e) {
                    LOG.warn("A completion callback of task {} ({}stage {}, partition {}) failed: {}", taskId, job(),
                            stageId, partition, TaskErrors.oneLine(e));
                }
            }
            completion.clear();
            releaseMemory();
        }

        @Override
        public TaskMemory memory() {
            if (memory == null) {
                memory = new TaskMemory(services.blocks().memory(), taskId);
            }
            return memory;
        }

        /** What its memory consumers still hold goes back to the budget. */
        private void releaseMemory() {
            if (memory == null) {
                return;
            }
            long leaked = memory.end();
            if (leaked > 0) {
                LOG.warn("Task {} ({}stage {}, partition {}) ended holding {} bytes of execution memory its buffers did "
                        + "not give back; released now", taskId, job(), stageId, partition, leaked);
            }
        }

        @Override
        public long taskId() {
            return taskId;
        }

        @Override
        public int stageId() {
            return stageId;
        }

        @Override
        public int partition() {
            return partition;
        }

        @Override
        public int attempt() {
            return attempt;
        }

        @Override
        public String executorId() {
            return services.executorId();
        }

        @Override
        public BlockStore blocks() {
            if (blocks == null) {
                blocks = services.blocks().forTask(cache);
            }
            return blocks;
        }

        @Override
        public ShuffleCounts shuffleCounts() {
            return shuffle;
        }

        @Override
        public MapStatus[] mapOutputs(MapOutputsRef ref) {
            try {
                return services.shuffle().mapOutputs().statuses(ref);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot get the " + ref + " from the driver: " + e.getMessage(), e);
            }
        }

        @Override
        public ExecutorShuffle shuffle() {
            return services.shuffle().shuffle();
        }

        @Override
        public RecordSerializer records() {
            return services.shuffle().records();
        }

        @Override
        public Path spillDirectory() {
            return services.shuffle().spillDirectory();
        }

        @Override
        public boolean isKilled() {
            return killed;
        }
    }
}
