package io.ember.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ember.core.driver.EmberContext;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code ui-heap}: what the driver's UI keeps in memory. One application on
 * {@code local-cluster[2,1]} runs {@code --runs} jobs (default 100) of {@value #TASKS} no-op tasks;
 * then the driver's heap is measured after full collections, and the UI's REST API says how many
 * jobs, stages and task rows it remembers. Run it twice, once with {@code --set ember.ui.port=0}
 * (no UI), to read the UI's share.
 *
 * <p>Prints {@code RESULT ui-heap-used <MiB> MiB} (heap in use after the collections),
 * {@code RESULT ui-heap-task-rows <n> rows} and {@code RESULT ui-heap-jobs <n> jobs} (0 when the UI
 * is off), and the time the jobs took.
 */
public final class UiHeapBenchmark {

    static final String NAME = "ui-heap";
    static final int TASKS = 10_000;

    private static final String MASTER = "local-cluster[2,1]";
    private static final int EXECUTORS = 2;

    private UiHeapBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        run(TASKS, WorkloadOptions.parseOrExit(NAME, args, new WorkloadOptions(100, 0)), System.out);
    }

    static void run(int tasks, WorkloadOptions options, PrintStream out) throws IOException, InterruptedException {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("ember.executor.instances", Integer.toString(EXECUTORS));
        settings.put("ember.executor.memory", "256m");
        settings.putAll(options.settings());
        try (EmberContext ember = EmberContext.builder().isolated().setAll(settings).master(MASTER).appName(NAME)
                .build()) {
            ember.awaitExecutors(EXECUTORS, Duration.ofSeconds(60));
            out.printf("%s: %s, %d jobs of %d no-op tasks, settings %s; Java %s, max heap %d MiB%n", NAME, MASTER,
                    options.runs(), tasks, settings, Runtime.version(), Runtime.getRuntime().maxMemory() >> 20);
            long start = System.nanoTime();
            for (int job = 1; job <= options.runs(); job++) {
                ember.range(0, tasks, tasks).foreach(x -> { });
                if (job % 10 == 0) {
                    out.printf("%d jobs done in %d s%n", job, (System.nanoTime() - start) / 1_000_000_000L);
                    out.flush();
                }
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            Optional<String> ui = ember.uiUrl();
            int jobs = 0;
            long rows = 0;
            if (ui.isPresent()) {
                String app = ui.get() + "/api/v1/applications/" + ember.applicationId();
                // the UI hears of the last tasks on the listener bus: wait until it saw every job end
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                JsonNode running;
                do {
                    running = get(app + "/jobs?status=running");
                } while (running.size() > 0 && System.nanoTime() < deadline);
                jobs = get(app + "/jobs").size();
                for (JsonNode stage : get(app + "/stages")) {
                    rows += stage.get("retainedTasks").asLong();
                }
            }
            MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
            for (int i = 0; i < 3; i++) {
                memory.gc();
            }
            long used = memory.getHeapMemoryUsage().getUsed();
            out.printf(Locale.ROOT, "%d jobs of %d tasks in %d ms (%d tasks/s)%n", options.runs(), tasks, millis,
                    Math.round(options.runs() * (double) tasks * 1000 / Math.max(1, millis)));
            out.printf(Locale.ROOT, "RESULT %s-used %.1f MiB%n", NAME, used / 1048576.0);
            out.printf(Locale.ROOT, "RESULT %s-task-rows %d rows%n", NAME, rows);
            out.printf(Locale.ROOT, "RESULT %s-jobs %d jobs%n", NAME, jobs);
            out.flush();
        }
    }

    private static JsonNode get(String url) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException(url + " answered " + response.statusCode() + ": " + response.body());
        }
        return new ObjectMapper().readTree(response.body());
    }
}
