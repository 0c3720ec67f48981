package io.ember.core.cluster;

import static io.ember.core.testing.WebClient.get;
import static io.ember.core.testing.WebClient.json;
import static io.ember.core.testing.WebClient.scrape;
import static io.ember.core.testing.WebClient.value;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.ember.core.bootstrap.LaunchContext;
import io.ember.core.cli.EmberCli;
import io.ember.core.coordination.LeaderInfo;
import io.ember.core.driver.EmberContext;
import io.ember.core.testing.Eventually;
import io.ember.core.testing.HeadlessBrowser;
import io.ember.core.testing.WebClient;
import io.ember.core.web.Json;
import io.ember.core.worker.WorkerServer;
import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_36_2.Metrics.MetricFamily;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import picocli.CommandLine;

/**
 * The masters' and workers' web servers on a running cluster: two master processes (a leader and a
 * standby) under the fair scheduler with queues {@code a} and {@code b}, two workers of two cores in
 * this JVM, and one application of two executors in queue {@code a}. Their REST resources, pages and
 * {@code /metrics} are checked against what the test started, and {@code ember status} reads the same
 * cluster. One cluster and one application serve every test; none changes what the others see.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(180)
final class ClusterWebTest {

    @RegisterExtension
    static final ProcessClusterExtension cluster = ProcessClusterExtension.withMasters(2)
            .withMasterSettings(ProcessClusterExtension.FAIR_QUEUES_A_AND_B).withWorkers(2, 2).withWebUis();

    private LeaderInfo leader;
    private String leaderUrl;
    private String standbyUrl;
    private EmberContext application;
    private String appId;
    private double launchedBefore;

    @BeforeAll
    void startAnApplication() {
        leader = cluster.awaitLeaderAbove(0);
        leaderUrl = cluster.masterUiUrl(leader.address());
        standbyUrl = cluster.masterAddresses().stream().filter(a -> !a.equals(leader.address()))
                .map(cluster::masterUiUrl).findFirst().orElseThrow();
        Eventually.await("both workers registered with the leader",
                () -> leaderJson("/api/v1/workers").size() == 2);
        launchedBefore = value(scrape(leaderUrl + "/metrics"), "ember_master_executors_launched_total");

        Map<String, String> settings = cluster.applicationSettings("web-ui", 2);
        settings.put("ember.app.queue", "a");
        application = cluster.startApplication(settings);
        appId = application.applicationId();
        application.awaitExecutors(2, Duration.ofSeconds(60));
        Eventually.await("both executors running in the leader's REST API", () -> {
            JsonNode app = leaderJson("/api/v1/applications/" + appId);
            return app.get("executors").size() == 2 && states(app.get("executors")).equals(Set.of("RUNNING"));
        });
    }

    @Test
    void theLeaderPublishesItsWebUiInZooKeeper() {
        assertEquals(leaderUrl, leader.uiUrl());
        JsonNode master = Eventually.awaitValue("the leader saying it leads", () -> {
            JsonNode answer = leaderJson("/api/v1/master");
            return answer.get("state").asText().equals("LEADER") ? answer : null;
        });
        assertEquals(leader.masterId(), master.get("masterId").asText());
        assertEquals(leader.epoch(), master.get("epoch").asLong());
        assertEquals(leaderUrl, master.get("uiUrl").asText());
        assertEquals(cluster.zookeeperConnect(), master.get("zooKeeper").asText());
    }

    @Test
    void theWorkersAreTheOnesTheTestStartedWithTheirCoresAndWebUis() {
        JsonNode workers = leaderJson("/api/v1/workers");

        assertEquals(2, workers.size(), workers.toString());
        int coresUsed = 0;
        for (JsonNode worker : workers) {
            WorkerServer started = cluster.worker(worker.get("id").asText());
            assertEquals("ALIVE", worker.get("state").asText());
            assertEquals(2, worker.get("cores").asInt());
            assertEquals(1024, worker.get("memoryMb").asLong());
            assertEquals("127.0.0.1", worker.get("host").asText());
            assertEquals(started.uiUrl(), worker.get("uiUrl").asText());
            assertTrue(worker.get("lastContact").asLong() > 0, worker.toString());
            coresUsed += worker.get("coresUsed").asInt();
        }
        assertEquals(2, coresUsed, "the application's two one-core executors");
        assertEquals(workers.get(0), leaderJson("/api/v1/workers/" + workers.get(0).get("id").asText()));
    }

    @Test
    void theApplicationAppearsInItsQueueWithItsExecutors() {
        JsonNode app = leaderJson("/api/v1/applications/" + appId);

        assertEquals("web-ui", app.get("name").asText());
        assertEquals("a", app.get("queue").asText());
        assertEquals("RUNNING", app.get("state").asText());
        assertEquals(2, app.get("coresGranted").asInt());
        assertEquals(2, app.get("executorsRequested").asInt());
        assertEquals(0, app.get("endTime").asLong());
        assertTrue(app.get("submissionTime").asLong() > 0 && app.get("durationMillis").asLong() >= 0, app.toString());
        Set<String> expected = new TreeSet<>();
        application.executors().forEach(e -> expected.add(e.executorId()));
        Set<String> listed = new TreeSet<>();
        for (JsonNode executor : app.get("executors")) {
            listed.add(executor.get("id").asText());
            assertEquals(1, executor.get("cores").asInt());
            assertEquals(128, executor.get("memoryMb").asLong());
            assertTrue(Set.of("worker-1", "worker-2").contains(executor.get("workerId").asText()), executor.toString());
        }
        assertEquals(expected, listed);
        assertTrue(containsId(leaderJson("/api/v1/applications"), appId));

        JsonNode queues = leaderJson("/api/v1/queues");
        JsonNode a = find(queues, "name", "a");
        assertEquals(1.0, a.get("weight").asDouble());
        assertEquals(2, a.get("coresHeld").asInt());
        assertEquals(1, a.get("applications").asInt());
        assertTrue(a.get("maxShare").isNull(), "unbounded: " + a);
        assertEquals(0, find(queues, "name", "b").get("coresHeld").asInt());
    }

    @Test
    void anUnknownWorkerApplicationOrResourceIsA404WithAJsonError() {
        for (String path : List.of("/api/v1/workers/no-such-worker", "/api/v1/applications/app-nope",
                "/api/v1/jobs")) {
            WebClient.Answer answer = Eventually.awaitValue(path + " on the leader while it leads", () -> {
                WebClient.Answer got = get(leaderUrl + path);
                return got.status() == 503 ? null : got;
            });
            assertEquals(404, answer.status(), path + ": " + answer);
            assertEquals(Optional.of("application/json; charset=utf-8"), answer.contentType());
            assertEquals(404, answer.json().get("status").asInt());
            assertFalse(answer.json().get("message").asText().isEmpty());
        }
    }

    @Test
    void aStandbySaysSoNamesTheLeaderAndLinksToItsPage() {
        JsonNode standby = json(standbyUrl + "/api/v1/master");
        assertEquals("STANDBY", standby.get("state").asText());
        assertEquals(leader.masterId(), standby.get("leaderId").asText());
        assertEquals(leaderUrl, standby.get("leaderUrl").asText());
        assertEquals(leader.epoch(), standby.get("epoch").asLong());

        WebClient.Answer workers = get(standbyUrl + "/api/v1/workers");
        assertEquals(503, workers.status(), workers.toString());
        assertTrue(workers.json().get("message").asText().contains(leaderUrl), workers.toString());

        String page = get(standbyUrl + "/").text();
        assertTrue(page.contains("This master is a standby"), page);
        assertTrue(page.contains("<a href=\"" + leaderUrl + "\">" + leader.masterId() + "</a>"), page);
        assertEquals(0, value(scrape(standbyUrl + "/metrics"), "ember_master_leader"));
    }

    /** In a real browser: the standby's page, its link to the leader, and from there a worker's page. */
    @Test
    void aBrowserGoesFromTheStandbysPageToTheLeadersAndOnToAWorkers() {
        try (HeadlessBrowser browser = HeadlessBrowser.start()) {
            browser.open(standbyUrl);
            assertTrue(browser.byId("standby").getText().startsWith("This master is a standby"), browser.text());
            assertEquals("STANDBY", browser.byId("state").getText());
            browser.screenshot("master-standby");

            browser.follow("standby", leader.masterId());
            assertTrue(browser.url().startsWith(leaderUrl), browser.url());
            Eventually.await("the leader's page with both workers (it may answer as a standby for a moment on a "
                    + "busy machine)", () -> {
                    browser.open(leaderUrl);
                    return browser.title().equals("Master " + leader.masterId() + " · Ember")
                            && browser.rows("workers").size() == 2;
                });
            assertEquals("LEADER", browser.byId("state").getText());

            browser.follow("workers", "worker-1");
            assertEquals("Worker worker-1 · Ember", browser.title());
            assertTrue(browser.url().startsWith(cluster.worker("worker-1").uiUrl()), browser.url());
        }
    }

    @Test
    void theLeadersPageListsWorkersApplicationsAndQueuesWithLinksToTheWorkers() {
        WebClient.Answer page = Eventually.awaitValue("the leader's page while it leads", () -> {
            WebClient.Answer answer = get(leaderUrl + "/");
            return answer.text().contains("<table id=\"workers\">") ? answer : null;
        });

        assertEquals(200, page.status());
        assertEquals(Optional.of("text/html; charset=utf-8"), page.contentType());
        String html = page.text();
        for (String table : List.of("workers", "applications", "queues", "ended-applications")) {
            assertTrue(html.contains("<table id=\"" + table + "\">"), table + " in " + html);
        }
        for (String workerId : List.of("worker-1", "worker-2")) {
            String url = cluster.worker(workerId).uiUrl();
            assertTrue(html.contains("<a href=\"" + url + "\">" + workerId + "</a>"), workerId + " in " + html);
        }
        assertTrue(html.contains(appId), html);
    }

    @Test
    void theMastersMetricsParseAndItsLaunchCounterMovedWithTheApplication() {
        Map<String, MetricFamily> metrics = Eventually.awaitValue("the leader's metrics while it leads", () -> {
            Map<String, MetricFamily> scraped = scrape(leaderUrl + "/metrics");
            return value(scraped, "ember_master_leader") == 1 ? scraped : null;
        });

        assertEquals(leader.epoch(), value(metrics, "ember_master_epoch"));
        assertTrue(value(metrics, "ember_master_failovers_total") >= 1);
        assertEquals(launchedBefore + 2, value(metrics, "ember_master_executors_launched_total"),
                "the application's two executors");
        assertEquals(2, value(metrics, "ember_master_workers", "state", "ALIVE"));
        assertEquals(1, value(metrics, "ember_master_applications", "state", "RUNNING"));
        assertEquals(2, value(metrics, "ember_master_executors", "state", "RUNNING"));
        assertEquals(4, value(metrics, "ember_master_cores"));
        assertEquals(2, value(metrics, "ember_master_cores_used"));
        assertEquals(1, value(metrics, "ember_zookeeper_connected"));
        assertTrue(metrics.containsKey("jvm_memory_used_bytes"), metrics.keySet().toString());

        WebClient.Answer text = get(leaderUrl + "/metrics");
        assertEquals(Optional.of("text/plain; version=0.0.4; charset=utf-8"), text.contentType());
        for (String family : metrics.keySet()) {
            assertTrue(text.text().contains(family), family + " in the text format");
        }
    }

    @Test
    void aWorkerServesItselfItsExecutorsAndItsMetrics() {
        WorkerServer worker = cluster.worker("worker-1");
        JsonNode self = json(worker.uiUrl() + "/api/v1/worker");
        assertEquals("worker-1", self.get("id").asText());
        assertEquals(2, self.get("cores").asInt());
        assertEquals(leaderUrl, self.get("masterUrl").asText());
        assertEquals(leader.masterId(), self.get("masterId").asText());

        JsonNode executors = json(worker.uiUrl() + "/api/v1/executors");
        List<String> ours = new ArrayList<>();
        for (JsonNode executor : executors) {
            if (executor.get("appId").asText().equals(appId) && executor.get("state").asText().equals("RUNNING")) {
                ours.add(executor.get("id").asText());
                assertTrue(executor.get("pid").asLong() > 0 && executor.get("hasLogs").asBoolean(),
                        executor.toString());
            }
        }
        assertEquals(self.get("executors").asInt(), ours.size(), executors.toString());
        assertEquals(ours.size(), self.get("coresUsed").asInt());

        Map<String, MetricFamily> metrics = scrape(worker.uiUrl() + "/metrics");
        assertEquals(ours.size(), value(metrics, "ember_worker_executors", "state", "RUNNING"));
        assertEquals(ours.size(), value(metrics, "ember_worker_cores_used"));
        assertEquals(2, value(metrics, "ember_worker_cores"));
        assertTrue(value(metrics, "ember_worker_executors_launched_total") >= ours.size());
        assertEquals(1, value(metrics, "ember_zookeeper_connected"));

        String page = get(worker.uiUrl() + "/").text();
        assertTrue(page.contains("<table id=\"executors\">"), page);
        assertTrue(page.contains("<a href=\"" + leaderUrl + "\">"), "links to the leader: " + page);
    }

    @Test
    void aWorkerServesTheLogsOfItsOwnExecutorsAndNothingElse() throws Exception {
        String executorId = application.executors().get(0).executorId();
        String workerId = application.executors().get(0).workerId();
        String base = cluster.worker(workerId).uiUrl();
        // In tests executors log to their stdout (the test class path's logback-test.xml).
        Path stdout = cluster.workDir(workerId).resolve(appId).resolve(executorId).resolve("stdout");

        WebClient.Answer whole = get(base + "/logs/" + appId + "/" + executorId + "/stdout");
        WebClient.Answer tail = get(base + "/logs/" + appId + "/" + executorId + "/stdout?bytes=16");
        String file = Files.readString(stdout, UTF_8);

        assertEquals(200, whole.status(), whole.toString());
        assertEquals(Optional.of("text/plain; charset=utf-8"), whole.contentType());
        assertTrue(file.length() > 16, "the executor wrote to its stdout: " + file);
        assertTrue(file.startsWith(whole.text().substring(0, Math.min(whole.text().length(), 100))), whole.text());
        assertEquals(16, tail.body().length);
        assertTrue(file.contains(tail.text()), tail.text());
        assertEquals(200, get(base + "/logs/" + appId + "/" + executorId + "/stderr").status());

        String otherWorker = workerId.equals("worker-1") ? "worker-2" : "worker-1";
        for (String path : List.of("/logs/" + appId + "/" + executorId + "/environ",
                "/logs/" + appId + "/no-such-executor/stdout", "/logs/app-other/" + executorId + "/stdout",
                "/logs/" + appId + "/../" + executorId + "/stdout")) {
            assertEquals(404, get(base + path).status(), path);
        }
        for (String path : List.of("/logs/..%2F..%2F/" + executorId + "/stdout",
                "/logs/" + appId + "/..%2Fstdout/stdout")) {
            assertEquals(400, get(base + path).status(), "Jetty refuses an encoded separator: " + path);
        }
        assertEquals(400, get(base + "/logs/" + appId + "/" + executorId + "/stdout?bytes=nope").status());
        assertEquals(400, get(base + "/logs/" + appId + "/" + executorId + "/stdout?bytes=99999999999").status());
        assertEquals(404, get(cluster.worker(otherWorker).uiUrl() + "/logs/" + appId + "/" + executorId + "/stderr")
                .status(), "another worker did not launch it");
    }

    @Test
    void emberStatusPrintsTheClusterAsATableAndAsJson() throws Exception {
        String table = Eventually.awaitValue("ember status answering (the leader may pause on a busy machine)", () -> {
            StringWriter out = new StringWriter();
            int exit = ember(out, new StringWriter(), "status", "--master", cluster.masterUrl());
            return exit == 0 ? out.toString() : null;
        });
        StringWriter err = new StringWriter();
        assertTrue(table.contains(leader.masterId() + "  LEADER"), table);
        assertTrue(table.contains("STANDBY"), table);
        assertTrue(table.contains("worker-1") && table.contains("worker-2"), table);
        assertTrue(table.contains(appId), table);
        assertTrue(table.contains("Executors: 2 (2 running, 0 launching)"), table);

        String document = Eventually.awaitValue("ember status --json answering", () -> {
            StringWriter out = new StringWriter();
            int exit = ember(out, err, "status", "--json", "--conf",
                    "ember.zookeeper.connect=" + cluster.zookeeperConnect(),
                    "--conf", "ember.cluster=" + ProcessClusterExtension.CLUSTER);
            return exit == 0 ? out.toString() : null;
        });
        JsonNode status = Json.mapper().readTree(document);
        assertEquals(ProcessClusterExtension.CLUSTER, status.get("cluster").asText());
        assertEquals(leader.masterId(), status.get("leader").get("masterId").asText());
        assertEquals(leaderUrl, status.get("leader").get("uiUrl").asText());
        assertEquals(2, status.get("masters").size());
        assertEquals("STANDBY", status.get("masters").get(1).get("role").asText());
        assertEquals(2, status.get("workers").size());
        assertTrue(containsId(status.get("applications"), appId));
        assertEquals(2, status.get("totals").get("executorsRunning").asInt());
        assertEquals(4, status.get("totals").get("cores").asInt());
    }

    /**
     * A resource of the leader, once it answers 200: on a loaded machine the leader may lose ZooKeeper
     * for a moment (its session is 2 s) and answer as a standby, 503, until it resumes.
     */
    private JsonNode leaderJson(String path) {
        return Eventually.awaitValue("200 from the leader's " + path, () -> {
            WebClient.Answer answer = get(leaderUrl + path);
            return answer.status() == 200 ? answer.json() : null;
        });
    }

    private int ember(StringWriter out, StringWriter err, String... args) {
        CommandLine ember = EmberCli.commandLine((confDir, settings) -> new LaunchContext(Optional.empty(),
                Optional.ofNullable(confDir), Map.of(), Map.of(), settings));
        ember.setOut(new PrintWriter(out, true));
        ember.setErr(new PrintWriter(err, true));
        return ember.execute(args);
    }

    private static Set<String> states(JsonNode executors) {
        Set<String> states = new TreeSet<>();
        executors.forEach(e -> states.add(e.get("state").asText()));
        return states;
    }

    private static boolean containsId(JsonNode items, String id) {
        for (JsonNode item : items) {
            if (item.get("id").asText().equals(id)) {
                return true;
            }
        }
        return false;
    }

    private static JsonNode find(JsonNode items, String field, String value) {
        for (JsonNode item : items) {
            if (item.get(field).asText().equals(value)) {
                return item;
            }
        }
        throw new AssertionError("no " + field + "=" + value + " in " + items);
    }
}
