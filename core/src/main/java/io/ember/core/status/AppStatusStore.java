package io.ember.core.status;

import static java.util.Objects.requireNonNull;

import io.ember.core.scheduler.TaskRunMetrics;
import io.ember.core.status.StatusViews.ApplicationView;
import io.ember.core.status.StatusViews.DurationSummary;
import io.ember.core.status.StatusViews.ExecutorView;
import io.ember.core.status.StatusViews.JobView;
import io.ember.core.status.StatusViews.StageView;
import io.ember.core.status.StatusViews.TaskView;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

// Longer than 400 lines because the rows, their retention and their views belong together: a row
// is dropped where the event that ends it arrives, and a view is copied from it under the same lock.
/**
 * A bounded picture of one application, for its UI, REST API and history: its jobs, stages, task
 * attempts and executors, kept up to date from {@link StatusEvent}s: the scheduler's events and the
 * executors' arrivals and departures as the running driver hears them ({@link StatusFeed}), or an
 * event log's lines as the history server reads them.
 *
 * <p>What it keeps is bounded by {@link Retention}: ended jobs and stages beyond their counts are
 * forgotten oldest first, and when more task rows are kept than allowed, the rows of the stages
 * that ended first are dropped (a stage keeps its counts, totals and task-duration summary).
 * Running jobs and stages, and their tasks, are always kept.
 *
 * <p>Thread-safe: events arrive on the listener bus's thread and the driver endpoint's, queries on
 * the web server's threads; every method holds this object's lock briefly and queries return
 * immutable copies.
 */
public final class AppStatusStore {

    /** How much it remembers; see the {@code ember.ui.retained*} settings. */
    public record Retention(int jobs, int stages, int tasks, int deadExecutors) {
        public Retention {
            if (jobs < 1 || stages < 1 || tasks < 0 || deadExecutors < 0) {
                throw new IllegalArgumentException("retention: jobs " + jobs + ", stages " + stages + ", tasks "
                        + tasks + ", dead executors " + deadExecutors);
            }
        }
    }

    private final Retention retention;
    private final String id;
    private final String name;
    private final String queue;
    private final String masterUrl;
    private final long startTime;
    private String uiUrl;
    private Long endTime;
    private List<StatusViews.SettingView> environment = List.of();
    private Integer allocationTarget;
    private int allocationChanges;
    private int executorsReleased;
    private LiveFigures live = LiveFigures.NONE;

    private final Map<Integer, JobRow> jobs = new LinkedHashMap<>();
    private final Map<Integer, StageRow> stages = new LinkedHashMap<>();
    private final Map<String, ExecutorRow> executors = new LinkedHashMap<>();
    private int endedJobs;
    private int endedStages;
    private int deadExecutors;
    private long retainedTasks;

    /** The picture of the application {@code started} describes, with nothing happened yet. */
    public AppStatusStore(StatusEvent.ApplicationStarted started, Retention retention) {
        requireNonNull(started, "started is null");
        this.id = started.applicationId();
        this.name = started.name();
        this.queue = started.queue();
        this.masterUrl = started.masterUrl();
        this.startTime = started.time();
        this.uiUrl = started.uiUrl();
        this.retention = requireNonNull(retention, "retention is null");
    }

    public String applicationId() {
        return id;
    }

    /** What only the running driver can tell (its pools, its allocation policy's figures). */
    public synchronized void liveFigures(LiveFigures figures) {
        this.live = requireNonNull(figures, "figures is null");
    }

    /** The live figures given, or {@link LiveFigures#NONE}. */
    public synchronized LiveFigures liveFigures() {
        return live;
    }

    // ---- events ------------------------------------------------------------------------------------

