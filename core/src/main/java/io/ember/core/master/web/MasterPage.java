package io.ember.core.master.web;

import io.ember.core.web.Formats;
import io.ember.core.web.Html;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The master's start page, from one {@link MasterStatus}: who it is and whether it leads; on the
 * leader the workers (table {@code workers}), the applications grouped by queue ({@code applications}),
 * the applications that ended in this term ({@code ended-applications}) and the application
 * scheduler's queues and their shares ({@code queues}); on a standby, who leads and a link there.
 * Workers and applications link to their own web UIs when they have one.
 *
 * <p>Stateless.
 */
final class MasterPage {

    /** The header's links: this page, its REST resource and its metrics. */
    static final String NAVIGATION = "<a href=\"/\">Master</a><a href=\"/api/v1/master\">REST API</a>"
            + "<a href=\"/metrics\">Metrics</a>";

    private MasterPage() {
    }

    /** The page for {@code status}, its ages and durations as of {@code nowMillis}. */
    static String render(MasterStatus status, long nowMillis) {
        MasterApi.Master master = status.master();
        StringBuilder body = new StringBuilder();
        body.append(Html.facts(facts(status)));
        if (!master.leads()) {
            body.append(standby(master));
        } else {
            Map<String, MasterApi.Worker> workers = status.workers().stream()
                    .collect(Collectors.toMap(MasterApi.Worker::id, Function.identity()));
            body.append("<h2>Workers</h2>").append(workersTable(status.workers(), nowMillis));
            List<MasterApi.Application> live = status.applications().stream().filter(a -> !a.ended()).toList();
            List<MasterApi.Application> ended = status.applications().stream().filter(MasterApi.Application::ended)
                    .toList();
            body.append("<h2>Applications by queue</h2>").append(applicationsTable(live, workers));
            body.append("<h2>Queues</h2>").append(queuesTable(status.queues()));
            body.append("<h2>Ended applications</h2>").append(endedTable(ended));
        }
        return Html.page("Master " + master.masterId(), NAVIGATION, body.toString());
    }

    private static List<List<String>> facts(MasterStatus status) {
        MasterApi.Master master = status.master();
        List<List<String>> facts = new ArrayList<>();
        facts.add(List.of("State", "<span id=\"state\" class=\"" + (master.leads() ? "ok" : "dim") + "\">"
                + Html.escape(master.state()) + "</span>"));
        facts.add(List.of("Epoch", Long.toString(master.epoch())));
        facts.add(List.of("Cluster", Html.escape(master.cluster())));
        facts.add(List.of("Address", Html.escape(master.address())));
        facts.add(List.of("ZooKeeper", Html.escape(master.zooKeeper())));
        if (master.leads()) {
            int cores = status.workers().stream().mapToInt(MasterApi.Worker::cores).sum();
            int coresUsed = status.workers().stream().mapToInt(MasterApi.Worker::coresUsed).sum();
            long memory = status.workers().stream().mapToLong(MasterApi.Worker::memoryMb).sum();
            long memoryUsed = status.workers().stream().mapToLong(MasterApi.Worker::memoryUsedMb).sum();
            long running = status.applications().stream().filter(a -> !a.ended()).count();
            facts.add(List.of("Workers", Integer.toString(status.workers().size())));
            facts.add(List.of("Cores", coresUsed + " used of " + cores));
            facts.add(List.of("Memory", Formats.mebibytes(memoryUsed) + " used of " + Formats.mebibytes(memory)));
            facts.add(List.of("Applications", running + " registered"));
        }
        return facts;
    }

    private static String standby(MasterApi.Master master) {
        if (master.leaderId().isEmpty()) {
            return "<p id=\"standby\">This master is a standby, and no master leads the cluster right now.</p>";
        }
        String leader = master.leaderUrl().isEmpty() ? Html.escape(master.leaderId())
                : Html.link(master.leaderUrl(), master.leaderId());
        return "<p id=\"standby\">This master is a standby: it takes over if the leader goes away. The leader is "
                + leader + " at " + Html.escape(master.leaderAddress())
                + (master.leaderUrl().isEmpty() ? " (it serves no web UI)." : "; follow the link to its page.")
                + "</p>";
    }

