package io.ember.core.status;

import static io.ember.core.web.Html.escape;
import static io.ember.core.web.Html.link;

import io.ember.core.status.StatusViews.ApplicationView;
import io.ember.core.status.StatusViews.DurationSummary;
import io.ember.core.status.StatusViews.ExecutorView;
import io.ember.core.status.StatusViews.JobView;
import io.ember.core.status.StatusViews.PoolView;
import io.ember.core.status.StatusViews.StageView;
import io.ember.core.status.StatusViews.TaskView;
import io.ember.core.web.Formats;
import io.ember.core.web.Html;
import io.ember.core.web.WebRequest;
import io.ember.core.web.WebResponse;
import io.ember.core.web.WebRoutes;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * An application's pages: jobs (with a timeline of jobs and executors), a job's stages, a stage's
 * tasks (with a summary of their durations), executors, pools. Server-rendered HTML, no script.
 */
final class ApplicationPages {

    private final Clock clock;
    private final String basePattern;

    ApplicationPages(Clock clock, String basePattern) {
        this.clock = clock;
        this.basePattern = basePattern;
    }

    void addTo(WebRoutes.Builder routes, String prefix, Function<WebRequest, Optional<AppStatusStore>> find) {
        routes.get(prefix + "/jobs", request -> page(request, find, this::jobsPage))
                .get(prefix + "/jobs/{jobId}", request -> page(request, find, (r, a) -> jobPage(r, a)))
                .get(prefix + "/stages", request -> page(request, find, this::stagesPage))
                .get(prefix + "/stages/{stageId}", request -> page(request, find, (r, a) -> stagePage(r, a)))
                .get(prefix + "/executors", request -> page(request, find, this::executorsPage))
                .get(prefix + "/pools", request -> page(request, find, this::poolsPage))
                .get(prefix + "/environment", request -> page(request, find, this::environmentPage))
                .get(prefix + "/storage", request -> page(request, find, this::storagePage));
    }

    private interface Page {
        WebResponse render(WebRequest request, AppStatusStore application);
    }

    private WebResponse page(WebRequest request, Function<WebRequest, Optional<AppStatusStore>> find, Page page) {
        return find.apply(request).map(a -> page.render(request, a)).orElseGet(() -> WebResponse.html(404,
                Html.page("Unknown application", "", "<p>No application " + escape(request.pathParameters()
                        .getOrDefault("appId", "")) + " is served here.</p>")));
    }

    private String base(AppStatusStore application) {
        return basePattern.replace("{appId}", application.applicationId());
    }

    private String navigation(AppStatusStore application) {
        String base = base(application);
        return link(base + "/jobs", "Jobs") + link(base + "/stages", "Stages") + link(base + "/executors", "Executors")
                + link(base + "/storage", "Storage") + link(base + "/pools", "Pools")
                + link(base + "/environment", "Environment")
                + application.liveFigures().masterUiUrl().map(url -> link(url, "Cluster")).orElse("")
                + (basePattern.isEmpty() ? "" : link("/", "All applications"));
    }

    private WebResponse html(AppStatusStore application, String title, String body) {
        return WebResponse.html(Html.page(title, navigation(application), body));
    }

    // ---- jobs --------------------------------------------------------------------------------------

    private WebResponse jobsPage(WebRequest request, AppStatusStore application) {
        long now = clock.millis();
        ApplicationView app = application.application(now);
        List<JobView> jobs = application.jobs(now);
        List<ExecutorView> executors = application.executors();
        String facts = Html.facts(List.of(
                List.of("Application", escape(app.id())),
                List.of("Name", escape(app.name())),
                List.of("Queue", escape(app.queue())),
                List.of("Master", escape(app.masterUrl())),
                List.of("Started", time(app.startTime())),
                List.of("State", app.completed() ? "ended after " + duration(app.durationMillis())
                        : "<span class=\"run\">running</span> for " + duration(app.durationMillis())),
                List.of("Executors", String.valueOf(executors.stream().filter(ExecutorView::active).count())
                        + " active")));
        String base = base(application);
        List<List<String>> rows = new ArrayList<>();
        for (JobView job : jobs) {
            rows.add(List.of(link(base + "/jobs/" + job.jobId(), String.valueOf(job.jobId())),
                    escape(job.description()), escape(job.pool()), status(job.status()), time(job.submissionTime()),
                    duration(job.durationMillis()),
                    job.numCompletedStages() + "/" + job.stageIds().size() + (job.numFailedStages() > 0
                            ? " (" + job.numFailedStages() + " failed)" : ""),
                    progress(job.numCompletedTasks(), job.numActiveTasks(), job.numTasks())
                            + tasksText(job.numCompletedTasks(), job.numActiveTasks(), job.numFailedTasks(),
                            job.numTasks())));
        }
        String body = facts + "<h2>Timeline</h2>" + Timeline.svg(app, jobs, executors, now)
                + "<h2>Jobs</h2>" + Html.table("jobs", List.of("#Job", "Description", "Pool", "Status", "Submitted",
                "#Duration", "#Stages", "Tasks (done/all)"), rows);
        return html(application, "Jobs of " + app.name(), body);
    }