    /** Takes one event into the picture. Events of other applications' logs are not checked for. */
    public synchronized void apply(StatusEvent event) {
        requireNonNull(event, "event is null");
        if (event instanceof StatusEvent.TaskStarted e) {
            taskStarted(e);
        } else if (event instanceof StatusEvent.TaskEnded e) {
            taskEnded(e);
        } else if (event instanceof StatusEvent.StageSubmitted e) {
            stageSubmitted(e);
        } else if (event instanceof StatusEvent.StageCompleted e) {
            stageCompleted(e);
        } else if (event instanceof StatusEvent.JobStarted e) {
            jobs.put(e.jobId(), new JobRow(e.jobId(), e.description(), e.pool(), e.time()));
        } else if (event instanceof StatusEvent.JobEnded e) {
            jobEnded(e);
        } else if (event instanceof StatusEvent.ExecutorAdded e) {
            executorAdded(e);
        } else if (event instanceof StatusEvent.ExecutorRemoved e) {
            executorRemoved(e);
        } else if (event instanceof StatusEvent.BlocksUpdated e) {
            blocksUpdated(e);
        } else if (event instanceof StatusEvent.DatasetUnpersisted e) {
            for (ExecutorRow executor : executors.values()) {
                executor.blocks.keySet().removeIf(block -> block.datasetId() == e.datasetId());
            }
        } else if (event instanceof StatusEvent.CachedBlocksChanged e) {
            ExecutorRow executor = executors.get(e.executorId());
            if (executor != null) {
                executor.holdsBlocks = e.holdsBlocks();
            }
        } else if (event instanceof StatusEvent.AllocationChanged e) {
            allocationTarget = e.target();
            allocationChanges++;
            executorsReleased += e.released().size();
        } else if (event instanceof StatusEvent.ApplicationEnded e) {
            if (endTime == null) {
                endTime = e.time();
            }
        } else if (event instanceof StatusEvent.EnvironmentCaptured e) {
            environment = e.settings();
        } else if (event instanceof StatusEvent.ApplicationStarted e) {
            uiUrl = e.uiUrl();
        }
    }

    private void executorAdded(StatusEvent.ExecutorAdded e) {
        ExecutorRow previous = executors.remove(e.executorId());
        if (previous != null && previous.removeTime != null) {
            deadExecutors--;
        }
        executors.put(e.executorId(), new ExecutorRow(e.executorId(), e.host(), e.cores(), e.time()));
    }

    private void blocksUpdated(StatusEvent.BlocksUpdated e) {
        ExecutorRow executor = executors.get(e.executorId());
        if (executor == null || executor.removeTime != null) {
            return;
        }
        for (StatusEvent.Block block : e.blocks()) {
            BlockKey key = new BlockKey(block.datasetId(), block.partition());
            if (block.stored()) {
                executor.blocks.put(key, block.sizeBytes());
            } else {
                executor.blocks.remove(key);
            }
        }
    }

    private void executorRemoved(StatusEvent.ExecutorRemoved e) {
        ExecutorRow executor = executors.get(e.executorId());
        if (executor == null || executor.removeTime != null) {
            return;
        }
        executor.removeTime = e.time();
        executor.removeReason = e.reason();
        executor.blocks.clear();   // its cached partitions went with it
        deadExecutors++;
        Iterator<ExecutorRow> oldest = executors.values().iterator();
        while (deadExecutors > retention.deadExecutors() && oldest.hasNext()) {
            if (oldest.next().removeTime != null) {
                oldest.remove();
                deadExecutors--;
            }
        }
    }

    private void jobEnded(StatusEvent.JobEnded e) {
        JobRow job = jobs.get(e.jobId());
        if (job == null || job.completionTime != null) {
            return;
        }
        job.completionTime = e.time();
        job.status = e.succeeded() ? "SUCCEEDED" : "FAILED";
        endedJobs++;
        Iterator<JobRow> oldest = jobs.values().iterator();
        while (endedJobs > retention.jobs() && oldest.hasNext()) {
            if (oldest.next().completionTime != null) {
                oldest.remove();
                endedJobs--;
            }
        }
    }

    private void stageSubmitted(StatusEvent.StageSubmitted e) {
        StageRow stage = new StageRow(e.stageId(), e.jobId(), e.description(), e.pool(), e.tasks(), e.time());
        stages.put(stage.stageId, stage);
        JobRow job = jobs.get(stage.jobId);
        if (job != null) {
            job.stageIds.add(stage.stageId);
            job.numTasks += stage.numTasks;
        }
    }

    private void stageCompleted(StatusEvent.StageCompleted e) {
        StageRow stage = stages.get(e.stageId());
        if (stage == null || stage.completionTime != null) {
            return;
        }
        stage.completionTime = e.time();
        stage.status = e.succeeded() ? "COMPLETE" : "FAILED";
        stage.durations = summarize(stage);
        JobRow job = jobs.get(stage.jobId);
        if (job != null) {
            if (e.succeeded()) {
                job.completedStages++;
            } else {
                job.failedStages++;
            }
        }
        endedStages++;
        Iterator<StageRow> oldest = stages.values().iterator();
        while (endedStages > retention.stages() && oldest.hasNext()) {
            StageRow candidate = oldest.next();
            if (candidate.completionTime != null) {
                retainedTasks -= candidate.tasks.size();
                oldest.remove();
                endedStages--;
            }
        }
        dropTaskRowsOverTheLimit();
    }

