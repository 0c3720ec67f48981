package io.ember.core.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.ember.core.bootstrap.Bootstrap;
import io.ember.core.bootstrap.EmberEnvironment;
import io.ember.core.bootstrap.LaunchContext;
import io.ember.core.dataset.Dataset;
import io.ember.core.dataset.Pair;
import io.ember.core.driver.EmberContext;
import io.ember.core.job.JobFailedException;
import io.ember.core.testing.Eventually;
import io.ember.core.testing.HeadlessBrowser;
import io.ember.core.testing.WebGets;
import java.io.IOException;
import java.lang.ref.Reference;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An application run with its event log on, then served by the history server: the same REST
 * answers as its driver gave while it ran, and the pages.
 */
@Timeout(120)
final class HistoryServerTest {

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
    void servesAnEndedApplicationAsItsDriverDid() throws Exception {
        Path logs = dir.resolve("events");
        String appId;
        String liveUi;
        Map<String, JsonNode> live = new LinkedHashMap<>();
        try (EmberContext ember = EmberContext.builder().isolated().master("local[2]").appName("history")
                .set("ember.eventLog.enabled", "true").set("ember.eventLog.dir", logs.toString()).build()) {
            appId = ember.applicationId();
            liveUi = ember.uiUrl().orElseThrow();
            String app = liveUi + "/api/v1/applications/" + appId;
            List<Pair<Long, Long>> sums = ember.range(0, 100, 4).mapToPair(i -> new Pair<>(i % 5, i))
                    .reduceByKey(Long::sum, 2).collect();
            assertEquals(5, sums.size());
            assertThrows(JobFailedException.class, () -> ember.range(0, 2, 2).map(i -> {
                if (i == 1) {
                    throw new IllegalStateException("broken on purpose");
                }
                return i;
            }).count());
            // held to the end: the context cleaner drops the cached partitions of a dataset nothing references
            Dataset<Long> cached = ember.range(0, 40, 4).cache();
            assertEquals(40L, cached.count());
            Eventually.await(Duration.ofSeconds(30), () -> {
                try {
                    JsonNode jobs = json(app + "/jobs");
                    return jobs.size() == 3 && !jobs.toString().contains("RUNNING");
                } catch (Exception e) {
                    return false;
                }
            }, "the three jobs ended in the live UI");
            JsonNode storage = json(app + "/storage");
            assertEquals(1, storage.size(), storage.toString());
            assertEquals(4, storage.get(0).get("cachedPartitions").asInt());
            assertTrue(storage.get(0).get("cachedBytes").asLong() > 0, storage.toString());
            assertEquals(4, json(app + "/executors").get(0).get("cachedBlocks").asInt());
            for (String resource : resources(json(app + "/stages"))) {
                live.put(resource, json(app + resource));
            }
            Reference.reachabilityFence(cached);
        }

        try (EmberEnvironment environment = new Bootstrap(new LaunchContext(Optional.empty(), Optional.empty(),
                Map.of(), Map.of(), Map.of("ember.eventLog.dir", logs.toString()))).load();
             HistoryServer history = HistoryServer.start(environment.config(), Clock.systemUTC())) {
            String app = history.url() + "/api/v1/applications/" + appId;
            for (Map.Entry<String, JsonNode> resource : live.entrySet()) {
                assertEquals(resource.getValue(), json(app + resource.getKey()), resource.getKey());
            }
            JsonNode application = json(app);
            assertEquals(true, application.get("completed").asBoolean());
            assertEquals(liveUi, application.get("uiUrl").asText());
            assertEquals(1, json(history.url() + "/api/v1/applications").size());
            assertEquals(404, get(app + "/jobs/77").statusCode());
            assertEquals(404, get(history.url() + "/api/v1/applications/app-none").statusCode());

            String listing = get(history.url() + "/").body();
            assertTrue(listing.contains("href=\"/history/" + appId + "/jobs\""), listing);
            String jobsPage = get(history.url() + "/history/" + appId + "/jobs").body();
            assertTrue(jobsPage.contains("<svg id=\"timeline\""), jobsPage);
            assertTrue(jobsPage.contains("href=\"/history/" + appId + "/jobs/0\""), jobsPage);
            int stage = -1;
            for (JsonNode candidate : live.get("/stages")) {
                if (candidate.get("status").asText().equals("FAILED")) {
                    stage = candidate.get("stageId").asInt();
                }
            }
            String stagePage = get(history.url() + "/history/" + appId + "/stages/" + stage).body();
            assertTrue(stagePage.contains("broken on purpose"), "the failed task's reason: " + stagePage);

            try (HeadlessBrowser browser = HeadlessBrowser.start()) {
                browser.open(history.url());
                assertEquals(1, browser.rows("applications").size());
                browser.screenshot("history");
                browser.follow("applications", appId);
                assertEquals(history.url() + "/history/" + appId + "/jobs", browser.url());
                assertEquals(3, browser.rows("jobs").size());
                browser.follow("nav", "Storage");
                assertEquals(1, browser.rows("storage").size());
                browser.follow("nav", "All applications");
                assertEquals(history.url() + "/", browser.url());
            }
        }
    }

    /** The resources to compare: jobs, stages, each stage's tasks, executors, allocation. */
    private static List<String> resources(JsonNode stages) {
        List<String> resources = new ArrayList<>(List.of("/jobs", "/stages", "/executors", "/allocation",
                "/environment", "/storage"));
        stages.forEach(stage -> {
            resources.add("/stages/" + stage.get("stageId").asInt());
            resources.add("/stages/" + stage.get("stageId").asInt() + "/tasks");
        });
        resources.add("/jobs/0");
        return resources;
    }
}
