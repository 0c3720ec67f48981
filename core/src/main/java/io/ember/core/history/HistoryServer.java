package io.ember.core.history;

import static java.util.Objects.requireNonNull;

import io.ember.api.config.Durations;
import io.ember.core.concurrent.EventLoop;
import io.ember.core.config.EmberConfig;
import io.ember.core.config.EmberKeys;
import io.ember.core.config.ServerAddress;
import io.ember.core.status.AppStatusStore;
import io.ember.core.status.ApplicationRoutes;
import io.ember.core.status.StatusViews.ApplicationView;
import io.ember.core.web.Formats;
import io.ember.core.web.Html;
import io.ember.core.web.WebCredentials;
import io.ember.core.web.WebResponse;
import io.ember.core.web.WebRoutes;
import io.ember.core.web.WebServer;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The history server: the pages and REST API of the applications whose event logs are in
 * {@code ember.eventLog.dir}, as their drivers served them ({@link ApplicationRoutes#forHistory}),
 * and a start page listing them. It reads the directory at start and every
 * {@code ember.history.updateInterval}, and applies the retention then
 * ({@code ember.history.maxAge}, {@code ember.history.maxApplications}).
 *
 * <p>It listens on {@code ember.history.ui.port} at {@code ember.host}; with
 * {@code ember.auth.secret}, it requires the web credentials derived from it.
 */
public final class HistoryServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HistoryServer.class);

    private final EventLogs logs;
    private final WebServer server;
    private final EventLoop refresher;

    private HistoryServer(EventLogs logs, WebServer server, EventLoop refresher) {
        this.logs = logs;
        this.server = server;
        this.refresher = refresher;
    }

    /**
     * Reads the event logs once, starts the web server and the periodic refresh.
     *
     * @throws IOException when the web server cannot listen
     */
    public static HistoryServer start(EmberConfig config, Clock clock) throws IOException {
        requireNonNull(config, "config is null");
        requireNonNull(clock, "clock is null");
        Path directory = Path.of(config.get(EmberKeys.EVENT_LOG_DIR)).toAbsolutePath().normalize();
        EventLogs logs = new EventLogs(directory, new AppStatusStore.Retention(config.get(EmberKeys.UI_RETAINED_JOBS),
                config.get(EmberKeys.UI_RETAINED_STAGES), config.get(EmberKeys.UI_RETAINED_TASKS),
                config.get(EmberKeys.UI_RETAINED_DEAD_EXECUTORS)), config.get(EmberKeys.HISTORY_MAX_AGE),
                config.get(EmberKeys.HISTORY_MAX_APPLICATIONS), clock);
        logs.refresh();
        WebRoutes routes = WebRoutes.builder()
                .get("/", request -> WebResponse.html(listing(logs, clock)))
                .addAll(ApplicationRoutes.forHistory(() -> logs.applications().stream()
                        .map(EventLogs.Loaded::store).toList(), logs::find, clock))
                .build();
        WebServer server = WebServer.start("history", ServerAddress.of(config.get(EmberKeys.HOST)),
                config.get(EmberKeys.HISTORY_UI_PORT), config.get(EmberKeys.UI_PORT_RETRIES), WebCredentials.of(config.core().find(EmberKeys.AUTH_SECRET)),
                routes);
        Duration interval = config.get(EmberKeys.HISTORY_UPDATE_INTERVAL);
        EventLoop refresher = EventLoop.start("ember-history-refresh");
        refresher.scheduleWithFixedDelay(() -> {
            try {
                logs.refresh();
            } catch (RuntimeException e) {
                LOG.warn("Reading the event logs failed; trying again in {}", Durations.format(interval), e);
            }
        }, interval, interval);
        LOG.info("History server at {}, reading {} every {}: {} application(s)", server.url(), directory,
                Durations.format(interval), logs.applications().size());
        return new HistoryServer(logs, server, refresher);
    }

    /** Where it answers, e.g. {@code http://127.0.0.1:18080}. */
    public String url() {
        return server.url();
    }

    /** Reads the event logs now (tests; the server also does so every update interval). */
    public void refresh() {
        logs.refresh();
    }

    private static String listing(EventLogs logs, Clock clock) {
        List<List<String>> rows = new ArrayList<>();
        for (EventLogs.Loaded loaded : logs.applications()) {
            ApplicationView app = loaded.store().application(clock.millis());
            rows.add(List.of(Html.link("/history/" + app.id() + "/jobs", app.id()), Html.escape(app.name()),
                    Html.escape(app.queue()), Formats.time(app.startTime()),
                    app.endTime() == null ? "" : Formats.time(app.endTime()),
                    app.completed() ? Formats.duration(app.durationMillis()) : "",
                    app.completed() ? "<span class=\"ok\">ended</span>" : loaded.inProgress()
                            ? "<span class=\"run\">running (or its driver died)</span>" : ""));
        }
        return Html.page("Application history", "", Html.table("applications", List.of("Application", "Name",
                "Queue", "Started", "Ended", "Duration", "State"), rows));
    }

    @Override
    public void close() {
        refresher.close();
        server.close();
    }
}
