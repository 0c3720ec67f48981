package io.ember.core.master.web;

import static java.util.Objects.requireNonNull;

import io.ember.core.web.MetricsRoute;
import io.ember.core.web.WebRequest;
import io.ember.core.web.WebResponse;
import io.ember.core.web.WebRoutes;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * What a master's web server serves: its page ({@code /}), its REST resources under
 * {@code /api/v1/} ({@code master}, {@code workers}, {@code workers/{workerId}},
 * {@code applications}, {@code applications/{appId}}, {@code queues}) and {@code /metrics}. An
 * unknown worker or application is 404 with a JSON error; on a standby, the cluster's resources
 * ({@code workers}, {@code applications}, {@code queues}) are 503 with a JSON error naming the
 * leader's web UI, since only the leader knows them.
 *
 * <p>Each request reads the master once ({@link MasterStatusSource}); thread-safe.
 */
public final class MasterRoutes {

    private final MasterStatusSource source;
    private final Clock clock;

    private MasterRoutes(MasterStatusSource source, Clock clock) {
        this.source = requireNonNull(source, "source is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** The routes of a master that {@code source} describes; ages and durations on the page by {@code clock}. */
    public static WebRoutes of(MasterStatusSource source, Clock clock) {
        MasterRoutes routes = new MasterRoutes(source, clock);
        MetricsRoute metrics = new MetricsRoute(MasterMetrics.registry(source));
        return WebRoutes.builder()
                .get("/", request -> WebResponse.html(MasterPage.render(source.status(), clock.millis())))
                .get("/api/v1/master", request -> WebResponse.json(source.status().master()))
                .get("/api/v1/workers", request -> routes.fromLeader(MasterStatus::workers))
                .get("/api/v1/workers/{workerId}", request -> routes.fromLeader(status ->
                        one(status.workers(), MasterApi.Worker::id, request, "workerId", "worker")))
                .get("/api/v1/applications", request -> routes.fromLeader(MasterStatus::applications))
                .get("/api/v1/applications/{appId}", request -> routes.fromLeader(status ->
                        one(status.applications(), MasterApi.Application::id, request, "appId", "application")))
                .get("/api/v1/queues", request -> routes.fromLeader(MasterStatus::queues))
                .get("/metrics", metrics::scrape)
                .build();
    }

    /**
     * The answer the leader gives: {@code answer}'s value as JSON, or the response it chose (a 404);
     * 503 on a standby.
     */
    private WebResponse fromLeader(Function<MasterStatus, Object> answer) {
        MasterStatus status = source.status();
        MasterApi.Master master = status.master();
        if (!master.leads()) {
            return WebResponse.jsonError(503, "master " + master.masterId() + " is a standby; "
                    + (master.leaderId().isEmpty() ? "no master leads the cluster right now"
                    : master.leaderUrl().isEmpty() ? "the leader, " + master.leaderId() + " at "
                    + master.leaderAddress() + ", serves no web UI"
                    : "ask the leader, " + master.leaderId() + ", at " + master.leaderUrl()));
        }
        Object value = answer.apply(status);
        return value instanceof WebResponse response ? response : WebResponse.json(value);
    }

    private static <T> Object one(List<T> items, Function<T, String> id, WebRequest request, String parameter,
                                  String what) {
        String wanted = request.parameter(parameter);
        Optional<T> found = items.stream().filter(item -> id.apply(item).equals(wanted)).findFirst();
        return found.<Object>map(item -> item).orElseGet(() -> WebResponse.jsonError(404, "no " + what + " "
                + wanted + " in this cluster"));
    }
}
