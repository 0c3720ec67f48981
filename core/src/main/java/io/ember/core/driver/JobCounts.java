package io.ember.core.driver;

import static java.util.Objects.requireNonNull;

import io.ember.core.scheduler.SchedulerListener;

/** Counts jobs and stages in the driver's metrics, as the scheduler's listeners hear of them. */
record JobCounts(DriverMetrics metrics) implements SchedulerListener {

    JobCounts {
        requireNonNull(metrics, "metrics is null");
        metrics.declare(DriverMetrics.JOBS_STARTED, DriverMetrics.JOBS_SUCCEEDED, DriverMetrics.JOBS_FAILED,
                DriverMetrics.STAGES_SUBMITTED, DriverMetrics.STAGES_COMPLETED, DriverMetrics.STAGES_FAILED);
    }

    @Override
    public void onJobStart(JobStart event) {
        metrics.add(DriverMetrics.JOBS_STARTED, 1);
    }

    @Override
    public void onJobEnd(JobEnd event) {
        metrics.add(event.succeeded() ? DriverMetrics.JOBS_SUCCEEDED : DriverMetrics.JOBS_FAILED, 1);
    }

    @Override
    public void onStageSubmitted(StageSubmitted event) {
        metrics.add(DriverMetrics.STAGES_SUBMITTED, 1);
    }

    @Override
    public void onStageCompleted(StageCompleted event) {
        metrics.add(event.succeeded() ? DriverMetrics.STAGES_COMPLETED : DriverMetrics.STAGES_FAILED, 1);
    }
}
