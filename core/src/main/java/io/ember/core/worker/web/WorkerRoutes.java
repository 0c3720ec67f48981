package io.ember.core.worker.web;

import io.ember.core.web.MetricsRoute;
import io.ember.core.web.WebResponse;
import io.ember.core.web.WebRoutes;

/**
 * What a worker's web server serves: its page ({@code /}), its REST resources
 * ({@code /api/v1/worker}, {@code /api/v1/executors}), its executors' logs
 * ({@code /logs/{appId}/{executorId}/{stdout|stderr}}, see {@link ExecutorLogs}) and
 * {@code /metrics}.
 *
 * <p>Thread-safe.
 */
public final class WorkerRoutes {

    private WorkerRoutes() {
    }

    /** The routes of the worker {@code source} describes. */
    public static WebRoutes of(WorkerStatusSource source) {
        MetricsRoute metrics = new MetricsRoute(WorkerMetrics.registry(source));
        ExecutorLogs logs = new ExecutorLogs(source);
        return WebRoutes.builder()
                .get("/", request -> WebResponse.html(WorkerPage.render(source.status())))
                .get("/api/v1/worker", request -> WebResponse.json(source.status().worker()))
                .get("/api/v1/executors", request -> WebResponse.json(source.status().executors()))
                .get("/logs/{appId}/{executorId}/{stream}", logs::serve)
                .get("/metrics", metrics::scrape)
                .build();
    }
}
