package io.ember.core.worker.web;

import io.ember.core.web.Formats;
import io.ember.core.web.Html;
import java.util.ArrayList;
import java.util.List;

/**
 * A worker's start page, from one {@link WorkerStatus}: the worker, the master it follows (linked),
 * what it offers and uses, its shuffle service, and its executors (table {@code executors}) with
 * links to their {@code stdout} and {@code stderr}.
 *
 * <p>Stateless.
 */
final class WorkerPage {

    static final String NAVIGATION = "<a href=\"/\">Worker</a><a href=\"/api/v1/worker\">REST API</a>"
            + "<a href=\"/metrics\">Metrics</a>";

    private WorkerPage() {
    }

    static String render(WorkerStatus status) {
        WorkerApi.Worker worker = status.worker();
        StringBuilder body = new StringBuilder();
        body.append(Html.facts(facts(worker)));
        body.append("<h2>Executors</h2>").append(executorsTable(status.executors()));
        return Html.page("Worker " + worker.id(), NAVIGATION + (worker.masterUrl().isEmpty() ? ""
                : Html.link(worker.masterUrl(), "Master")), body.toString());
    }

    private static List<List<String>> facts(WorkerApi.Worker worker) {
        List<List<String>> facts = new ArrayList<>();
        facts.add(List.of("Address", Html.escape(worker.host() + ":" + worker.rpcPort())));
        String master = worker.masterId().isEmpty() ? "<span class=\"bad\">none leads now</span>"
                : (worker.masterUrl().isEmpty() ? Html.escape(worker.masterId())
                        : Html.link(worker.masterUrl(), worker.masterId()))
                        + " at " + Html.escape(worker.masterAddress());
        facts.add(List.of("Master", "<span id=\"master\">" + master + "</span>"));
        facts.add(List.of("Cores", worker.coresUsed() + " used of " + worker.cores()));
        facts.add(List.of("Memory", Formats.mebibytes(worker.memoryUsedMb()) + " used of "
                + Formats.mebibytes(worker.memoryMb())));
        facts.add(List.of("Shuffle service", worker.shufflePort() == 0
                ? "none: executors serve their own shuffle blocks"
                : (worker.shuffleServiceEmbedded() ? "embedded, on port " : "ember shuffle-service on port ")
                        + worker.shufflePort()));
        facts.add(List.of("Work directory", Html.escape(worker.workDir())));
        return facts;
    }

    private static String executorsTable(List<WorkerApi.Executor> executors) {
        List<List<String>> rows = new ArrayList<>();
        for (WorkerApi.Executor executor : executors) {
            String logs = "/logs/" + executor.appId() + "/" + executor.id() + "/";
            rows.add(List.of(
                    Html.escape(executor.id()),
                    Html.escape(executor.appId()),
                    Integer.toString(executor.cores()),
                    Formats.mebibytes(executor.memoryMb()),
                    "<span class=\"" + style(executor.state()) + "\">" + Html.escape(executor.state()) + "</span>"
                            + (executor.live() || executor.exitCode() == 0 ? "" : " (exit code " + executor.exitCode()
                            + ")"),
                    executor.pid() == 0 ? "" : Long.toString(executor.pid()),
                    Formats.time(executor.startTime()),
                    executor.live() ? "" : Formats.time(executor.endTime()),
                    executor.hasLogs()
                            ? Html.link(logs + "stdout", "stdout") + " " + Html.link(logs + "stderr", "stderr")
                            : "<span class=\"dim\">none</span>"));
        }
        return Html.table("executors", List.of("Executor", "Application", "#Cores", "#Memory", "State", "#PID",
                "Started", "Ended", "Logs"), rows);
    }

    private static String style(String state) {
        return switch (state) {
            case "RUNNING", "EXITED" -> "ok";
            case "LAUNCHING", "KILLED" -> "run";
            default -> "bad";
        };
    }
}
