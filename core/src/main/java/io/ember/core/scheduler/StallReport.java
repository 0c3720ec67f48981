package io.ember.core.scheduler;

import static java.util.Objects.requireNonNull;

import io.ember.core.scheduler.SchedulerState.ExecutorSlots;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says what running jobs wait for when no task has ended for {@link #PERIOD}, with each executor's
 * free and running slots: an operator's first question when a job seems stuck.
 *
 * <p>Threading: the scheduler's thread only (run periodically on its loop).
 */
final class StallReport {

    /** Logged as the task scheduler's, as before the scheduler was split. */
    private static final Logger LOG = LoggerFactory.getLogger(TaskScheduler.class);
    /** A job without a task update for this long is reported, with what it waits for. */
    static final Duration PERIOD = Duration.ofSeconds(10);

    private final SchedulerState state;

    StallReport(SchedulerState state) {
        this.state = requireNonNull(state, "state is null");
    }

    /** Says what running jobs wait for when no task has ended for a while: an operator's first question. */
    void run() {
        if (state.active.isEmpty() || System.nanoTime() - state.lastProgressNanos < PERIOD.toNanos()) {
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
            LOG.warn("No task of any job ended for {} s; {} waits. Executors:{}",
                    (System.nanoTime() - state.lastProgressNanos) / 1_000_000_000, set, summary);
        }
    }
}
