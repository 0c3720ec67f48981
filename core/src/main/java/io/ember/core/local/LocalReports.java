package io.ember.core.local;

import static java.util.Objects.requireNonNull;

import io.ember.core.driver.endpoint.ExecutorTraffic;
import io.ember.core.executor.TaskExecutor;
import io.ember.core.executor.TaskReport;
import io.ember.core.scheduler.TaskOutcome;
import io.ember.core.scheduler.TaskRunMetrics;
import io.ember.core.storage.BlockChange;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code local[N]}'s executor reports, handed to the task scheduler's traffic in the
 * scheduler's types: each {@link TaskReport} becomes a {@link TaskOutcome} (results and serialized
 * exceptions passed on, not copied), block changes pass as they are. The in-process counterpart of
 * the driver's {@code ExecutorWire} for reports; no result is ever uploaded here (local mode's
 * results all go inline).
 *
 * <p>Threading: called on the task executor's update thread, one batch at a time.
 */
final class LocalReports implements TaskExecutor.Reports {

    private final String executorId;
    private final ExecutorTraffic traffic;

    LocalReports(String executorId, ExecutorTraffic traffic) {
        this.executorId = requireNonNull(executorId, "executorId is null");
        this.traffic = requireNonNull(traffic, "traffic is null");
    }

    @Override
    public void tasksEnded(List<TaskReport> reports) {
        List<TaskOutcome> outcomes = new ArrayList<>(reports.size());
        for (int i = 0, n = reports.size(); i < n; i++) {
            outcomes.add(outcome(reports.get(i)));
        }
        traffic.tasksEnded(executorId, outcomes);
    }

    @Override
    public void blocksChanged(List<BlockChange> changes) {
        traffic.blocksChanged(executorId, changes);
    }

    /**
     * A report as the scheduler hears it. A result reported as uploaded has no bytes here: the
     * outcome says it is missing (the task runs again), as the driver's wire says of an upload
     * that never arrived.
     */
    static TaskOutcome outcome(TaskReport report) {
        TaskRunMetrics metrics = metrics(report.metrics());
        return switch (report.state()) {
            case FINISHED -> TaskOutcome.finished(report.taskId(), report.isUploaded() ? null : report.result(),
                    metrics);
            case FAILED -> {
                TaskReport.Failure failure = report.failure();
                yield TaskOutcome.failed(report.taskId(), new TaskOutcome.TaskFailure(failure.className(),
                        failure.message(), failure.stackTrace(), failure.exception(), failure.retryable()), metrics);
            }
            case KILLED -> TaskOutcome.ended(report.taskId(), TaskOutcome.State.KILLED, metrics);
        };
    }

    /** The executor's measurements in the scheduler's type. */
    static TaskRunMetrics metrics(TaskReport.Metrics metrics) {
        return new TaskRunMetrics(metrics.runNanos(), metrics.deserializeNanos(), metrics.gcMillis(),
                metrics.resultBytes(), metrics.shuffleReadBytes(), metrics.shuffleReadRecords(),
                metrics.shuffleWriteBytes(), metrics.shuffleWriteRecords(), metrics.cacheHits(), metrics.cacheMisses(),
                metrics.spills(), metrics.spillBytes());
    }

    @Override
    public String toString() {
        return "LocalReports[" + executorId + "]";
    }
}
