package io.ember.core.scheduler;

import static java.util.Objects.requireNonNull;

import io.ember.core.concurrent.EventLoop;
import io.ember.core.scheduler.SchedulerState.Attempt;
import io.ember.core.scheduler.SchedulerState.ExecutorSlots;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;

/**
 * The task scheduler's offer round and launch-ahead decision: after each batch of events, every
 * free slot is offered round-robin over the executors, the scheduling policy's queue picks the task
 * set, the task set picks the task, and each executor gets its round's launches in one call to its
 * {@link ExecutorGateway} (with the code of the stages it has not seen).
 *
 * <p>Threading: the scheduler's thread only.
 */
final class OfferRound {

    private final SchedulerState state;
    private final SchedulerSettings settings;
    private final Clock clock;
    private final ListenerBus listeners;
    private ScheduledFuture<?> localityRevive;
    private long localityReviveAt = Long.MAX_VALUE;

    OfferRound(SchedulerState state, SchedulerSettings settings, Clock clock, ListenerBus listeners) {
        this.state = requireNonNull(state, "state is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.listeners = requireNonNull(listeners, "listeners is null");
    }

    /** Offers every free core, round-robin over executors, and sends each executor its batch. */
    void run(EventLoop loop) {
        if (state.active.isEmpty() || state.executors.isEmpty()) {
            return;
        }
        long now = clock.millis();
        int alive = state.executors.size();
        long aheadLimitNanos = settings.launchAheadMaxTaskTime().toNanos();
        List<ExecutorSlots> free = new ArrayList<>(state.executors.size());
        for (ExecutorSlots executor : state.executors.values()) {
            if (executor.free > 0) {
                free.add(executor);
            }
        }
        boolean launched = true;
        while (launched && !free.isEmpty()) {
            launched = false;
            for (ExecutorSlots executor : free) {
                if (executor.free <= 0) {
                    continue;
                }
                String id = executor.gateway.executorId();
                // A slot beyond the executor's cores queues the task there. A short task may queue behind
                // anything; any other task only behind short ones, so it waits little for a core.
                boolean ahead = executor.running.size() >= executor.cores;
                boolean onlyShortAhead = ahead && executor.slowTasks > 0;
                TaskSetManager set = (TaskSetManager) state.queue.offer(item -> {
                    TaskSetManager candidate = (TaskSetManager) item;
                    return (!onlyShortAhead || candidate.tasksShorterThan(aheadLimitNanos))
                            && candidate.canLaunchOn(id, now, alive);
                });
                if (set == null) {
                    continue;
                }
                launch(executor, set, now, aheadLimitNanos);
                state.queue.update(set);
                launched = true;
            }
        }
        for (ExecutorSlots executor : free) {
            executor.flush();
        }
        scheduleLocalityRevive(now, loop);
    }

    private void launch(ExecutorSlots executor, TaskSetManager set, long now, long aheadLimitNanos) {
        String executorId = executor.gateway.executorId();
        int index = set.launch(executorId, now);
        long taskId = state.nextTaskId++;
        int number = set.nextAttemptNumber(index);
        boolean slow = !set.tasksShorterThan(aheadLimitNanos);
        state.attempts.put(taskId, new Attempt(taskId, set, index, executorId, number, slow));
        if (slow) {
            executor.slowTasks++;
        }
        executor.free--;
        executor.running.add(taskId);
        if (executor.stagesSent.add(set.stageId())) {
            executor.ship(new StageShipment(set.stageId(), set.jobId(), set.code()));
        }
        executor.launch(new TaskLaunch(taskId, set.stageId(), set.partition(index), number));
        if (listeners.isListened()) {
            int partition = set.partition(index);
            SchedulerListener.Locality locality = set.launchedLocal() ? SchedulerListener.Locality.PROCESS_LOCAL
                    : SchedulerListener.Locality.ANY;
            listeners.post(l -> l.onTaskStart(new SchedulerListener.TaskStart(set.jobId(), set.stageId(), set.pool(),
                    taskId, partition, number, executorId, locality, now)));
        }
    }

    /**
     * When tasks wait only for the executors caching their input while cores are free elsewhere, look
     * again when the wait ends.
     */
    private void scheduleLocalityRevive(long now, EventLoop loop) {
        boolean freeCores = false;
        for (ExecutorSlots executor : state.executors.values()) {
            if (executor.free > 0) {
                freeCores = true;
                break;
            }
        }
        if (!freeCores) {
            return;
        }
        long earliest = Long.MAX_VALUE;
        for (TaskSetManager set : state.active.values()) {
            earliest = Math.min(earliest, set.localityDeadlineMillis());
        }
        if (earliest == Long.MAX_VALUE || earliest >= localityReviveAt && localityRevive != null
                && !localityRevive.isDone()) {
            return;
        }
        localityReviveAt = earliest;
        long delay = Math.max(1, earliest - now);
        localityRevive = loop.schedule(() -> localityReviveAt = Long.MAX_VALUE, Duration.ofMillis(delay)).orElse(null);
    }
}
