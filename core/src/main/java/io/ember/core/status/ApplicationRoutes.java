package io.ember.core.status;

import static java.util.Objects.requireNonNull;

import io.ember.core.status.StatusViews.JobView;
import io.ember.core.web.WebHandler;
import io.ember.core.web.WebRequest;
import io.ember.core.web.WebResponse;
import io.ember.core.web.WebRoutes;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * An application's REST API (under {@code /api/v1/applications}) and its pages, for the running
 * driver (one application, pages at the root) and for the history server (many, pages under
 * {@code /history/{appId}}). Both answer from {@link AppStatusStore}, so they answer alike.
 *
 * <p>The resources, modelled on Spark's monitoring API (fields in {@link StatusViews}):
 * <pre>
 *   /api/v1/applications                                  every application served here
 *   /api/v1/applications/{appId}                          one
 *   /api/v1/applications/{appId}/jobs[?status=running|succeeded|failed]
 *   /api/v1/applications/{appId}/jobs/{jobId}
 *   /api/v1/applications/{appId}/stages[?status=active|complete|failed]
 *   /api/v1/applications/{appId}/stages/{stageId}
 *   /api/v1/applications/{appId}/stages/{stageId}/tasks
 *   /api/v1/applications/{appId}/executors                active and removed ones
 *   /api/v1/applications/{appId}/pools                    the scheduler pools (running driver only)
 *   /api/v1/applications/{appId}/allocation               the allocation policy's decisions
 *   /api/v1/applications/{appId}/environment              its settings, secrets hidden
 *   /api/v1/applications/{appId}/storage                  the datasets with cached partitions
 * </pre>
 * An unknown application, job or stage is 404 with a JSON error body.
 */
public final class ApplicationRoutes {

    private static final String API = "/api/v1/applications";

    private final Supplier<List<AppStatusStore>> applications;
    private final Function<String, Optional<AppStatusStore>> find;
    private final Clock clock;

    private ApplicationRoutes(Supplier<List<AppStatusStore>> applications,
                              Function<String, Optional<AppStatusStore>> find, Clock clock) {
        this.applications = applications;
        this.find = find;
        this.clock = clock;
    }

    /** The running driver's routes: its one application's API, and its pages at the root. */
    public static WebRoutes forDriver(AppStatusStore application, Clock clock) {
        requireNonNull(application, "application is null");
        ApplicationRoutes routes = new ApplicationRoutes(() -> List.of(application),
                id -> id.equals(application.applicationId()) ? Optional.of(application) : Optional.empty(),
                requireNonNull(clock, "clock is null"));
        WebRoutes.Builder builder = WebRoutes.builder();
        routes.addApi(builder);
        ApplicationPages pages = new ApplicationPages(clock, "");
        builder.get("/", request -> WebResponse.redirect("/jobs"));
        pages.addTo(builder, "", request -> Optional.of(application));
        return builder.build();
    }

    /**
     * The history server's routes: the API over {@code applications}, each application's pages under
     * {@code /history/{appId}}.
     */
    public static WebRoutes forHistory(Supplier<List<AppStatusStore>> applications,
                                       Function<String, Optional<AppStatusStore>> find, Clock clock) {
        ApplicationRoutes routes = new ApplicationRoutes(requireNonNull(applications, "applications is null"),
                requireNonNull(find, "find is null"), requireNonNull(clock, "clock is null"));
        WebRoutes.Builder builder = WebRoutes.builder();
        routes.addApi(builder);
        ApplicationPages pages = new ApplicationPages(clock, "/history/{appId}");
        pages.addTo(builder, "/history/{appId}", request -> find.apply(request.parameter("appId")));
        return builder.build();
    }

    private void addApi(WebRoutes.Builder routes) {
        routes.get(API, request -> WebResponse.json(applications.get().stream()
                        .map(a -> a.application(clock.millis())).toList()))
                .get(API + "/{appId}", app(a -> WebResponse.json(a.application(clock.millis()))))
                .get(API + "/{appId}/jobs", (request) -> withApp(request, a -> {
                    Optional<String> status = request.queryValue("status").map(s -> s.toUpperCase(Locale.ROOT));
                    List<JobView> jobs = a.jobs(clock.millis());
                    return WebResponse.json(status.isEmpty() ? jobs
                            : jobs.stream().filter(j -> j.status().equals(status.get())).toList());
                }))
                .get(API + "/{appId}/jobs/{jobId}", request -> withApp(request, a -> number(request, "jobId")
                        .flatMap(id -> a.job(id, clock.millis())).map(WebResponse::json)
                        .orElseGet(() -> notFound(a, "job", request.parameter("jobId")))))
                .get(API + "/{appId}/stages", request -> withApp(request, a -> {
                    Optional<String> status = request.queryValue("status").map(s -> s.toUpperCase(Locale.ROOT));
                    return WebResponse.json(status.isEmpty() ? a.stages()
                            : a.stages().stream().filter(s -> s.status().equals(status.get())).toList());
                }))
                .get(API + "/{appId}/stages/{stageId}", request -> withApp(request, a -> number(request, "stageId")
                        .flatMap(a::stage).map(WebResponse::json)
                        .orElseGet(() -> notFound(a, "stage", request.parameter("stageId")))))
                .get(API + "/{appId}/stages/{stageId}/tasks", request -> withApp(request, a ->
                        number(request, "stageId").flatMap(id -> a.tasks(id, clock.millis())).map(WebResponse::json)
                                .orElseGet(() -> notFound(a, "stage", request.parameter("stageId")))))
                .get(API + "/{appId}/executors", app(a -> WebResponse.json(a.executors())))
                .get(API + "/{appId}/pools", app(a -> WebResponse.json(a.liveFigures().pools())))
                .get(API + "/{appId}/allocation", app(a -> WebResponse.json(a.allocation())))
                .get(API + "/{appId}/environment", app(a -> WebResponse.json(a.environment())))
                .get(API + "/{appId}/storage", app(a -> WebResponse.json(a.storage())));
    }

    private WebHandler app(Function<AppStatusStore, WebResponse> answer) {
        return request -> withApp(request, answer);
    }

    private WebResponse withApp(WebRequest request, Function<AppStatusStore, WebResponse> answer) {
        String id = request.parameter("appId");
        return find.apply(id).map(answer).orElseGet(() -> WebResponse.jsonError(404, "unknown application " + id));
    }

    private static Optional<Integer> number(WebRequest request, String name) {
        try {
            return Optional.of(Integer.parseInt(request.parameter(name)));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static WebResponse notFound(AppStatusStore application, String what, String id) {
        return WebResponse.jsonError(404, "application " + application.applicationId() + " has no " + what + " "
                + id + " (or no longer remembers it)");
    }
}
