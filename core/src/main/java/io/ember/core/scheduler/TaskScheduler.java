package io.ember.core.scheduler;

import static java.util.Objects.requireNonNull;

import io.ember.api.scheduler.GroupStatus;
import io.ember.api.scheduler.SchedulingLevel;
import io.ember.api.scheduler.SchedulingPolicy;
import io.ember.api.scheduler.SchedulingQueue;
import io.ember.api.shuffle.BlockLocation;
import io.ember.core.concurrent.EventLoop;
import io.ember.core.job.JobFailedException;
import io.ember.core.job.JobId;
import io.ember.core.job.Stage;
import io.ember.core.job.StageId;
import io.ember.core.scheduler.SchedulerState.ExecutorSlots;
import io.ember.core.serialization.JavaSerializer;
import io.ember.core.storage.BlockChange;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

// Longer than 400 lines because it is the public façade whose every method's contract is
// documented here; the decisions live in OfferRound, OutcomeHandler and StallReport.
/**
 * The driver's task scheduler: turns jobs into task launches on executors' free cores, collects
 * results, retries failed tasks and resubmits the tasks of lost executors.
 *
 * <p>Threading: thread-safe; all scheduling state lives on one thread,
 * {@code ember-task-scheduler}, and every method only queues an event and returns, except
 * {@link #runStage}, which blocks only its caller.
 *
 * <p>Its full contract (its parts, the one thread, jobs and stages, pools, launch-ahead, callers,
 * failures) is in the {@code io.ember.core.scheduler} package documentation.
 */
