package io.ember.core.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.ember.core.dataset.Pair;
import io.ember.core.job.JobFailedException;
import io.ember.core.testing.Eventually;
import io.ember.core.testing.HeadlessBrowser;
import io.ember.core.testing.WebGets;
import io.ember.core.web.Json;
import io.ember.core.web.WebCredentials;
import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_36_2.Metrics;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;

/**
 * An application's REST API and /metrics on {@code local-cluster[2,1]} (executors as real
 * processes), checked against the jobs the test ran: counts, states and ids.
 */
@Timeout(180)
final class DriverWebTest {

    private static final String PROTOBUF = "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; "
            + "encoding=delimited";

    @TempDir
    Path dir;

    private final WebGets web = new WebGets();

    private HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return web.get(url);
    }

    private JsonNode json(String url) throws IOException, InterruptedException {
        return web.json(url);
    }

    @Test
    void theRestApiAndTheMetricsDescribeTheJobsThatRan() throws Exception {
        try (EmberContext ember = LocalApplications.builder(dir, "local-cluster[2,1]", "web")
                .set("ember.executor.memory", "128m").build()) {
            ember.awaitExecutors(2, Duration.ofSeconds(60));
            String ui = ember.uiUrl().orElseThrow();
            String app = ui + "/api/v1/applications/" + ember.applicationId();

            List<Pair<Long, Long>> sums = ember.range(0, 1_000, 4).mapToPair(i -> new Pair<>(i % 10, i))
                    .reduceByKey(Long::sum, 3).collect();
            assertEquals(10, sums.size());
            assertThrows(JobFailedException.class, () -> ember.range(0, 2, 2).map(i -> {
                if (i == 1) {
                    throw new IllegalStateException("partition one is broken");
                }
                return i;
            }).collect());
            Eventually.await(Duration.ofSeconds(30), () -> jobStates(app).size() == 2
                    && !jobStates(app).contains("RUNNING"), () -> "both jobs ended: " + jobStates(app));

            JsonNode application = json(app);
            assertEquals(ember.applicationId(), application.get("id").asText());
            assertEquals("web", application.get("name").asText());
            assertEquals(false, application.get("completed").asBoolean());
            assertEquals(ui, application.get("uiUrl").asText());
            assertEquals(1, json(ui + "/api/v1/applications").size());

            JsonNode jobs = json(app + "/jobs");
            JsonNode failed = jobs.get(0);
            JsonNode shuffled = jobs.get(1);
            assertEquals("FAILED", failed.get("status").asText());
            assertEquals("SUCCEEDED", shuffled.get("status").asText());
            assertEquals(2, shuffled.get("stageIds").size(), "a map stage and a result stage");
            assertEquals(7, shuffled.get("numTasks").asInt(), "4 map tasks and 3 reduce tasks");
            assertEquals(7, shuffled.get("numCompletedTasks").asInt());
            assertEquals(0, shuffled.get("numActiveTasks").asInt());
            assertEquals(2, shuffled.get("numCompletedStages").asInt());
            assertTrue(shuffled.get("description").asText().contains("collect"), shuffled.toString());
            assertEquals(1, json(app + "/jobs?status=failed").size());
            int jobId = shuffled.get("jobId").asInt();
            assertEquals(shuffled, json(app + "/jobs/" + jobId));

            int mapStage = shuffled.get("stageIds").get(0).asInt();
            int reduceStage = shuffled.get("stageIds").get(1).asInt();
            JsonNode map = json(app + "/stages/" + mapStage);
            assertEquals("COMPLETE", map.get("status").asText());
            assertEquals(4, map.get("numTasks").asInt());
            assertEquals(4, map.get("taskDurations").get("count").asInt());
            JsonNode reduceTasks = json(app + "/stages/" + reduceStage + "/tasks");
            assertEquals(3, reduceTasks.size());
            List<Integer> partitions = new ArrayList<>();
            reduceTasks.forEach(task -> {
                partitions.add(task.get("index").asInt());
                assertEquals("SUCCESS", task.get("status").asText(), task.toString());
            });
            partitions.sort(null);
            assertEquals(List.of(0, 1, 2), partitions);

            JsonNode failedStage = json(app + "/stages/" + failed.get("stageIds").get(0).asInt() + "/tasks");
            boolean named = false;
            for (JsonNode task : failedStage) {
                named |= task.get("status").asText().equals("FAILED") && task.get("errorMessage").asText()
                        .equals("java.lang.IllegalStateException: partition one is broken");
            }
            assertTrue(named, "a failed attempt says why: " + failedStage);

            JsonNode executors = json(app + "/executors");
            assertEquals(2, executors.size());
            int done = 0;
            for (JsonNode executor : executors) {
                assertTrue(executor.get("active").asBoolean());
                assertEquals(1, executor.get("cores").asInt());
                done += executor.get("completedTasks").asInt();
            }
            assertEquals(7 + 1, done, "7 tasks of the first job and partition 0 of the failing one");

            HttpResponse<String> unknownApp = get(ui + "/api/v1/applications/app-nobody/jobs");
            HttpResponse<String> unknownJob = get(app + "/jobs/999");
            assertEquals(404, unknownApp.statusCode());
            assertEquals("unknown application app-nobody",
                    Json.mapper().readTree(unknownApp.body()).get("message").asText());
            assertEquals(404, unknownJob.statusCode());
            assertEquals(404, Json.mapper().readTree(unknownJob.body()).get("status").asInt());

            Map<String, Metrics.MetricFamily> metrics = scrape(ui);
            assertTrue(sum(metrics, "ember_driver_tasks_launched") >= 7 + 2, metrics.keySet().toString());
            assertEquals(2.0, sum(metrics, "ember_driver_jobs_started"));
            assertEquals(1.0, sum(metrics, "ember_driver_jobs_failed"));
            assertEquals(2.0, sum(metrics, "ember_driver_executors"));
            assertEquals(2.0, sum(metrics, "ember_driver_executor_cores"));
            assertEquals(1.0, sum(metrics, "ember_zookeeper_connected"));
            assertEquals(0.0, sum(metrics, "ember_driver_shuffle_fetch_failures"));
            assertTrue(metrics.containsKey("jvm_memory_used_bytes"), "JVM metrics: " + metrics.keySet());
            HttpResponse<String> text = get(ui + "/metrics");
            assertTrue(text.headers().firstValue("Content-Type").orElseThrow().startsWith("text/plain; version=0.0.4"));
            for (String family : metrics.keySet()) {
                assertTrue(text.body().contains("# TYPE " + family + " "), family + " in the text format");
            }

            pagesInABrowser(ui, jobId, reduceStage, ember.applicationId());
        }
    }

    /** Every page of the application in a real headless browser, following its links; screenshots for the docs. */
    private static void pagesInABrowser(String ui, int jobId, int reduceStage, String appId) {
        try (HeadlessBrowser browser = HeadlessBrowser.start()) {
            browser.open(ui);
            assertEquals(ui + "/jobs", browser.url(), "the start page is the jobs page");
            assertEquals("Jobs of web · Ember", browser.title());
            assertEquals(2, browser.rows("jobs").size());
            assertTrue(browser.byId("timeline").findElements(By.cssSelector("g.event")).size()
                    >= 4, "two executors and two jobs on the timeline");
            browser.screenshot("driver-jobs");

            browser.follow("jobs", String.valueOf(jobId));
            assertEquals("Job " + jobId + " · Ember", browser.title());
            assertEquals(2, browser.rows("stages").size());
            browser.screenshot("driver-job");

            browser.follow("stages", String.valueOf(reduceStage));
            assertEquals("Stage " + reduceStage + " · Ember", browser.title());
            assertEquals(3, browser.rows("tasks").size());
            assertEquals(1, browser.rows("task-durations").size());
            assertTrue(browser.byId("task-duration-plot").isDisplayed());
            browser.screenshot("driver-stage");

            browser.open(ui + "/executors");
            assertEquals(2, browser.rows("executors").size());
            browser.screenshot("driver-executors");

            browser.open(ui + "/stages");
            assertEquals(3, browser.rows("stages").size(), "two stages of the first job, one of the failed one");
            assertTrue(browser.text().contains("failed"), browser.text());
            browser.screenshot("driver-stages");

            browser.open(ui + "/pools");
            assertTrue(browser.text().contains("Executors asked for 2"), "the static policy asked for 2: "
                    + browser.text());
            browser.screenshot("driver-pools");

            // the application -> its cluster's leader -> a worker -> an executor's log, and back
            browser.follow("nav", "Cluster");
            assertTrue(browser.title().startsWith("Master"), browser.title());
            assertEquals("leader", browser.byId("state").getText().toLowerCase(Locale.ROOT));
            assertEquals(2, browser.rows("workers").size());
            browser.screenshot("master");
            String master = browser.url();
            browser.follow("applications", appId);
            assertEquals(ui + "/jobs", browser.url(), "the master links to the application's UI");
            browser.open(master);
            String worker = browser.rows("workers").get(0).findElement(By.tagName("a")).getText();
            browser.follow("workers", worker);
            assertTrue(browser.title().contains(worker), browser.title());
            assertEquals(1, browser.rows("executors").size(), "one executor of the application on each worker");
            browser.screenshot("worker");
            browser.follow("executors", "stdout");
            assertTrue(browser.url().endsWith("/stdout"), browser.url());
            assertTrue(!browser.text().isBlank(), "the executor's own log lines");
        }
    }

    @Test
    void withASecretEveryPageResourceAndTheMetricsAskForCredentialsAndNoPageShowsTheSecret() throws Exception {
        String secret = "s3cret-value-4711";
        try (EmberContext ember = LocalApplications.builder(dir, "local[1]", "guarded")
                .set("ember.auth.secret", secret).set("ember.ui.retainedJobs", "5").build()) {
            String ui = ember.uiUrl().orElseThrow();
            String app = "/api/v1/applications/" + ember.applicationId();
            String authorization = WebCredentials.derivedFrom(secret).authorizationHeader();
            for (String path : List.of("/jobs", app + "/jobs", app + "/environment", "/metrics", "/environment")) {
                assertEquals(401, get(ui + path).statusCode(), path + " without credentials");
                HttpResponse<String> with = web.get(ui + path, "Authorization", authorization);
                assertEquals(200, with.statusCode(), path + " with them");
                assertTrue(!with.body().contains(secret), path + " shows the secret");
            }
            Map<String, String> settings = new HashMap<>();
            web.json(ui + app + "/environment", "Authorization", authorization).forEach(setting ->
                    settings.put(setting.get("name").asText(), setting.get("value").asText()));
            assertEquals("(hidden)", settings.get("ember.auth.secret"));
            assertEquals("5", settings.get("ember.ui.retainedJobs"));
            assertEquals("guarded", settings.get("ember.app.name"));
        }
    }

    @Test
    void aUiPortOfZeroServesNothing() {
        try (EmberContext ember = LocalApplications.builder(dir, "local[1]", "no-ui").set("ember.ui.port", "0")
                .build()) {
            assertTrue(ember.uiUrl().isEmpty());
            assertEquals(3L, ember.range(0, 3).count());
        }
    }

    private List<String> jobStates(String app) {
        try {
            List<String> states = new ArrayList<>();
            json(app + "/jobs").forEach(job -> states.add(job.get("status").asText()));
            return states;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** The driver's metrics, parsed by the Prometheus client's own protobuf classes. */
    private Map<String, Metrics.MetricFamily> scrape(String ui) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = web.bytes(ui + "/metrics", "Accept", PROTOBUF);
        assertEquals(200, response.statusCode());
        Map<String, Metrics.MetricFamily> families = new HashMap<>();
        try (InputStream in = new ByteArrayInputStream(response.body())) {
            Metrics.MetricFamily family;
            while ((family = Metrics.MetricFamily.parseDelimitedFrom(in)) != null) {
                families.put(family.getName(), family);
            }
        }
        return families;
    }

    private static double sum(Map<String, Metrics.MetricFamily> families, String name) {
        Metrics.MetricFamily family = families.get(name);
        if (family == null) {
            family = families.get(name + "_total");
        }
        assertTrue(family != null, name + " among " + families.keySet());
        double sum = 0;
        for (Metrics.Metric metric : family.getMetricList()) {
            sum += metric.hasCounter() ? metric.getCounter().getValue() : metric.getGauge().getValue();
        }
        return sum;
    }
}