    private WebResponse jobPage(WebRequest request, AppStatusStore application) {
        long now = clock.millis();
        Optional<JobView> found = parse(request.parameter("jobId")).flatMap(id -> application.job(id, now));
        if (found.isEmpty()) {
            return WebResponse.html(404, Html.page("Unknown job", navigation(application), "<p>Job "
                    + escape(request.parameter("jobId")) + " is not (or no longer) remembered.</p>"));
        }
        JobView job = found.get();
        String facts = Html.facts(List.of(
                List.of("Description", escape(job.description())),
                List.of("Status", status(job.status())),
                List.of("Pool", escape(job.pool())),
                List.of("Submitted", time(job.submissionTime())),
                List.of("Duration", duration(job.durationMillis())),
                List.of("Tasks", tasksText(job.numCompletedTasks(), job.numActiveTasks(), job.numFailedTasks(),
                        job.numTasks()))));
        List<StageView> stages = new ArrayList<>();
        for (int stageId : job.stageIds()) {
            application.stage(stageId).ifPresent(stages::add);
        }
        return html(application, "Job " + job.jobId(), facts + "<h2>Stages</h2>" + stageTable(application, stages));
    }

    // ---- stages ------------------------------------------------------------------------------------

    private WebResponse stagesPage(WebRequest request, AppStatusStore application) {
        return html(application, "Stages", stageTable(application, application.stages()));
    }

    private String stageTable(AppStatusStore application, List<StageView> stages) {
        String base = base(application);
        List<List<String>> rows = new ArrayList<>();
        for (StageView stage : stages) {
            long end = stage.completionTime() == null ? clock.millis() : stage.completionTime();
            rows.add(List.of(link(base + "/stages/" + stage.stageId(), String.valueOf(stage.stageId())),
                    link(base + "/jobs/" + stage.jobId(), String.valueOf(stage.jobId())),
                    escape(stage.description()), status(stage.status()), time(stage.submissionTime()),
                    duration(end - stage.submissionTime()),
                    progress(stage.numCompleteTasks(), stage.numActiveTasks(), stage.numTasks())
                            + tasksText(stage.numCompleteTasks(), stage.numActiveTasks(), stage.numFailedTasks(),
                            stage.numTasks()),
                    bytes(stage.shuffleReadBytes()), bytes(stage.shuffleWriteBytes())));
        }
        return Html.table("stages", List.of("#Stage", "#Job", "Description", "Status", "Submitted", "#Duration",
                "Tasks (done/all)", "#Shuffle read", "#Shuffle write"), rows);
    }

