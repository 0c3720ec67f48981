package io.ember.core.scheduler;

import static io.ember.core.scheduler.TaskScheduler.describe;
import static java.util.Objects.requireNonNull;

import io.ember.api.shuffle.FetchFailedException;
import io.ember.core.job.JobFailedException;
import io.ember.core.job.RemoteTaskException;
import io.ember.core.job.StageId;
import io.ember.core.scheduler.SchedulerState.Attempt;
import io.ember.core.scheduler.SchedulerState.ExecutorSlots;
import io.ember.core.scheduler.TaskOutcome.TaskFailure;
import io.ember.core.serialization.JavaSerializer;
import io.ember.core.storage.BlockChange;
import io.ember.core.task.TaskNotRetryableException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the task scheduler does when tasks end or executors leave: records results, retries a
 * failed task until {@code maxFailures} (a failure the executor calls not retryable fails the job
 * at once, naming the executor's host), runs a lost executor's tasks again, completes or aborts
 * task sets (killing their running tasks, letting executors forget their code), and tracks cached
 * blocks. A lost executor's tasks do not count as failed, unless the cluster says the application made
 * the executor exit ({@link ExecutorExit#causedByApplication()}): then every task it held (running, or
 * queued there by launch-ahead) counts one failure, the one sent first first, which may fail its job.
 *
 * <p>Threading: the scheduler's thread only.
 */
final class OutcomeHandler {

    /** Logged as the task scheduler's, as before the scheduler was split. */
    private static final Logger LOG = LoggerFactory.getLogger(TaskScheduler.class);
    private static final String FETCH_FAILED = FetchFailedException.class.getName();
    private static final String NOT_RETRYABLE = TaskNotRetryableException.class.getName();

    private final SchedulerState state;
    private final SchedulerSettings settings;
    private final JavaSerializer serializer;
    private final Clock clock;
    private final ListenerBus listeners;

    OutcomeHandler(SchedulerState state, SchedulerSettings settings, JavaSerializer serializer, Clock clock,
                   ListenerBus listeners) {
        this.state = requireNonNull(state, "state is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.serializer = requireNonNull(serializer, "serializer is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.listeners = requireNonNull(listeners, "listeners is null");
    }

    void removeExecutor(String executorId, String reason) {
        ExecutorSlots executor = state.executors.remove(executorId);
        if (executor == null) {
            return;
        }
        state.totalCores.addAndGet(-executor.gateway.cores());
        int resubmitted = 0;
        List<Attempt> running = new ArrayList<>();
        for (Long taskId : executor.running) {
            Attempt attempt = state.attempts.remove(taskId);
            if (attempt == null) {
                continue;
            }
            running.add(attempt);
            attempt.set().lost(attempt.index());
            taskEnded(attempt, SchedulerListener.Outcome.LOST, TaskRunMetrics.NONE, "executor " + executorId
                    + " lost: " + reason);
            if (!attempt.set().isDone()) {
                resubmitted++;
                state.queue.update(attempt.set());
            }
        }
        // Oldest first: when the exit is blamed on them, the task that ran longest there is counted first. Those
        // queued behind it (launch-ahead) are blamed too: a task whose update had not arrived yet may have
        // finished, and the one that brought the executor down be queued behind it.
        running.sort(Comparator.comparingLong(Attempt::taskId));
        state.recentlyLost.put(executorId, List.copyOf(running));
        state.blocks.executorLost(executorId);
        for (TaskSetManager set : state.active.values()) {
            set.executorLost(executorId, state.executors::containsKey);
            state.queue.update(set);
        }
        if (resubmitted > 0) {
            LOG.warn("Executor {} was lost ({}); its {} running task(s) will run again elsewhere", executorId, reason,
                    resubmitted);
        }
    }

    /**
     * The cluster says how an executor's process ended. When the application caused it, the tasks it was
     * running count as failed (it is removed first, if it was still registered); a task that has now
     * failed {@code maxFailures} times fails its job, naming the exit code and the executor's last output.
     */
    void executorExited(ExecutorExit exit) {
        String executorId = exit.executorId();
        if (!exit.causedByApplication()) {
            return;
        }
        if (state.executors.containsKey(executorId)) {
            removeExecutor(executorId, "its process " + exit.describe());
        }
        List<Attempt> lost = state.recentlyLost.remove(executorId);
        if (lost == null) {
            return;
        }
        for (Attempt attempt : lost) {
            TaskSetManager set = attempt.set();
            if (set.isDone() || set.hasFinished(attempt.index())) {
                continue;   // it ran again elsewhere meanwhile, and finished
            }
            int partition = set.partition(attempt.index());
            boolean exhausted = set.lostAttemptFailed(attempt.index(), executorId);
            LOG.warn("Task {} (partition {}, attempt {}) of {} ({}) failed: its executor {} {}", attempt.taskId(),
                    partition, attempt.number(), set.stageId(), set.jobId(), executorId, exit.describe());
            if (exhausted) {
                abort(set, new JobFailedException(describe(set.jobId(), set.stage().description()) + " failed: "
                        + "the task of partition " + partition + " failed " + set.failures(attempt.index())
                        + " time(s) (ember.task.maxFailures=" + settings.maxFailures() + "), last on executor "
                        + executorId + ", which " + exit.describe() + " while it ran the task", null));
            }
        }
    }

    /** The cluster gave the application up: every running stage fails with the reason, and later ones will. */
    void applicationFailed(String reason) {
        state.applicationFailure = reason;
        for (TaskSetManager set : List.copyOf(state.active.values())) {
            abort(set, new JobFailedException(describe(set.jobId(), set.stage().description()) + " cannot finish: "
                    + reason, null));
        }
    }

    void taskOutcomes(String executorId, List<TaskOutcome> outcomes) {
        state.lastProgressMillis = clock.millis();
        for (TaskOutcome update : outcomes) {
            Attempt attempt = state.attempts.remove(update.taskId());
            if (attempt == null || !attempt.executorId().equals(executorId)) {
                if (attempt != null) {
                    state.attempts.put(update.taskId(), attempt);   // not this executor's task: ignore
                }
                LOG.debug("Ignoring an update of task {} from executor {}: not running there", update.taskId(),
                        executorId);
                continue;
            }
            ExecutorSlots executor = state.executors.get(executorId);
            if (executor != null) {
                executor.free++;
                executor.running.remove(update.taskId());
                if (attempt.slow()) {
                    executor.slowTasks--;
                }
            }
            TaskSetManager set = attempt.set();
            TaskRunMetrics metrics = update.metrics();
            set.recordCache(metrics.cacheHits(), metrics.cacheMisses());
            if (update.state() == TaskOutcome.State.FINISHED) {
                set.recordRunTime(metrics.runNanos());
            }
            taskEnded(attempt, outcomeOf(update.state()), metrics, reasonOf(update));
            switch (update.state()) {
                case FINISHED -> finished(set, attempt, update);
                case FAILED -> failed(set, attempt, update.failure());
                case KILLED -> {
                    if (set.isDone()) {
                        set.released();
                    } else {
                        set.lost(attempt.index());
                    }
                }
                default -> {
                    LOG.warn("Executor {} reported task {} in an unknown state {}; it runs again", executorId,
                            update.taskId(), update.state());
                    set.lost(attempt.index());
                }
            }
            if (!set.isDone()) {
                state.queue.update(set);
            }
        }
    }

    private static SchedulerListener.Outcome outcomeOf(TaskOutcome.State state) {
        return switch (state) {
            case FINISHED -> SchedulerListener.Outcome.FINISHED;
            case FAILED -> SchedulerListener.Outcome.FAILED;
            case KILLED -> SchedulerListener.Outcome.KILLED;
            default -> SchedulerListener.Outcome.LOST;
        };
    }

    private static String reasonOf(TaskOutcome update) {
        return switch (update.state()) {
            case FINISHED -> "";
            case FAILED -> update.failure().message().isEmpty() ? update.failure().className()
                    : update.failure().className() + ": " + update.failure().message();
            case KILLED -> "killed";
            case UNKNOWN -> "reported in a state this driver does not know";
        };
    }

    private void taskEnded(Attempt attempt, SchedulerListener.Outcome outcome, TaskRunMetrics metrics,
                           String reason) {
        if (listeners.isListened()) {
            TaskSetManager set = attempt.set();
            long now = clock.millis();
            listeners.post(l -> l.onTaskEnd(new SchedulerListener.TaskEnd(set.jobId(), set.stageId(), set.pool(),
                    attempt.taskId(), set.partition(attempt.index()), attempt.executorId(), outcome, metrics, reason,
                    now)));
        }
    }

    private void finished(TaskSetManager set, Attempt attempt, TaskOutcome update) {
        byte[] result = update.result();
        if (result == null) {
            LOG.warn("The uploaded result of task {} (partition {} of {}, {}) from executor {} is missing; "
                    + "the task runs again", update.taskId(), set.partition(attempt.index()), set.stageId(),
                    set.jobId(), attempt.executorId());
            set.lost(attempt.index());
            return;
        }
        if (set.isDone()) {
            set.released();
            return;
        }
        if (!set.finished(attempt.index(), result)) {
            return;
        }
        if (set.resultBytes() > settings.maxResultBytes()) {
            abort(set, new JobFailedException(describe(set.jobId(), set.stage().description()) + " failed: "
                    + "its results (" + set.resultBytes() + " bytes so far) exceed ember.driver.maxResultSize ("
                    + settings.maxResultBytes() + " bytes); bring less back to the driver or raise the limit", null));
            return;
        }
        if (set.allFinished()) {
            complete(set);
        }
    }

    private void failed(TaskSetManager set, Attempt attempt, TaskFailure error) {
        int partition = set.partition(attempt.index());
        if (set.isDone()) {
            set.released();
            return;
        }
        // A block that cannot be fetched will not appear by retrying: the map stage must run again first. A failure
        // the executor calls not retryable (a set-up every attempt would meet) fails the job on its first attempt.
        boolean exhausted = set.failed(attempt.index(), attempt.executorId())
                || FETCH_FAILED.equals(error.className()) || !error.retryable();
        LOG.warn("Task {} (partition {}, attempt {}) of {} ({}) failed on executor {}{}: {}{}", attempt.taskId(),
                partition, attempt.number(), set.stageId(), set.jobId(), attempt.executorId(),
                error.retryable() ? "" : ", not retryable", error.className(),
                error.message().isEmpty() ? "" : ": " + error.message());
        if (exhausted && FETCH_FAILED.equals(error.className())) {
            abort(set, new JobFailedException(describe(set.jobId(), set.stage().description()) + " stopped: "
                    + "the task of partition " + partition + " could not read its shuffle input on executor "
                    + attempt.executorId() + " (" + error.message() + ")", originalError(error, set.resultLoader())));
        } else if (!error.retryable()) {
            abort(set, new JobFailedException(describe(set.jobId(), set.stage().description()) + " failed: "
                    + "the task of partition " + partition + " failed on executor " + attempt.executorId()
                    + hostOf(attempt.executorId()) + " in a way running it again cannot cure, so it was not retried: "
                    + (NOT_RETRYABLE.equals(error.className()) ? "" : error.className() + ": ") + error.message(),
                    originalError(error, set.resultLoader())));
        } else if (exhausted) {
            Throwable cause = originalError(error, set.resultLoader());
            abort(set, new JobFailedException(describe(set.jobId(), set.stage().description()) + " failed: "
                    + "the task of partition " + partition + " failed " + set.failures(attempt.index()) + " time(s) "
                    + "(ember.task.maxFailures=" + settings.maxFailures() + "), last on executor "
                    + attempt.executorId() + hostOf(attempt.executorId()) + ": " + error.className()
                    + (error.message().isEmpty() ? "" : ": " + error.message()), cause));
        }
    }

    /** {@code " (host H)"} for an executor the scheduler knows, else nothing. */
    private String hostOf(String executorId) {
        SchedulerState.ExecutorSlots executor = state.executors.get(executorId);
        return executor == null ? "" : " (host " + executor.gateway.host() + ")";
    }

    /** The exception the user's code threw: itself when it deserializes here, else its description. */
    private Throwable originalError(TaskFailure error, ClassLoader loader) {
        if (error.exception().length > 0) {
            try {
                Object value = serializer.deserialize(error.exception(), loader);
                if (value instanceof Throwable throwable) {
                    return throwable;
                }
            } catch (RuntimeException e) {
                LOG.debug("Could not deserialize a task's error {}: {}", error.className(), e.toString());
            }
        }
        return new RemoteTaskException(error.className(), error.message(), error.stackTrace());
    }

    void blockChanges(String executorId, List<BlockChange> changes) {
        if (!state.executors.containsKey(executorId)) {
            return;
        }
        boolean holdsBefore = state.blocks.holdsBlocks(executorId);
        for (BlockChange change : changes) {
            if (change.stored()) {
                state.blocks.stored(executorId, change.id());
            } else {
                state.blocks.dropped(executorId, change.id());
            }
        }
        boolean holdsAfter = state.blocks.holdsBlocks(executorId);
        if (listeners.isListened()) {
            long now = clock.millis();
            listeners.post(l -> l.onBlocksUpdated(new SchedulerListener.BlocksUpdated(executorId, changes, now)));
            if (holdsAfter != holdsBefore) {
                listeners.post(l -> l.onCachedBlocks(new SchedulerListener.CachedBlocks(executorId, holdsAfter,
                        now)));
            }
        }
    }

    private void complete(TaskSetManager set) {
        finish(set);
        long now = clock.millis();
        listeners.post(l -> l.onStageCompleted(
                new SchedulerListener.StageCompleted(set.jobId(), set.stageId(), true, now)));
        state.completions.remove(set).complete(set);
    }

    void abort(TaskSetManager set, JobFailedException failure) {
        if (set.isDone()) {
            return;
        }
        finish(set);
        for (Attempt attempt : state.attempts.values()) {
            if (attempt.set() == set) {
                ExecutorSlots executor = state.executors.get(attempt.executorId());
                if (executor != null) {
                    executor.gateway.kill(attempt.taskId(), set.jobId() + " ended");
                }
            }
        }
        LOG.warn(failure.getMessage());
        long now = clock.millis();
        listeners.post(l -> l.onStageCompleted(
                new SchedulerListener.StageCompleted(set.jobId(), set.stageId(), false, now)));
        state.completions.remove(set).completeExceptionally(failure);
    }

    private void finish(TaskSetManager set) {
        set.markDone();
        state.queue.remove(set);
        state.active.remove(set.stageId());
        List<StageId> forget = List.of(set.stageId());
        for (ExecutorSlots executor : state.executors.values()) {
            if (executor.stagesSent.remove(set.stageId())) {
                executor.gateway.forgetStages(forget);
            }
        }
    }
}
