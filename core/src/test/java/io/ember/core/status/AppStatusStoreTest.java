package io.ember.core.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.core.job.JobId;
import io.ember.core.job.StageId;
import io.ember.core.scheduler.SchedulerListener;
import io.ember.core.scheduler.TaskRunMetrics;
import io.ember.core.status.StatusViews.DurationSummary;
import io.ember.core.status.StatusViews.JobView;
import io.ember.core.status.StatusViews.StageView;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The application's picture: counts, summaries and what it forgets, from scheduler events alone. */
final class AppStatusStoreTest {

    private long taskIds;

    private static AppStatusStore status(int jobs, int stages, int tasks) {
        return new AppStatusStore(new StatusEvent.ApplicationStarted("app-1", "report", "default", "local[2]", "",
                1_000), new AppStatusStore.Retention(jobs, stages, tasks, 2));
    }

    /** Job {@code job} of one stage {@code job} with {@code tasks} tasks, the i-th lasting (i + 1) * 10 ms. */
    private void runJob(AppStatusStore store, int job, int tasks, boolean succeed) {
        StatusFeed status = new StatusFeed(store::apply);
        JobId jobId = new JobId(job);
        StageId stageId = new StageId(job);
        long t = 10_000L * job;
        status.onJobStart(new SchedulerListener.JobStart(jobId, "count at Report.java:" + job, "default", t));
        status.onStageSubmitted(new SchedulerListener.StageSubmitted(jobId, stageId, "result stage", "default",
                tasks, t));
        for (int i = 0; i < tasks; i++) {
            long id = taskIds++;
            status.onTaskStart(new SchedulerListener.TaskStart(jobId, stageId, "default", id, i, 0, "1",
                    SchedulerListener.Locality.ANY, t));
            boolean fails = !succeed && i == 0;
            status.onTaskEnd(new SchedulerListener.TaskEnd(jobId, stageId, "default", id, i, "1",
                    fails ? SchedulerListener.Outcome.FAILED : SchedulerListener.Outcome.FINISHED,
                    new TaskRunMetrics(1_000_000, 0, 2, 8, 100, 10, 0, 0, 0, 0, 1, 4_096),
                    fails ? "java.lang.IllegalStateException: no" : "", t + (i + 1) * 10L));
        }
        status.onStageCompleted(new SchedulerListener.StageCompleted(jobId, stageId, succeed, t + 1_000));
        status.onJobEnd(new SchedulerListener.JobEnd(jobId, succeed, t + 1_000));
    }

    @Test
    void countsTasksAndSumsTheirFiguresPerJobStageAndExecutor() {
        AppStatusStore status = status(10, 10, 100);
        status.apply(new StatusEvent.ExecutorAdded("1", "10.0.0.5", 2, 1_000));
        runJob(status, 0, 4, true);
        runJob(status, 1, 3, false);

        JobView failed = status.jobs(99_999).get(0);
        JobView succeeded = status.job(0, 99_999).orElseThrow();
        StageView stage = status.stage(0).orElseThrow();

        assertEquals("FAILED", failed.status());
        assertEquals(1, failed.numFailedTasks());
        assertEquals(2, failed.numCompletedTasks());
        assertEquals(1, failed.numFailedStages());
        assertEquals("SUCCEEDED", succeeded.status());
        assertEquals(List.of(0), succeeded.stageIds());
        assertEquals(4, succeeded.numCompletedTasks());
        assertEquals(1_000, succeeded.durationMillis());
        assertEquals(400, stage.shuffleReadBytes());
        assertEquals(40, stage.shuffleReadRecords());
        assertEquals(8, stage.gcTimeMillis());
        assertEquals(4, stage.executorRunTimeMillis());
        assertEquals(4, stage.spills());
        assertEquals(4 * 4_096, stage.spillBytes());
        assertEquals(4_096, status.tasks(0, 0).orElseThrow().get(0).spillBytes());
        assertEquals("java.lang.IllegalStateException: no", status.tasks(1, 0).orElseThrow().get(0).errorMessage());
        var executor = status.executors().get(0);
        assertEquals(6, executor.completedTasks());
        assertEquals(1, executor.failedTasks());
        assertEquals(700, executor.shuffleReadBytes());
    }

    @Test
    void summarizesTaskDurationsWithQuartiles() {
        AppStatusStore status = status(10, 10, 100);
        runJob(status, 0, 5, true);   // 10, 20, 30, 40, 50 ms

        DurationSummary durations = status.stage(0).orElseThrow().taskDurations();

        assertEquals(new DurationSummary(5, 10, 20, 30, 40, 50), durations);
        assertEquals(new DurationSummary(4, 10, 17.5, 25, 32.5, 40), AppStatusStore.summary(
                new long[] {40, 10, 30, 20}));
    }

    @Test
    void forgetsTheOldestEndedJobsAndStagesBeyondTheirCounts() {
        AppStatusStore status = status(2, 3, 1_000);
        for (int job = 0; job < 5; job++) {
            runJob(status, job, 2, true);
        }

        assertEquals(List.of(4, 3), status.jobs(0).stream().map(JobView::jobId).toList());
        assertEquals(List.of(4, 3, 2), status.stages().stream().map(StageView::stageId).toList());
        assertTrue(status.job(0, 0).isEmpty());
        assertTrue(status.tasks(0, 0).isEmpty());
        assertEquals(6, status.retainedTaskRows(), "the forgotten stages' task rows went with them");
    }

    @Test
    void dropsTheTaskRowsOfTheEarliestEndedStagesFirstButKeepsTheirSummaries() {
        AppStatusStore status = status(100, 100, 10);
        runJob(status, 0, 6, true);
        runJob(status, 1, 6, true);

        StageView first = status.stage(0).orElseThrow();
        assertEquals(0, first.retainedTasks());
        assertEquals(6, first.numCompleteTasks());
        assertEquals(6, first.taskDurations().count(), "the summary was made when the stage ended");
        assertEquals(6, status.tasks(1, 0).orElseThrow().size());
        assertEquals(6, status.retainedTaskRows());
    }

    @Test
    void remembersOnlyTheLatestExecutorsThatLeftWithWhy() {
        AppStatusStore status = status(10, 10, 10);
        for (int i = 1; i <= 4; i++) {
            status.apply(new StatusEvent.ExecutorAdded(String.valueOf(i), "h", 1, i));
        }
        status.apply(new StatusEvent.ExecutorRemoved("1", "no heartbeat for 10s", 10));
        status.apply(new StatusEvent.ExecutorRemoved("2", "released: idle for 60s", 11));
        status.apply(new StatusEvent.ExecutorRemoved("3", "killed on request", 12));

        List<String> ids = status.executors().stream().map(e -> e.id()).toList();
        assertEquals(List.of("4", "2", "3"), ids, "the active one first, then the two latest that left");
        assertFalse(status.executors().get(0).removeTime() != null);
        assertEquals("killed on request", status.executors().get(2).removeReason());
    }
}
