package io.ember.core.driver;

import static java.util.Objects.requireNonNull;

import io.ember.api.cluster.ExecutorInfo;
import io.ember.api.scheduler.GroupStatus;
import io.ember.core.config.EmberConfig;
import io.ember.core.config.EmberKeys;
import io.ember.core.config.ServerAddress;
import io.ember.core.driver.endpoint.ExecutorListener;
import io.ember.core.scheduler.TaskScheduler;
import io.ember.core.status.AppStatusStore;
import io.ember.core.status.ApplicationRoutes;
import io.ember.core.status.LiveFigures;
import io.ember.core.status.StatusViews.PoolView;
import io.ember.core.web.MetricsRoute;
import io.ember.core.web.WebCredentials;
import io.ember.core.web.WebRoutes;
import io.ember.core.web.WebServer;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The application's web server: its pages and REST API (from an {@link AppStatusStore} fed by
 * the scheduler's events and the executors' arrivals and departures) and its {@code /metrics}. Off
 * when {@code ember.ui.port} is 0: then nothing listens to the scheduler for it.
 *
 * <p>A port range with no free port is not an application failure: one WARN line, and the
 * application runs without its UI.
 */
final class DriverWeb implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DriverWeb.class);

    private final TaskScheduler scheduler;
    private final AppStatusStore status;
    private final DriverPrometheus prometheus;
    private final WebServer server;
    private final Clock clock;

    private DriverWeb(TaskScheduler scheduler, AppStatusStore status, DriverPrometheus prometheus,
                      WebServer server, Clock clock) {
        this.scheduler = scheduler;
        this.status = status;
        this.prometheus = prometheus;
        this.server = server;
        this.clock = clock;
    }

    /** The web server of the application {@code runtime} runs, or none when ember.ui.port is 0. */
    static Optional<DriverWeb> start(EmberConfig config, DriverRuntime runtime, TaskScheduler scheduler,
                                     String masterUrl, DriverMetrics metrics, Supplier<List<GroupStatus>> pools,
                                     Clock clock) {
        int port = config.get(EmberKeys.UI_PORT);
        if (port == 0) {
            return Optional.empty();
        }
        var application = runtime.application();
        AppStatusStore status = new AppStatusStore(application.applicationId(), application.name(),
                application.queue(), masterUrl, clock.millis(), new AppStatusStore.Retention(
                config.get(EmberKeys.UI_RETAINED_JOBS), config.get(EmberKeys.UI_RETAINED_STAGES),
                config.get(EmberKeys.UI_RETAINED_TASKS), config.get(EmberKeys.UI_RETAINED_DEAD_EXECUTORS)));
        status.liveFigures(new Live(pools, metrics));
        runtime.addExecutorListener(new ExecutorListener() {
            @Override
            public void executorAdded(ExecutorInfo executor) {
                status.executorAdded(executor.executorId(), executor.host(), executor.cores(), clock.millis());
            }

            @Override
            public void executorRemoved(ExecutorInfo executor, String reason) {
                status.executorRemoved(executor.executorId(), reason, clock.millis());
            }
        });
        for (ExecutorInfo executor : runtime.executors()) {
            status.executorAdded(executor.executorId(), executor.host(), executor.cores(), clock.millis());
        }
        DriverPrometheus prometheus = new DriverPrometheus(metrics, application.applicationId());
        MetricsRoute scrape = new MetricsRoute(prometheus.registry());
        WebRoutes routes = WebRoutes.builder().get("/metrics", scrape::scrape)
                .addAll(ApplicationRoutes.forDriver(status, clock)).build();
        ServerAddress address = new ServerAddress(config.core().find(EmberKeys.DRIVER_BIND_ADDRESS)
                .orElse(config.get(EmberKeys.HOST)), config.core().find(EmberKeys.DRIVER_ADVERTISED_ADDRESS)
                .orElse(config.get(EmberKeys.HOST)));
        WebServer server;
        try {
            server = WebServer.start("driver", address, port, config.get(EmberKeys.UI_PORT_RETRIES),
                    WebCredentials.of(config.core().find(EmberKeys.AUTH_SECRET)), routes);
        } catch (IOException e) {
            LOG.warn("The application runs without its web UI: {}", e.getMessage());
            return Optional.empty();
        }
        status.uiUrl(server.url());
        scheduler.addListener(status);
        scheduler.addListener(prometheus);
        LOG.info("Application {}'s web UI is at {}", application.applicationId(), server.url());
        return Optional.of(new DriverWeb(scheduler, status, prometheus, server, clock));
    }

    /** The UI's base URL, e.g. {@code http://127.0.0.1:4040}. */
    String url() {
        return server.url();
    }

    AppStatusStore status() {
        return status;
    }

    @Override
    public void close() {
        status.applicationEnded(clock.millis());
        scheduler.removeListener(status);
        scheduler.removeListener(prometheus);
        server.close();
    }

    /** The running driver's pools and allocation figures. */
    private record Live(Supplier<List<GroupStatus>> groups, DriverMetrics metrics) implements LiveFigures {
        @Override
        public List<PoolView> pools() {
            return groups.get().stream().map(p -> new PoolView(p.name(), p.mode(), p.weight(), p.minShare(),
                    p.maxShare(), p.running(), p.pending(), p.items())).toList();
        }

        @Override
        public SortedMap<String, Long> allocation() {
            SortedMap<String, Long> figures = new TreeMap<>();
            metrics.snapshot().forEach((name, value) -> {
                if (name.startsWith("allocation.") || name.startsWith("executors.")) {
                    figures.put(name, value);
                }
            });
            return figures;
        }
    }
}