    private static String workersTable(List<MasterApi.Worker> workers, long nowMillis) {
        List<List<String>> rows = new ArrayList<>();
        for (MasterApi.Worker worker : workers) {
            rows.add(List.of(
                    worker.uiUrl().isEmpty() ? Html.escape(worker.id()) : Html.link(worker.uiUrl(), worker.id()),
                    Html.escape(worker.host()),
                    stateCell(worker.state()),
                    worker.coresUsed() + " / " + worker.cores(),
                    Formats.mebibytes(worker.memoryUsedMb()) + " / " + Formats.mebibytes(worker.memoryMb()),
                    worker.shufflePort() == 0 ? "<span class=\"dim\">none</span>"
                            : Integer.toString(worker.shufflePort()),
                    Integer.toString(worker.executors()),
                    worker.lastContact() == 0 ? "<span class=\"dim\">not since the takeover</span>"
                            : Formats.duration(Math.max(0, nowMillis - worker.lastContact())) + " ago"));
        }
        return Html.table("workers", List.of("Worker", "Host", "State", "#Cores (used / total)",
                "#Memory (used / total)", "#Shuffle service port", "#Executors", "Last contact"), rows);
    }

    private static String applicationsTable(List<MasterApi.Application> live, Map<String, MasterApi.Worker> workers) {
        List<MasterApi.Application> byQueue = live.stream()
                .sorted(Comparator.comparing(MasterApi.Application::queue)).toList();
        List<List<String>> rows = new ArrayList<>();
        for (MasterApi.Application app : byQueue) {
            rows.add(List.of(
                    Html.escape(app.queue()),
                    applicationLink(app),
                    Html.escape(app.name()),
                    stateCell(app.state()),
                    Integer.toString(app.coresGranted()),
                    app.executors().size() + " of " + app.executorsRequested(),
                    executorLinks(app, workers),
                    Formats.time(app.submissionTime()),
                    Formats.duration(app.durationMillis())));
        }
        return Html.table("applications", List.of("Queue", "Application", "Name", "State", "#Cores",
                "#Executors", "Executor logs", "Submitted", "#Duration"), rows);
    }

    /** Each executor's id, linking to its stdout on its worker's web UI when the worker has one. */
    private static String executorLinks(MasterApi.Application app, Map<String, MasterApi.Worker> workers) {
        List<String> links = new ArrayList<>();
        for (MasterApi.Executor executor : app.executors()) {
            MasterApi.Worker worker = workers.get(executor.workerId());
            String label = executor.id() + "@" + executor.workerId();
            links.add(worker == null || worker.uiUrl().isEmpty() ? Html.escape(label)
                    : Html.link(worker.uiUrl() + "/logs/" + app.id() + "/" + executor.id() + "/stderr", label));
        }
        return links.isEmpty() ? "<span class=\"dim\">none</span>" : String.join(", ", links);
    }

    private static String queuesTable(List<MasterApi.Queue> queues) {
        List<List<String>> rows = new ArrayList<>();
        for (MasterApi.Queue queue : queues) {
            rows.add(List.of(
                    Html.escape(queue.name()),
                    Html.escape(queue.mode()),
                    formatWeight(queue.weight()),
                    Integer.toString(queue.minShare()),
                    queue.maxShare() == null ? "<span class=\"dim\">none</span>" : queue.maxShare().toString(),
                    Integer.toString(queue.coresHeld()),
                    Integer.toString(queue.coresPending()),
                    Integer.toString(queue.applications())));
        }
        return Html.table("queues", List.of("Queue", "Mode", "#Weight", "#Min share", "#Max share", "#Cores held",
                "#Cores wanted", "#Applications"), rows);
    }

    private static String endedTable(List<MasterApi.Application> ended) {
        List<List<String>> rows = new ArrayList<>();
        for (MasterApi.Application app : ended) {
            rows.add(List.of(
                    applicationLink(app),
                    Html.escape(app.name()),
                    Html.escape(app.queue()),
                    stateCell(app.state()),
                    Formats.time(app.submissionTime()),
                    Formats.time(app.endTime()),
                    Formats.duration(app.durationMillis()),
                    Html.escape(app.endReason())));
        }
        return Html.table("ended-applications", List.of("Application", "Name", "Queue", "State", "Submitted",
                "Ended", "#Duration", "Why"), rows);
    }

    private static String applicationLink(MasterApi.Application app) {
        return app.uiUrl().isEmpty() ? Html.escape(app.id()) : Html.link(app.uiUrl(), app.id());
    }

    private static String stateCell(String state) {
        String style = switch (state) {
            case "ALIVE", "RUNNING", "FINISHED" -> "ok";
            case "WAITING", "RECOVERING" -> "run";
            default -> "bad";
        };
        return "<span class=\"" + style + "\">" + Html.escape(state) + "</span>";
    }

    private static String formatWeight(double weight) {
        return weight == Math.rint(weight) ? Long.toString((long) weight) : Double.toString(weight);
    }
}
