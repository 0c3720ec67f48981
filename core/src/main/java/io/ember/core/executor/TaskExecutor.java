package io.ember.core.executor;

import static java.util.Objects.requireNonNull;

import io.ember.api.shuffle.BlockLocation;
import io.ember.core.concurrent.Threads;
import io.ember.core.memory.ExecutorMemory;
import io.ember.core.serialization.JavaSerializer;
import io.ember.core.serialization.PayloadFilter;
import io.ember.core.serialization.RecordSerializer;
import io.ember.core.storage.BlockChange;
import io.ember.core.storage.BlockManager;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an application's tasks on one executor, whatever carries the driver's commands: the
 * executor process ({@link ExecutorBackend}, whose stream adapter decodes the driver's messages into
 * these calls) and the driver's own {@code local[N]} mode (in-process, called by the scheduler's
 * gateway) both call it in the executor's own types, and hear what it has to say through its
 * {@link Reports}.
 *
 * <ul>
 *   <li>{@link #launch}: each stage's code is kept by stage id (deserialized later, once, by the
 *       stage's first task); each task becomes a {@link TaskRunner} on the task-launch pool,
 *       {@code cores} daemon threads named {@code ember-task-<n>}, tasks beyond that waiting in the
 *       pool's queue;
 *   <li>{@link #kill}: a running task's kill flag is set and its thread interrupted; a queued
 *       task is taken out of the queue and never runs; either way it ends {@code KILLED};
 *   <li>{@link #dropBlocks}: the dataset's cached blocks are dropped;
 *   <li>{@link #forgetStages}: the stages' code is let go (tasks already launched keep it).
 * </ul>
 *
 * Each task ends with one {@link TaskReport}; a serialized result over {@code maxDirectResultBytes}
 * is first handed to the {@link ResultUploader} on the task's thread. Task reports (and, for a
 * task executor made {@link #withOwnBlockManager}, the block manager's {@link BlockChange}s) are
 * batched ({@link UpdateSender}): whatever is queued goes to the {@link Reports} in one call as soon
 * as the previous call has returned.
 *
 * <p>Threading: {@link #launch}, {@link #kill}, {@link #dropBlocks} and {@link #forgetStages} are
 * called by one thread at a time (the executor's inbound thread, or the driver's scheduler in local
 * mode) and return at once: they never run a task, wait for one, or deserialize anything. The
 * {@link Reports} are called on this executor's own update thread only, never concurrently and
 * never from those methods. {@link #activeTasks} and {@link #blocks} may be called from any thread;
 * {@link #close} is idempotent.
 */
public final class TaskExecutor implements AutoCloseable {

    /** Sends a result too large for the driver's stream another way (an executor's {@code UploadResult} call). */
    @FunctionalInterface
    public interface ResultUploader {

        /**
         * Sends {@code result} (a serialized task result) to the driver, returning once the driver
         * has it. Called on the task's thread; an interrupt means the task is being killed.
         *
         * @throws Exception when the driver did not get it: the task fails with this
         */
        void upload(long taskId, byte[] result) throws Exception;
    }

    /**
     * Hears what a task executor reports to its driver, in batches: called on the executor's update
     * thread only, one call at a time; must not block for long. Each list is the callee's to keep.
     */
    public interface Reports {

        /** Tasks that ended, one report each, in the order they ended. */
        void tasksEnded(List<TaskReport> reports);

        /** Cached blocks the executor's own block manager stored or dropped, in order. */
        void blocksChanged(List<BlockChange> changes);
    }

    private static final Logger LOG = LoggerFactory.getLogger(TaskExecutor.class);
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(2);

    private final String executorId;
    private final TaskServices services;
    private final BlockManager blocks;
    private final UpdateSender updates;
    private final ThreadPoolExecutor pool;
    /** Only on the thread calling {@link #launch} and {@link #forgetStages}. */
    private final Map<Integer, StageSlot> stages = new HashMap<>();
    /** Launched tasks that have not ended, by id. */
    private final ConcurrentHashMap<Long, TaskRunner> tasks = new ConcurrentHashMap<>();
    private final AtomicInteger active = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final TaskRunner.Completion completion = this::ended;

    /**
     * Starts an executor's task machinery (its update thread; task threads start with the first
     * tasks) around a block manager of the caller's: its changes go to its own listener only, not
     * to {@code toDriver} (see {@link #withOwnBlockManager} for that).
     *
     * @param executorId the executor, as tasks see it ({@code TaskContext.executorId()})
     * @param cores tasks that run at once
     * @param maxDirectResultBytes a serialized result larger than this goes through {@code uploader}
     * @param blocks the executor's cached partitions, as tasks see them ({@code TaskContext.blocks()})
     * @param serializer deserializes stage code, serializes results and errors
     * @param applicationLoader loads the application's classes: resolves stage code, and is each
     *     task thread's context class loader while a task runs
     * @param toDriver hears the task reports (and the block changes, for a task executor made
     *     {@link #withOwnBlockManager})
     * @param uploader sends the results too large for {@code toDriver}
     */
    public TaskExecutor(String executorId, int cores, long maxDirectResultBytes, BlockManager blocks,
            JavaSerializer serializer, ClassLoader applicationLoader, Reports toDriver, ResultUploader uploader) {
        this(executorId, cores, maxDirectResultBytes, sender -> requireNonNull(blocks, "blocks is null"), serializer,
                applicationLoader, new UpdateSender(toDriver), uploader, noShuffle(applicationLoader));
    }

    private static ShuffleAccess noShuffle(ClassLoader applicationLoader) {
        return ShuffleAccess.none(new RecordSerializer(
                requireNonNull(applicationLoader, "applicationLoader is null"),
                PayloadFilter.standard()), "none was configured for it");
    }

    /**
     * A task executor with a block manager of its own, on the executor's memory budget {@code memory}
     * (shared with its tasks' buffers), whose changes go to the driver through {@code toDriver},
     * batched with the task reports. What an executor process and {@code local[N]} use; the other
     * parameters are the constructor's.
     *
     * @param memory the executor's memory budget
     */
    public static TaskExecutor withOwnBlockManager(String executorId, int cores, long maxDirectResultBytes,
            ExecutorMemory memory, JavaSerializer serializer, ClassLoader applicationLoader,
            Reports toDriver, ResultUploader uploader) {
        return withOwnBlockManager(executorId, cores, maxDirectResultBytes, memory, serializer,
                applicationLoader, toDriver, uploader, noShuffle(applicationLoader));
    }

    /**
     * {@link #withOwnBlockManager(String, int, long, ExecutorMemory, JavaSerializer, ClassLoader, Reports,
     * ResultUploader)}
     * with a shuffle: tasks reach it through {@code TaskContext.shuffle()} and {@code records()}; it is
     * closed with this executor.
     */
    public static TaskExecutor withOwnBlockManager(String executorId, int cores, long maxDirectResultBytes,
            ExecutorMemory memory, JavaSerializer serializer, ClassLoader applicationLoader,
            Reports toDriver, ResultUploader uploader, ShuffleAccess shuffle) {
        return new TaskExecutor(executorId, cores, maxDirectResultBytes,
                sender -> new BlockManager(memory, sender), serializer, applicationLoader,
                new UpdateSender(toDriver), uploader, shuffle);
    }

    private TaskExecutor(String executorId, int cores, long maxDirectResultBytes,
            Function<UpdateSender, BlockManager> blocks, JavaSerializer serializer, ClassLoader applicationLoader,
            UpdateSender updates, ResultUploader uploader, ShuffleAccess shuffle) {
        this.executorId = requireNonNull(executorId, "executorId is null");
        if (cores < 1) {
            throw new IllegalArgumentException("cores must be >= 1: " + cores);
        }
        this.updates = updates;
        this.blocks = blocks.apply(updates);
        this.services = new TaskServices(executorId, maxDirectResultBytes, this.blocks, serializer, applicationLoader,
                uploader, shuffle, System::nanoTime, new JvmGcTime());
        this.pool = new ThreadPoolExecutor(cores, cores, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                Threads.numberedDaemons("ember-task-"));
    }

    /**
     * Keeps the code of stages not seen before and queues the tasks for the task threads; returns at
     * once. A task already launched here is not launched again. Ignored once closed.
     *
     * @param stages the code of the tasks' stages this executor was not sent before
     * @param tasks the tasks, in launch order
     */
    public void launch(List<SerializedStage> stages, List<TaskToRun> tasks) {
        if (isClosed("LAUNCH_TASKS")) {
            return;
        }
        for (int i = 0, n = stages.size(); i < n; i++) {
            SerializedStage stage = stages.get(i);
            this.stages.putIfAbsent(stage.stageId(), new StageSlot(stage.stageId(), stage.jobId(), stage.code()));
        }
        for (int i = 0, n = tasks.size(); i < n; i++) {
            launch(tasks.get(i));
        }
    }

    /**
     * Kills a task: a running one is interrupted, a queued one never runs; either way it is reported
     * killed. A task that ended already is left alone. Ignored once closed.
     */
    public void kill(long taskId, String reason) {
        if (isClosed("KILL_TASK")) {
            return;
        }
        TaskRunner runner = tasks.get(taskId);
        if (runner == null) {
            return;   // ended already
        }
        LOG.debug("Killing task {} on executor {}{}", taskId, executorId,
                reason.isBlank() ? "" : " (" + reason + ")");
        runner.kill();
        if (pool.remove(runner)) {   // it was still queued: it will never run
            ended(runner, runner.killedBeforeStart());
        }
    }

    /** Drops every cached block of a dataset (unpersist). Ignored once closed. */
    public void dropBlocks(int datasetId) {
        if (isClosed("DROP_BLOCKS")) {
            return;
        }
        blocks.remove(datasetId);
    }

    /**
     * Deletes the files of a shuffle the driver cleaned up (through the executor's shuffle, which may
     * ask the host's shuffle service to delete those of the application's other executors too).
     * With shuffle services at {@code elsewhere} (the driver names them to one executor), asks them to
     * delete the application's files of it too, opening this executor's shuffle for that when no task
     * here has. Ignored once closed, and, with nothing elsewhere, when no task here used the shuffle.
     */
    public void removeShuffle(int shuffleId, List<BlockLocation> elsewhere) {
        if (isClosed("REMOVE_SHUFFLE")) {
            return;
        }
        services.shuffle().removeShuffle(shuffleId, elsewhere);
    }

    /** Lets these stages' code go: they will run no more tasks here. Ignored once closed. */
    public void forgetStages(int[] stageIds) {
        if (isClosed("FORGET_STAGES")) {
            return;
        }
        for (int stageId : stageIds) {
            stages.remove(stageId);
        }
    }

    /** Tasks launched and not ended: running, and waiting for a task thread. */
    public int activeTasks() {
        return active.get();
    }

    /** The executor's cached blocks. */
    public BlockManager blocks() {
        return blocks;
    }

    /**
     * Kills every task (running ones are interrupted, queued ones never run), stops the update
     * thread (updates not yet sent are dropped; {@code toDriver} is not called again) and waits a
     * moment for the task threads to end. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        // Every task is marked killed before any is interrupted: a queued task the pool hands to a
        // thread freed by an interrupted one must see the mark, not start.
        tasks.values().forEach(TaskRunner::markKilled);
        pool.shutdownNow();   // drops the queue and interrupts every task thread
        tasks.values().forEach(TaskRunner::kill);
        updates.close();
        try {
            if (!pool.awaitTermination(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.info("Executor {}: some tasks ignored being interrupted and are still running; they end with the "
                        + "process", executorId);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        services.shuffle().close();
    }

    @Override
    public String toString() {
        return "TaskExecutor[executor " + executorId + ", " + active.get() + " active task(s), " + stages.size()
                + " stage(s)" + (closed.get() ? ", closed" : "") + "]";
    }

    /** Whether this executor is closed; then the driver's command of this kind is ignored. */
    private boolean isClosed(String kind) {
        if (closed.get()) {
            LOG.debug("Executor {} is closed; ignoring a message of kind {}", executorId, kind);
            return true;
        }
        return false;
    }

    private void launch(TaskToRun task) {
        TaskRunner runner = new TaskRunner(task, stages.get(task.stageId()), services, completion);
        if (tasks.putIfAbsent(task.taskId(), runner) != null) {
            LOG.debug("Executor {} already runs task {}; ignoring its second launch", executorId, task.taskId());
            return;
        }
        active.incrementAndGet();
        try {
            pool.execute(runner);
        } catch (RejectedExecutionException closing) {
            tasks.remove(task.taskId(), runner);
            active.decrementAndGet();
        }
    }

    /** A task's one final report: queued for the driver, and the task forgotten. */
    private void ended(TaskRunner runner, TaskReport report) {
        updates.taskEnded(report);
        tasks.remove(runner.taskId(), runner);
        active.decrementAndGet();
    }
}