    private WebResponse stagePage(WebRequest request, AppStatusStore application) {
        Optional<Integer> id = parse(request.parameter("stageId"));
        Optional<StageView> found = id.flatMap(application::stage);
        if (found.isEmpty()) {
            return WebResponse.html(404, Html.page("Unknown stage", navigation(application), "<p>Stage "
                    + escape(request.parameter("stageId")) + " is not (or no longer) remembered.</p>"));
        }
        StageView stage = found.get();
        List<TaskView> tasks = application.tasks(stage.stageId(), clock.millis()).orElse(List.of());
        String facts = Html.facts(List.of(
                List.of("Description", escape(stage.description())),
                List.of("Job", link(base(application) + "/jobs/" + stage.jobId(), String.valueOf(stage.jobId()))),
                List.of("Status", status(stage.status())),
                List.of("Pool", escape(stage.pool())),
                List.of("Tasks", tasksText(stage.numCompleteTasks(), stage.numActiveTasks(), stage.numFailedTasks(),
                        stage.numTasks())),
                List.of("Executor run time", duration(stage.executorRunTimeMillis())),
                List.of("GC time", duration(stage.gcTimeMillis())),
                List.of("Shuffle read", bytes(stage.shuffleReadBytes()) + " / " + stage.shuffleReadRecords()
                        + " records"),
                List.of("Shuffle write", bytes(stage.shuffleWriteBytes()) + " / " + stage.shuffleWriteRecords()
                        + " records"),
                List.of("Spilled", stage.spills() == 0 ? "nothing" : bytes(stage.spillBytes()) + " in "
                        + stage.spills() + " file(s)")));
        DurationSummary d = stage.taskDurations();
        String summary = d.count() == 0 ? "<p class=\"dim\">No finished task yet.</p>"
                : Html.table("task-durations", List.of("Finished tasks", "#Min", "#25th percentile", "#Median",
                        "#75th percentile", "#Max"), List.of(List.of(String.valueOf(d.count()),
                        millis(d.min()), millis(d.p25()), millis(d.median()), millis(d.p75()), millis(d.max()))))
                + Timeline.boxPlot(d);
        List<List<String>> rows = new ArrayList<>();
        for (TaskView task : tasks) {
            rows.add(List.of(String.valueOf(task.index()), String.valueOf(task.taskId()),
                    String.valueOf(task.attempt()), escape(task.executorId()), escape(task.locality()),
                    status(task.status()), time(task.launchTime()),
                    task.durationMillis() == null ? "" : duration(task.durationMillis()),
                    duration(task.gcTimeMillis()), bytes(task.shuffleReadBytes()),
                    String.valueOf(task.shuffleReadRecords()), bytes(task.shuffleWriteBytes()),
                    String.valueOf(task.shuffleWriteRecords()), escape(task.errorMessage())));
        }
        String dropped = stage.retainedTasks() < stage.numCompleteTasks() + stage.numActiveTasks()
                ? "<p class=\"dim\">Only " + stage.retainedTasks() + " task rows are remembered "
                + "(ember.ui.retainedTasks).</p>" : "";
        return html(application, "Stage " + stage.stageId(), facts + "<h2>Task durations</h2>" + summary
                + "<h2>Tasks</h2>" + dropped + Html.table("tasks", List.of("#Partition", "#Task", "#Attempt",
                "Executor", "Locality", "Status", "Launched", "#Duration", "#GC time", "#Shuffle read",
                "#Records read", "#Shuffle write", "#Records written", "Failure"), rows));
    }

    // ---- executors and pools -----------------------------------------------------------------------

    private WebResponse executorsPage(WebRequest request, AppStatusStore application) {
        List<List<String>> rows = new ArrayList<>();
        long now = clock.millis();
        LiveFigures live = application.liveFigures();
        for (ExecutorView e : application.executors()) {
            OptionalLong heard = e.active() ? live.lastHeardMillis(e.id()) : OptionalLong.empty();
            rows.add(List.of(escape(e.id()), escape(e.host()), String.valueOf(e.cores()),
                    e.active() ? "<span class=\"ok\">active</span>" : "<span class=\"dim\">removed</span>",
                    time(e.addTime()), e.removeTime() == null ? "" : time(e.removeTime()) + ": "
                            + escape(e.removeReason()),
                    heard.isPresent() ? duration(Math.max(0, now - heard.getAsLong())) + " ago" : "",
                    String.valueOf(e.activeTasks()), String.valueOf(e.completedTasks()),
                    String.valueOf(e.failedTasks()), duration(e.totalDurationMillis()),
                    duration(e.totalGcTimeMillis()), bytes(e.shuffleReadBytes()), bytes(e.shuffleWriteBytes()),
                    String.valueOf(e.cachedBlocks()), bytes(e.cachedBytes())));
        }
        return html(application, "Executors", Html.table("executors", List.of("Executor", "Host", "#Cores",
                "State", "Added", "Removed (why)", "Last heard", "#Running", "#Done", "#Failed", "#Task time",
                "#GC time", "#Shuffle read", "#Shuffle write", "#Cached blocks", "#Cached memory"), rows));
    }