    private void taskStarted(StatusEvent.TaskStarted e) {
        StageRow stage = stages.get(e.stageId());
        if (stage == null) {
            return;
        }
        stage.active++;
        stage.tasks.put(e.taskId(), new TaskRow(e.taskId(), e.partition(), e.attempt(), e.executorId(),
                e.locality(), e.time()));
        retainedTasks++;
        JobRow job = jobs.get(stage.jobId);
        if (job != null) {
            job.active++;
        }
        ExecutorRow executor = executors.get(e.executorId());
        if (executor != null) {
            executor.activeTasks++;
        }
        dropTaskRowsOverTheLimit();
    }

    private void taskEnded(StatusEvent.TaskEnded e) {
        StageRow stage = stages.get(e.stageId());
        JobRow job = jobs.get(e.jobId());
        ExecutorRow executor = executors.get(e.executorId());
        TaskRunMetrics metrics = e.metrics();
        String outcome = e.outcome();
        boolean finished = "FINISHED".equals(outcome);
        boolean failed = "FAILED".equals(outcome) || "LOST".equals(outcome);
        String status = finished ? "SUCCESS" : outcome;
        if (stage != null) {
            stage.active = Math.max(0, stage.active - 1);
            if (finished) {
                stage.complete++;
            } else if (failed) {
                stage.failed++;
            } else {
                stage.killed++;
            }
            stage.runNanos += metrics.runNanos();
            stage.gcMillis += metrics.gcMillis();
            stage.shuffleReadBytes += metrics.shuffleReadBytes();
            stage.shuffleReadRecords += metrics.shuffleReadRecords();
            stage.shuffleWriteBytes += metrics.shuffleWriteBytes();
            stage.shuffleWriteRecords += metrics.shuffleWriteRecords();
            stage.spills += metrics.spills();
            stage.spillBytes += metrics.spillBytes();
            TaskRow task = stage.tasks.get(e.taskId());
            if (task != null) {
                task.end(status, e.time(), metrics, e.reason());
            }
        }
        if (job != null) {
            job.active = Math.max(0, job.active - 1);
            if (finished) {
                job.completed++;
            } else if (failed) {
                job.failed++;
            } else {
                job.killed++;
            }
        }
        if (executor != null) {
            executor.activeTasks = Math.max(0, executor.activeTasks - 1);
            if (finished) {
                executor.completedTasks++;
            } else if ("FAILED".equals(outcome)) {
                executor.failedTasks++;
            }
            executor.runNanos += metrics.runNanos();
            executor.gcMillis += metrics.gcMillis();
            executor.shuffleReadBytes += metrics.shuffleReadBytes();
            executor.shuffleWriteBytes += metrics.shuffleWriteBytes();
        }
    }

    private void dropTaskRowsOverTheLimit() {
        if (retainedTasks <= retention.tasks()) {
            return;
        }
        for (StageRow stage : stages.values()) {
            if (retainedTasks <= retention.tasks()) {
                return;
            }
            if (stage.completionTime != null && !stage.tasks.isEmpty()) {
                retainedTasks -= stage.tasks.size();
                stage.tasks.clear();
            }
        }
    }

    private static DurationSummary summarize(StageRow stage) {
        long[] durations = stage.tasks.values().stream().filter(t -> "SUCCESS".equals(t.status))
                .mapToLong(t -> t.durationMillis).toArray();
        return summary(durations);
    }

    /** Min, quartiles (linear interpolation between closest ranks) and max of {@code durations}. */
    static DurationSummary summary(long[] durations) {
        if (durations.length == 0) {
            return DurationSummary.NONE;
        }
        long[] sorted = durations.clone();
        Arrays.sort(sorted);
        return new DurationSummary(sorted.length, sorted[0], quantile(sorted, 0.25), quantile(sorted, 0.5),
                quantile(sorted, 0.75), sorted[sorted.length - 1]);
    }