public final class TaskScheduler implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TaskScheduler.class);
    /** How long a question to the scheduler's thread waits for its answer. */
    private static final Duration ASK_TIMEOUT = Duration.ofSeconds(10);
    /** The pool of jobs whose caller named none. */
    public static final String DEFAULT_POOL = "default";
    private static final Pattern POOL_NAME = Pattern.compile("[a-z0-9][a-z0-9-]*");

    private final SchedulerSettings settings;
    private final JavaSerializer serializer;
    private final ListenerBus listeners = new ListenerBus();
    private final Clock clock;
    private final AtomicInteger nextStageId = new AtomicInteger();
    private volatile boolean closed;

    /** Owned by the scheduler thread, as are the parts below that share it. */
    private final SchedulerState state;
    private final OfferRound offers;
    private final OutcomeHandler outcomes;
    private final StallReport stalls;
    private final EventLoop loop;

    /**
     * @param queue the task-set queue of the selected scheduling policy; used on the scheduler thread only
     * @param serializer serializes stage code and deserializes results and errors
     */
    public TaskScheduler(SchedulerSettings settings, SchedulingQueue queue, JavaSerializer serializer, Clock clock) {
        // the state (with the queue) is handed to the scheduler thread by the loop's start below (a
        // happens-before edge)
        this.settings = requireNonNull(settings, "settings is null");
        this.serializer = requireNonNull(serializer, "serializer is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.state = new SchedulerState(queue);
        this.offers = new OfferRound(state, settings, clock, listeners);
        this.outcomes = new OutcomeHandler(state, settings, serializer, clock, listeners);
        this.state.lastProgressMillis = clock.millis();
        this.stalls = new StallReport(state, clock);
        this.loop = EventLoop.start("ember-task-scheduler", this::offerFreeCores);
        loop.scheduleWithFixedDelay(stalls::run, StallReport.PERIOD, StallReport.PERIOD);
    }

    // ---- The callers' side --------------------------------------------------------------------------

    /**
     * Runs one stage of a job and waits for it. The stage's task set competes for cores in
     * {@code pool}; under FIFO the earlier job goes first, and within a job the earlier stage.
     *
     * @param jobId the job the stage belongs to (the {@link StagePlanner}'s)
     * @param pool the pool its task set competes in ({@code ember.scheduler.pool}; {@link #DEFAULT_POOL}
     *     when the caller named none)
     * @param resultLoader resolves the classes of results and errors (the application's)
     * @throws JobFailedException when a task failed too often, the results were too large, the code
     *     is not serializable, or the job was cancelled
     * @throws IllegalArgumentException when the pool name is not one (see {@link #checkPoolName})
     * @throws IllegalStateException when the scheduler is closed, or the caller was interrupted (the
     *     job is cancelled and the interrupt flag set again)
     */
    public <R> StageResult<R> runStage(JobId jobId, Stage stage, String pool, ClassLoader resultLoader) {
        requireNonNull(jobId, "jobId is null");
        requireNonNull(stage, "stage is null");
        checkPoolName(pool);
        requireNonNull(resultLoader, "resultLoader is null");
        ensureOpen();
        StageId stageId = new StageId(nextStageId.getAndIncrement());
        byte[] code;
        try {
            code = serializer.serialize(stage.code());
        } catch (JavaSerializer.NotSerializablePayloadException e) {
            throw new JobFailedException(describe(jobId, stage.description()) + " cannot run: its code is "
                    + e.getMessage(), e);
        }
        long start = System.nanoTime();
        if (stage.partitions().length == 0) {
            return new StageResult<>(jobId, stageId, List.of(), 0, 0, 0, Set.of(), 0, 0, Duration.ZERO);
        }
        CompletableFuture<TaskSetManager> done = new CompletableFuture<>();
        if (!post(() -> submit(jobId, stageId, stage, pool, code, resultLoader, done))) {
            throw new IllegalStateException("the context is closed");
        }
        TaskSetManager set;
        try {
            set = done.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            post(() -> cancel(jobId, "its caller was interrupted"));
            throw new IllegalStateException("interrupted while waiting for " + jobId + "; the job is cancelled");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof JobFailedException failed) {
                // a new exception, so the caller's own stack shows where it waited
                throw new JobFailedException(failed.getMessage(), failed.getCause());
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(cause);
        } catch (CancellationException e) {
            throw new IllegalStateException(jobId + " was abandoned: the scheduler closed");
        }
        List<R> results = new ArrayList<>(set.tasks());
        byte[][] raw = set.results();
        for (byte[] bytes : raw) {
            @SuppressWarnings("unchecked")
            R value = (R) serializer.deserialize(bytes, resultLoader);
            results.add(value);
        }
        StageResult<R> result = new StageResult<>(jobId, stageId, results, set.tasks(), set.attempts(),
                set.failedAttempts(), set.executorsUsed(), set.cacheHits(), set.cacheMisses(),
                Duration.ofNanos(System.nanoTime() - start));
        LOG.debug("Finished {} of {} ({}): {} tasks", stageId, jobId, stage.description(), set.tasks());
        return result;
    }

    /** Tells the listeners that a job started: before its first stage is submitted. */
    public void jobStarted(JobId jobId, String description, String pool) {
        requireNonNull(jobId, "jobId is null");
        requireNonNull(description, "description is null");
        requireNonNull(pool, "pool is null");
        long now = clock.millis();
        post(() -> state.runningJobs.add(jobId));
        listeners.post(l -> l.onJobStart(new SchedulerListener.JobStart(jobId, description, pool, now)));
    }

    /**
     * Tells the listeners that a job ended, after its last stage; a later stage of it is refused
     * (see {@link #cancelJob}).
     */
    public void jobEnded(JobId jobId, boolean succeeded) {
        requireNonNull(jobId, "jobId is null");
        long now = clock.millis();
        listeners.post(l -> l.onJobEnd(new SchedulerListener.JobEnd(jobId, succeeded, now)));
        post(() -> {
            state.runningJobs.remove(jobId);
            state.cancelled.remove(jobId);
        });
    }

    static String describe(JobId jobId, String description) {
        return "Job " + jobId.value() + " (" + description + ")";
    }

    /**
     * Checks a pool name: lower-case letters, digits and {@code -}, like the names in
     * {@code pool.<name>.weight}.
     *
     * @return the name
     * @throws IllegalArgumentException naming the pool and what a pool name may hold
     */
    public static String checkPoolName(String pool) {
        requireNonNull(pool, "pool is null");
        if (!POOL_NAME.matcher(pool).matches()) {
            throw new IllegalArgumentException("'" + pool + "' is not a pool name: use lower-case letters, digits "
                    + "and '-' (as in pool.<name>.weight), starting with a letter or digit");
        }
        return pool;
    }

    /**
     * Each pool with its parameters and current counts (running and pending tasks, task sets), as
     * the scheduling policy reports them: every pool it declares and every other pool holding a
     * running job. A snapshot taken on the scheduler's thread; empty once closed.
     */
    public List<GroupStatus> pools() {
        return ask("its pools", state.queue::groups).orElse(List.of());
    }

    /** For tests: reports stalled jobs now, as the scheduler does every {@link StallReport#PERIOD}. */
    void reportStalls() {
        ask("a stall report", () -> {
            stalls.run();
            return Boolean.TRUE;
        });
    }

    /**
     * Runs {@code question} on the scheduler's thread, after the events queued before it, and waits
     * for its answer.
     *
     * @return empty when the scheduler is stopping
     * @throws IllegalStateException when interrupted, or without an answer within {@link #ASK_TIMEOUT}
     */
    private <T> Optional<T> ask(String what, Supplier<T> question) {
        if (closed) {
            return Optional.empty();
        }
        try {
            return Optional.of(loop.ask(what, question, ASK_TIMEOUT));
        } catch (IllegalStateException e) {
            if (closed) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /**
     * Replaces the scheduling policy (its settings were reloaded): a new task-set queue is created
     * from it and every running task set moves into it, so the next free core follows the new
     * settings. Jobs keep running; nothing is relaunched.
     */
    public void replacePolicy(SchedulingPolicy policy) {
        requireNonNull(policy, "policy is null");
        post(() -> {
            SchedulingQueue fresh = policy.createQueue(SchedulingLevel.TASK_SETS);
            for (TaskSetManager set : state.active.values()) {
                fresh.add(set);
            }
            state.queue = fresh;
        });
    }

    /** Registers a listener; see {@link SchedulerListener} for the thread it is called on. */
    public void addListener(SchedulerListener listener) {
        listeners.add(listener);
    }

    /** Unregisters a listener; it may still receive events already queued for it. */
    public void removeListener(SchedulerListener listener) {
        listeners.remove(listener);
    }

    /**
     * Cancels a running job: the tasks of its running stage are killed and it fails with the reason;
     * a stage of it submitted later (between two of its stages) is refused the same way.
     */
    public void cancelJob(JobId jobId, String reason) {
        requireNonNull(jobId, "jobId is null");
        requireNonNull(reason, "reason is null");
        post(() -> cancel(jobId, reason));
    }

    /** Cancels every running job. */
    public void cancelAllJobs(String reason) {
        requireNonNull(reason, "reason is null");
        post(() -> {
            for (JobId jobId : List.copyOf(state.runningJobs)) {
                cancel(jobId, reason);
            }
        });
    }

    /** An executor joined: its cores are offered from now on, through its gateway. */
    public void executorAdded(ExecutorGateway executor) {
        requireNonNull(executor, "executor is null");
        post(() -> addExecutor(executor));
    }

    /** An executor left (its stream ended, it went silent, its registry node vanished, ...). */
    public void executorRemoved(String executorId, String reason) {
        requireNonNull(executorId, "executorId is null");
        requireNonNull(reason, "reason is null");
        post(() -> outcomes.removeExecutor(executorId, reason));
    }

    /**
     * An executor's process ended by itself with a non-zero exit code, as the cluster tells; if the
     * application caused it, the tasks the executor was running count as failed (see
     * {@link ExecutorExit}). It may come before or after the executor's {@link #executorRemoved}.
     */
    public void executorExited(ExecutorExit exit) {
        requireNonNull(exit, "exit is null");
        post(() -> outcomes.executorExited(exit));
    }

    /**
     * The cluster gave the application up (its executors keep failing): every running job fails with
     * {@code reason}, and so does every job submitted later, at once.
     */
    public void applicationFailed(String reason) {
        requireNonNull(reason, "reason is null");
        post(() -> outcomes.applicationFailed(reason));
    }

    /**
     * Where the report of a stalled job finds why no executor is registered, in a few words (empty when
     * nothing is known); called on the scheduler's thread, so it must answer at once.
     */
    public void explainMissingExecutors(Supplier<String> hint) {
        state.missingExecutorsHint = requireNonNull(hint, "hint is null");
    }

    /**
     * Of these executors, removes those running no task now, as {@link #executorRemoved} does, and
     * returns them; the others keep their tasks and go on getting more. Decided on the scheduler
     * thread, so no task is sent to an executor between the check and its removal: what the
     * allocation policy uses before releasing idle executors. Unknown ids are left out.
     *
     * @return the executors removed; empty when the scheduler is stopping
     */
    public Set<String> removeIdleExecutors(Collection<String> executorIds, String reason) {
        List<String> ids = List.copyOf(requireNonNull(executorIds, "executorIds is null"));
        requireNonNull(reason, "reason is null");
        try {
            return ask("which of executors " + ids + " are idle", () -> {
                Set<String> idle = new LinkedHashSet<>();
                for (String id : ids) {
                    ExecutorSlots executor = state.executors.get(id);
                    if (executor != null && executor.running.isEmpty()) {
                        outcomes.removeExecutor(id, reason);
                        idle.add(id);
                    }
                }
                return idle;
            }).orElse(Set.of());
        } catch (IllegalStateException e) {
            LOG.warn("{}; releasing none of them now", e.getMessage());
            return Set.of();
        }
    }

    /**
     * Task attempts that ended on an executor, in the order it reported them; an outcome of a task
     * not running on that executor is ignored.
     */
    public void tasksEnded(String executorId, List<TaskOutcome> outcomes) {
        requireNonNull(executorId, "executorId is null");
        requireNonNull(outcomes, "outcomes is null");
        post(() -> this.outcomes.taskOutcomes(executorId, outcomes));
    }

    /** Cached blocks an executor stored or dropped: later tasks reading them prefer it. */
    public void blocksChanged(String executorId, List<BlockChange> changes) {
        requireNonNull(executorId, "executorId is null");
        requireNonNull(changes, "changes is null");
        post(() -> outcomes.blockChanges(executorId, changes));
    }

    /** Forgets a dataset's cached blocks and asks every executor to drop them. */
    public void unpersist(int datasetId) {
        post(() -> {
            long now = clock.millis();
            listeners.post(l -> l.onDatasetUnpersisted(new SchedulerListener.DatasetUnpersisted(datasetId, now)));
            for (String emptied : state.blocks.datasetDropped(datasetId)) {
                listeners.post(l -> l.onCachedBlocks(new SchedulerListener.CachedBlocks(emptied, false, now)));
            }
            state.executors.values().forEach(e -> e.gateway.dropBlocks(datasetId));
        });
    }

    /**
     * Asks every executor to delete its files of a shuffle the driver cleaned up, and one of them to
     * ask the shuffle services at {@code services} too: a service on a host that runs no executor of
     * the application any more (released, or lost) hears of it so.
     */
    public void removeShuffle(int shuffleId, List<BlockLocation> services) {
        List<BlockLocation> elsewhere = List.copyOf(services);
        post(() -> {
            boolean first = true;
            for (ExecutorSlots executor : state.executors.values()) {
                executor.gateway.removeShuffle(shuffleId, first ? elsewhere : List.of());
                first = false;
            }
        });
    }

    /** Cores of the executors registered now. */
    public int totalCores() {
        return state.totalCores.get();
    }

    /** Fails every running job ("the context was closed") and stops the scheduler thread. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        post(() -> {
            for (TaskSetManager set : List.copyOf(state.active.values())) {
                outcomes.abort(set, new JobFailedException(describe(set.jobId(), set.stage().description())
                        + " did not finish: the context was closed", null));
            }
        });
        closed = true;
        // Events queued before this point still run (a job submitted while closing is refused by
        // submit(), so no caller waits forever); then whatever still waits is told.
        loop.execute(() -> state.completions.values().forEach(
                f -> f.completeExceptionally(new IllegalStateException("the context is closed"))));
        loop.shutdown(Duration.ofSeconds(5));
        listeners.close();
    }

    /** After each batch of events: the offer round (see {@link OfferRound}). */
    private void offerFreeCores() {
        offers.run(loop);
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the context is closed");
        }
    }

    private boolean post(Runnable event) {
        return !closed && loop.offer(event);
    }

    // ---- The scheduler thread ---------------------------------------------------------------------

    private void submit(JobId jobId, StageId stageId, Stage stage, String pool, byte[] code, ClassLoader loader,
                        CompletableFuture<TaskSetManager> done) {
        if (closed) {
            done.completeExceptionally(new IllegalStateException("the context is closed"));
            return;
        }
        if (state.applicationFailure != null) {
            done.completeExceptionally(new JobFailedException(describe(jobId, stage.description()) + " cannot run: "
                    + state.applicationFailure, null));
            return;
        }
        String cancelledBecause = state.cancelled.get(jobId);
        if (cancelledBecause != null) {
            done.completeExceptionally(new JobFailedException(describe(jobId, stage.description())
                    + " was cancelled: " + cancelledBecause, null));
            return;
        }
        int[] partitions = stage.partitions();
        int[] cached = stage.cachedDatasetIds();
        String[][] preferred = new String[partitions.length][];
        for (int i = 0; i < partitions.length; i++) {
            preferred[i] = cached.length == 0 ? new String[0] : state.blocks.holders(cached, partitions[i]);
        }
        long now = clock.millis();
        TaskSetManager set = new TaskSetManager(jobId, stageId, stage, code, pool, settings, preferred, loader, now);
        if (state.active.isEmpty()) {
            // the scheduler was idle: a stall is measured from now, not from the last task of an earlier job
            state.lastProgressMillis = clock.millis();
        }
        state.active.put(stageId, set);
        state.completions.put(set, done);
        state.queue.add(set);
        listeners.post(l -> l.onStageSubmitted(new SchedulerListener.StageSubmitted(jobId, stageId,
                stage.description(), pool, partitions.length, now)));
        if (state.executors.isEmpty()) {
            LOG.info("{} ({}) waits for executors: none has registered yet", describe(jobId, stage.description()),
                    stageId);
        }
    }

    private void cancel(JobId jobId, String reason) {
        if (state.runningJobs.contains(jobId)) {
            state.cancelled.putIfAbsent(jobId, reason);
        }
        for (TaskSetManager set : List.copyOf(state.active.values())) {
            if (set.jobId().equals(jobId)) {
                outcomes.abort(set, new JobFailedException(describe(jobId, set.stage().description())
                        + " was cancelled: " + reason, null));
            }
        }
    }

    private void addExecutor(ExecutorGateway gateway) {
        if (state.executors.isEmpty()) {
            // tasks could not run before: a stall is measured from now, not from when the job waited for executors
            state.lastProgressMillis = clock.millis();
        }
        ExecutorSlots previous = state.executors.get(gateway.executorId());
        if (previous != null) {
            outcomes.removeExecutor(gateway.executorId(), "it registered again");
        }
        int slots = settings.slots(gateway.cores());
        state.executors.put(gateway.executorId(),
                new ExecutorSlots(gateway, slots, slots * (1 + settings.launchAhead())));
        state.totalCores.addAndGet(gateway.cores());
    }
}