    private WebResponse poolsPage(WebRequest request, AppStatusStore application) {
        LiveFigures live = application.liveFigures();
        List<List<String>> rows = new ArrayList<>();
        for (PoolView pool : live.pools()) {
            rows.add(List.of(escape(pool.name()), escape(pool.mode()), String.valueOf(pool.weight()),
                    String.valueOf(pool.minShare()), pool.maxShare() == Integer.MAX_VALUE ? "none"
                            : String.valueOf(pool.maxShare()), String.valueOf(pool.runningTasks()),
                    String.valueOf(pool.pendingTasks()), String.valueOf(pool.schedulables())));
        }
        StatusViews.AllocationView allocation = application.allocation();
        List<List<String>> figures = List.of(
                List.of("Executors asked for", allocation.target() == null ? "no decision yet"
                        : String.valueOf(allocation.target())),
                List.of("Decisions", String.valueOf(allocation.changes())),
                List.of("Executors let go", String.valueOf(allocation.executorsReleased())));
        return html(application, "Pools", Html.table("pools", List.of("Pool", "Mode", "#Weight", "#Min share",
                "#Max share", "#Running tasks", "#Pending tasks", "#Stages"), rows)
                + "<h2>Executor allocation</h2>" + Html.table("allocation", List.of("Figure", "#Value"), figures));
    }

    private WebResponse environmentPage(WebRequest request, AppStatusStore application) {
        List<List<String>> rows = new ArrayList<>();
        for (StatusViews.SettingView setting : application.environment()) {
            rows.add(List.of(escape(setting.name()), escape(setting.value()), escape(setting.origin())));
        }
        return html(application, "Environment", "<p>The application's settings as it started; secrets are "
                + "never shown.</p>" + Html.table("environment", List.of("Setting", "Value", "Set by"), rows));
    }

    private WebResponse storagePage(WebRequest request, AppStatusStore application) {
        List<List<String>> rows = new ArrayList<>();
        for (StatusViews.CachedDatasetView dataset : application.storage()) {
            rows.add(List.of(String.valueOf(dataset.datasetId()), String.valueOf(dataset.cachedPartitions()),
                    bytes(dataset.cachedBytes()), escape(String.join(", ", dataset.executors()))));
        }
        return html(application, "Storage", "<p>Datasets with partitions cached in executors' memory (persist, "
                + "cache), by estimated size.</p>" + Html.table("storage", List.of("#Dataset", "#Cached partitions",
                "#Size in memory", "Executors"), rows));
    }

    // ---- formatting --------------------------------------------------------------------------------

    private static Optional<Integer> parse(String number) {
        try {
            return Optional.of(Integer.parseInt(number));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    static String time(long millis) {
        return Formats.time(millis);
    }

    static String duration(long millis) {
        return Formats.duration(millis);
    }

    private static String millis(double millis) {
        return Formats.duration(Math.round(millis));
    }

    static String bytes(long bytes) {
        return Formats.bytes(bytes);
    }

    private static String status(String status) {
        String css = switch (status) {
            case "SUCCEEDED", "COMPLETE", "SUCCESS" -> "ok";
            case "FAILED", "LOST" -> "bad";
            case "RUNNING", "ACTIVE" -> "run";
            default -> "dim";
        };
        return "<span class=\"" + css + "\">" + escape(status.toLowerCase(Locale.ROOT)) + "</span>";
    }

    private static String tasksText(int done, int running, int failed, int all) {
        return " " + done + "/" + all + (running > 0 ? " (" + running + " running)" : "")
                + (failed > 0 ? " <span class=\"bad\">(" + failed + " failed)</span>" : "");
    }

    private static String progress(int done, int running, int all) {
        int width = 100;
        int doneWidth = all == 0 ? 0 : (int) Math.round(width * Math.min(1.0, done / (double) all));
        int runningWidth = all == 0 ? 0 : (int) Math.round(width * Math.min(1.0, running / (double) all));
        return "<span class=\"bar\" style=\"width:" + doneWidth + "px\"></span><span class=\"bar\" style=\"width:"
                + runningWidth + "px;background:#9bbcf0\"></span><span class=\"bar\" style=\"width:"
                + Math.max(0, width - doneWidth - runningWidth) + "px;background:#e3e8ee\"></span>";
    }
}
