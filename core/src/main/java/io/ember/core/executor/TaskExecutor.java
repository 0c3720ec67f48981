package io.ember.core.executor;

import static java.util.Objects.requireNonNull;

import io.ember.core.concurrent.Threads;
import io.ember.core.rpc.proto.DriverMessage;
import io.ember.core.rpc.proto.ExecutorMessage;
import io.ember.core.rpc.proto.KillTask;
import io.ember.core.rpc.proto.LaunchTasks;
import io.ember.core.rpc.proto.TaskDescription;
import io.ember.core.rpc.proto.TaskUpdate;
import io.ember.core.serialization.JavaSerializer;
import io.ember.core.serialization.PayloadFilter;
import io.ember.core.serialization.RecordSerializer;
import io.ember.core.storage.BlockManager;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an application's tasks on one executor, whatever carries the driver's messages: the
 * executor process ({@link ExecutorBackend}, over its stream) and the driver's own {@code local[N]}
 * mode (in-process) both hand it the driver's messages ({@link #handle}) and get back what it has
 * to say ({@code toDriver}).
 *
 * <ul>
 *   <li>{@code LaunchTasks}: each stage's code is kept by stage id (deserialized later, once, by
 *       the stage's first task); each task becomes a {@link TaskRunner} on the task-launch pool,
 *       {@code cores} daemon threads named {@code ember-task-<n>}, tasks beyond that waiting in the
 *       pool's queue;
 *   <li>{@code KillTask}: a running task's kill flag is set and its thread interrupted; a queued
 *       task is taken out of the queue and never runs; either way it ends {@code TASK_KILLED};
 *   <li>{@code DropBlocks}: the dataset's cached blocks are dropped;
 *   <li>{@code ForgetStages}: the stages' code is let go (tasks already launched keep it);
 *   <li>anything else is ignored.
 * </ul>
 *
 * Each task ends with one {@code TaskUpdate}; a serialized result over {@code maxDirectResultBytes}
 * is first handed to the {@link ResultUploader} on the task's thread. Task updates (and, for a
 * task executor made {@link #withOwnBlockManager}, the block manager's {@code BlockUpdate}s) are
 * batched ({@link UpdateSender}): whatever is queued goes to the driver in one message as soon as
 * the previous message has been handed over.
 *
 * <p>Threading: {@link #handle} is called by one thread at a time (the executor's inbound thread,
 * or the driver's scheduler in local mode) and returns at once: it never runs a task, waits for
 * one, or deserializes anything. {@code toDriver} is called on this executor's own update thread
 * only, never concurrently and never from {@link #handle}. {@link #activeTasks} and
 * {@link #blocks} may be called from any thread; {@link #close} is idempotent.
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

    private static final Logger LOG = LoggerFactory.getLogger(TaskExecutor.class);
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(2);

    private final String executorId;
    private final TaskServices services;
    private final BlockManager blocks;
    private final UpdateSender updates;
    private final ThreadPoolExecutor pool;
    /** Only on the thread calling {@link #handle}. */
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
     * @param toDriver takes each message for the driver ({@code TaskUpdates}, and {@code BlockUpdates}
     *     for a task executor made {@link #withOwnBlockManager}); called on one thread at a time, must
     *     not block for long
     * @param uploader sends the results too large for {@code toDriver}
     */
    public TaskExecutor(String executorId, int cores, long maxDirectResultBytes, BlockManager blocks,
            JavaSerializer serializer, ClassLoader applicationLoader, Consumer<ExecutorMessage> toDriver,
            ResultUploader uploader) {
        this(executorId, cores, maxDirectResultBytes, sender -> requireNonNull(blocks, "blocks is null"), serializer,
                applicationLoader, new UpdateSender(toDriver), uploader, noShuffle(applicationLoader));
    }

    private static ShuffleAccess noShuffle(ClassLoader applicationLoader) {
        return ShuffleAccess.none(new RecordSerializer(
                requireNonNull(applicationLoader, "applicationLoader is null"),
                PayloadFilter.standard()), "none was configured for it");
    }

    /**
     * A task executor with a block manager of its own, bounded by {@code storageMemoryBytes}, whose
     * changes ({@code BlockUpdates}) go to the driver through {@code toDriver}, batched with the task
     * updates. What an executor process uses; the other parameters are the constructor's.
     *
     * @param storageMemoryBytes the block manager's bound; 0 caches nothing
     */
    public static TaskExecutor withOwnBlockManager(String executorId, int cores, long maxDirectResultBytes,
            long storageMemoryBytes, JavaSerializer serializer, ClassLoader applicationLoader,
            Consumer<ExecutorMessage> toDriver, ResultUploader uploader) {
        return withOwnBlockManager(executorId, cores, maxDirectResultBytes, storageMemoryBytes, serializer,
                applicationLoader, toDriver, uploader, noShuffle(applicationLoader));
    }

    /**
     * {@link #withOwnBlockManager(String, int, long, long, JavaSerializer, ClassLoader, Consumer, ResultUploader)}
     * with a shuffle: tasks reach it through {@code TaskContext.shuffle()} and {@code records()}; it is
     * closed with this executor.
     */
    public static TaskExecutor withOwnBlockManager(String executorId, int cores, long maxDirectResultBytes,
            long storageMemoryBytes, JavaSerializer serializer, ClassLoader applicationLoader,
            Consumer<ExecutorMessage> toDriver, ResultUploader uploader, ShuffleAccess shuffle) {
        return new TaskExecutor(executorId, cores, maxDirectResultBytes,
                sender -> new BlockManager(storageMemoryBytes, sender), serializer, applicationLoader,
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
                uploader, shuffle);
        this.pool = new ThreadPoolExecutor(cores, cores, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                Threads.numberedDaemons("ember-task-"));
        this.updates.start();
    }

    /**
     * Acts on one message from the driver (see the class documentation); returns at once. Ignored
     * once closed.
     */
    public void handle(DriverMessage message) {
        requireNonNull(message, "message is null");
        if (closed.get()) {
            LOG.debug("Executor {} is closed; ignoring a message of kind {}", executorId, message.getKindCase());
            return;
        }
        switch (message.getKindCase()) {
            case LAUNCH_TASKS -> launch(message.getLaunchTasks());
            case KILL_TASK -> kill(message.getKillTask());
            case DROP_BLOCKS -> blocks.remove(message.getDropBlocks().getDatasetId());
            case FORGET_STAGES -> {
                for (int i = 0, n = message.getForgetStages().getStageIdsCount(); i < n; i++) {
                    stages.remove(message.getForgetStages().getStageIds(i));
                }
            }
            default -> LOG.debug("Task executor {} ignores a message of kind {}", executorId, message.getKindCase());
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
        tasks.values().forEach(TaskRunner::kill);
        pool.shutdownNow();
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

    private void launch(LaunchTasks launch) {
        for (int i = 0, n = launch.getStagesCount(); i < n; i++) {
            io.ember.core.rpc.proto.StageCode stage = launch.getStages(i);
            stages.putIfAbsent(stage.getStageId(), new StageSlot(stage.getStageId(), stage.getCode()));
        }
        for (int i = 0, n = launch.getTasksCount(); i < n; i++) {
            TaskDescription task = launch.getTasks(i);
            TaskRunner runner = new TaskRunner(task, stages.get(task.getStageId()), services, completion);
            if (tasks.putIfAbsent(task.getTaskId(), runner) != null) {
                LOG.debug("Executor {} already runs task {}; ignoring its second launch", executorId, task.getTaskId());
                continue;
            }
            active.incrementAndGet();
            try {
                pool.execute(runner);
            } catch (RejectedExecutionException closing) {
                tasks.remove(task.getTaskId(), runner);
                active.decrementAndGet();
            }
        }
    }

    private void kill(KillTask kill) {
        TaskRunner runner = tasks.get(kill.getTaskId());
        if (runner == null) {
            return;   // ended already
        }
        LOG.debug("Killing task {} on executor {}{}", kill.getTaskId(), executorId,
                kill.getReason().isBlank() ? "" : " (" + kill.getReason() + ")");
        runner.kill();
        if (pool.remove(runner)) {   // it was still queued: it will never run
            ended(runner, runner.killedBeforeStart());
        }
    }

    /** A task's one final update: queued for the driver, and the task forgotten. */
    private void ended(TaskRunner runner, TaskUpdate update) {
        updates.taskEnded(update);
        tasks.remove(runner.taskId(), runner);
        active.decrementAndGet();
    }
}
