package io.ember.core.scheduler;

import static java.util.Objects.requireNonNull;

import io.ember.core.scheduler.SchedulerState.ExecutorSlots;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says what running jobs wait for when no task has ended for {@link #PERIOD}, with each executor's
 * free and running slots (or, before any executor registered, that it waits for one): an operator's
 * first question when a job seems stuck.
 *
 * <p>Threading: the scheduler's thread only (run periodically on its loop).
 */
final class StallReport {

    /** Logged as the task scheduler's, as before the scheduler was split. */
    private static final Logger LOG = LoggerFactory.getLogger(TaskScheduler.class);
    /** A job without a task update for this long is reported, with what it waits for. */
    static final Duration PERIOD = Duration.ofSeconds(10);

    private final SchedulerState state;
    private final Clock clock;

    StallReport(SchedulerState state, Clock clock) {
        this.state = requireNonNull(state, "state is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /**
     * Says what running jobs wait for when nothing moved for a while: an operator's first question.
     * Before any executor registered, that is executors, not tasks; once one has, the wait for
     * tasks is counted from then.
     */
    void run() {
        long stalledMillis = clock.millis() - state.lastProgressMillis;
        if (state.active.isEmpty() || stalledMillis < PERIOD.toMillis()) {
            return;
        }
        if (state.executors.isEmpty()) {
            String hint = state.missingExecutorsHint.get();
            for (TaskSetManager set : state.active.values()) {
                LOG.warn("No executor has registered for {} s; {} waits for one{}", stalledMillis / 1000, set,
                        hint.isEmpty() ? "" : " (" + hint + ")");
            }
            return;
        }
        StringBuilder summary = new StringBuilder();
        for (ExecutorSlots executor : state.executors.values()) {
            summary.append(' ').append(executor.gateway.executorId()).append("(free ").append(executor.free)
                    .append(", running ").append(executor.running.size()).append(')');
        }
        if (summary.length() == 0) {
            String hint = state.missingExecutorsHint.get();
            summary.append(" none registered").append(hint.isEmpty() ? "" : " (" + hint + ")");
        }
        for (TaskSetManager set : state.active.values()) {
            LOG.warn("No task of any job ended for {} s; {} waits. Executors:{}", stalledMillis / 1000, set, summary);
        }
    }
}