    private static double quantile(long[] sorted, double q) {
        double position = q * (sorted.length - 1);
        int below = (int) Math.floor(position);
        int above = Math.min(sorted.length - 1, below + 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }

    // ---- queries -----------------------------------------------------------------------------------

    public synchronized ApplicationView application(long nowMillis) {
        long end = endTime == null ? nowMillis : endTime;
        return new ApplicationView(id, name, queue, masterUrl, startTime, endTime, Math.max(0, end - startTime),
                endTime != null, uiUrl);
    }

    /** Every job remembered, newest first. */
    public synchronized List<JobView> jobs(long nowMillis) {
        List<JobView> views = new ArrayList<>(jobs.size());
        jobs.values().forEach(job -> views.add(job.view(nowMillis, stages)));
        return reversed(views);
    }

    public synchronized Optional<JobView> job(int jobId, long nowMillis) {
        return Optional.ofNullable(jobs.get(jobId)).map(job -> job.view(nowMillis, stages));
    }

    /** Every stage remembered, newest first. */
    public synchronized List<StageView> stages() {
        List<StageView> views = new ArrayList<>(stages.size());
        stages.values().forEach(stage -> views.add(stage.view()));
        return reversed(views);
    }

    public synchronized Optional<StageView> stage(int stageId) {
        return Optional.ofNullable(stages.get(stageId)).map(StageRow::view);
    }

    /** The stage's remembered task attempts in launch order, if the stage is remembered. */
    public synchronized Optional<List<TaskView>> tasks(int stageId, long nowMillis) {
        StageRow stage = stages.get(stageId);
        if (stage == null) {
            return Optional.empty();
        }
        List<TaskView> views = new ArrayList<>(stage.tasks.size());
        stage.tasks.values().forEach(task -> views.add(task.view(nowMillis)));
        return Optional.of(views);
    }

    /** Every executor remembered: active ones, then those that left, each in the order they came. */
    public synchronized List<ExecutorView> executors() {
        List<ExecutorView> active = new ArrayList<>();
        List<ExecutorView> dead = new ArrayList<>();
        for (ExecutorRow executor : executors.values()) {
            (executor.removeTime == null ? active : dead).add(executor.view());
        }
        active.addAll(dead);
        return active;
    }

    /** The application's settings, secrets hidden. */
    public synchronized List<StatusViews.SettingView> environment() {
        return environment;
    }

    /** The allocation policy's decisions so far. */
    public synchronized StatusViews.AllocationView allocation() {
        return new StatusViews.AllocationView(allocationTarget, allocationChanges, executorsReleased);
    }

    /** The datasets with cached partitions now, by id. */
    public synchronized List<StatusViews.CachedDatasetView> storage() {
        Map<Integer, Set<Integer>> partitions = new TreeMap<>();
        Map<Integer, Long> bytes = new TreeMap<>();
        Map<Integer, Set<String>> holders = new TreeMap<>();
        for (ExecutorRow executor : executors.values()) {
            executor.blocks.forEach((block, size) -> {
                partitions.computeIfAbsent(block.datasetId(), d -> new TreeSet<>()).add(block.partition());
                bytes.merge(block.datasetId(), size, Long::sum);
                holders.computeIfAbsent(block.datasetId(), d -> new TreeSet<>()).add(executor.id);
            });
        }
        List<StatusViews.CachedDatasetView> views = new ArrayList<>();
        partitions.forEach((dataset, cached) -> views.add(new StatusViews.CachedDatasetView(dataset, cached.size(),
                bytes.get(dataset), List.copyOf(holders.get(dataset)))));
        return views;
    }

    /** How many task rows are remembered now, over all stages. */
    public synchronized long retainedTaskRows() {
        return retainedTasks;
    }

    private static <T> List<T> reversed(List<T> list) {
        List<T> copy = new ArrayList<>(list.size());
        for (int i = list.size() - 1; i >= 0; i--) {
            copy.add(list.get(i));
        }
        return List.copyOf(copy);
    }

    // ---- rows --------------------------------------------------------------------------------------

    private record BlockKey(int datasetId, int partition) {
    }

    private static final class JobRow {
        final int jobId;
        final String description;
        final String pool;
        final long submissionTime;
        final List<Integer> stageIds = new ArrayList<>(2);
        Long completionTime;
        String status = "RUNNING";
        int numTasks;
        int active;
        int completed;
        int failed;
        int killed;
        int completedStages;
        int failedStages;

        JobRow(int jobId, String description, String pool, long submissionTime) {
            this.jobId = jobId;
            this.description = description;
            this.pool = pool;
            this.submissionTime = submissionTime;
        }

        JobView view(long nowMillis, Map<Integer, StageRow> stages) {
            int activeStages = 0;
            for (int stageId : stageIds) {
                StageRow stage = stages.get(stageId);
                if (stage != null && stage.completionTime == null) {
                    activeStages++;
                }
            }
            long end = completionTime == null ? nowMillis : completionTime;
            return new JobView(jobId, description, pool, status, submissionTime, completionTime,
                    Math.max(0, end - submissionTime), List.copyOf(stageIds), numTasks, active, completed, failed,
                    killed, activeStages, completedStages, failedStages);
        }
    }

    private static final class StageRow {
        final int stageId;
        final int jobId;
        final String description;
        final String pool;
        final int numTasks;
        final long submissionTime;
        final Map<Long, TaskRow> tasks = new LinkedHashMap<>();
        Long completionTime;
        String status = "ACTIVE";
        int active;
        int complete;
        int failed;
        int killed;
        long runNanos;
        long gcMillis;
        long shuffleReadBytes;
        long shuffleReadRecords;
        long shuffleWriteBytes;
        long shuffleWriteRecords;
        int spills;
        long spillBytes;
        DurationSummary durations;

        StageRow(int stageId, int jobId, String description, String pool, int numTasks, long submissionTime) {
            this.stageId = stageId;
            this.jobId = jobId;
            this.description = description;
            this.pool = pool;
            this.numTasks = numTasks;
            this.submissionTime = submissionTime;
        }

        StageView view() {
            DurationSummary summary = durations != null ? durations : summarize(this);
            return new StageView(stageId, jobId, description, pool, status, numTasks, active, complete, failed,
                    killed, submissionTime, completionTime, runNanos / 1_000_000, gcMillis, shuffleReadBytes,
                    shuffleReadRecords, shuffleWriteBytes, shuffleWriteRecords, spills, spillBytes, summary,
                    tasks.size());
        }
    }

    private static final class TaskRow {
        final long taskId;
        final int index;
        final int attempt;
        final String executorId;
        final String locality;
        final long launchTime;
        String status = "RUNNING";
        long durationMillis = -1;
        TaskRunMetrics metrics = TaskRunMetrics.NONE;
        String error = "";

        TaskRow(long taskId, int index, int attempt, String executorId, String locality, long launchTime) {
            this.taskId = taskId;
            this.index = index;
            this.attempt = attempt;
            this.executorId = executorId;
            this.locality = locality;
            this.launchTime = launchTime;
        }

        void end(String endStatus, long timeMillis, TaskRunMetrics taskMetrics, String reason) {
            status = endStatus;
            durationMillis = Math.max(0, timeMillis - launchTime);
            metrics = taskMetrics;
            error = reason;
        }

        TaskView view(long nowMillis) {
            Long duration = durationMillis >= 0 ? Long.valueOf(durationMillis) : null;
            return new TaskView(taskId, index, attempt, executorId, locality, launchTime, duration, status,
                    metrics.gcMillis(), metrics.resultBytes(), metrics.shuffleReadBytes(),
                    metrics.shuffleReadRecords(), metrics.shuffleWriteBytes(), metrics.shuffleWriteRecords(),
                    metrics.spills(), metrics.spillBytes(), error);
        }
    }

    private static final class ExecutorRow {
        final String id;
        final String host;
        final int cores;
        final long addTime;
        Long removeTime;
        String removeReason = "";
        int activeTasks;
        int completedTasks;
        int failedTasks;
        long runNanos;
        long gcMillis;
        long shuffleReadBytes;
        long shuffleWriteBytes;
        boolean holdsBlocks;
        final Map<BlockKey, Long> blocks = new HashMap<>();

        ExecutorRow(String id, String host, int cores, long addTime) {
            this.id = id;
            this.host = host;
            this.cores = cores;
            this.addTime = addTime;
        }

        ExecutorView view() {
            return new ExecutorView(id, host, cores, removeTime == null, addTime, removeTime, removeReason,
                    activeTasks, completedTasks, failedTasks, runNanos / 1_000_000, gcMillis, shuffleReadBytes,
                    shuffleWriteBytes, holdsBlocks, blocks.size(), blocks.values().stream()
                    .mapToLong(Long::longValue).sum());
        }
    }
}
