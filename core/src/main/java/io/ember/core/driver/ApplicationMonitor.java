package io.ember.core.driver;

import static java.util.Objects.requireNonNull;

import io.ember.api.cluster.ExecutorInfo;
import io.ember.api.config.ConfigKey;
import io.ember.api.config.Durations;
import io.ember.api.scheduler.GroupStatus;
import io.ember.core.config.EmberConfig;
import io.ember.core.config.EmberKeys;
import io.ember.core.config.ServerAddress;
import io.ember.core.driver.endpoint.DriverEndpoint;
import io.ember.core.driver.endpoint.ExecutorListener;
import io.ember.core.scheduler.SchedulerListener;
import io.ember.core.scheduler.TaskScheduler;
import io.ember.core.status.AppStatusStore;
import io.ember.core.status.ApplicationRoutes;
import io.ember.core.status.EventLogWriter;
import io.ember.core.status.LiveFigures;
import io.ember.core.status.StatusEvent;
import io.ember.core.status.StatusFeed;
import io.ember.core.status.StatusViews.PoolView;
import io.ember.core.status.StatusViews.SettingView;
import io.ember.core.web.MetricsRoute;
import io.ember.core.web.WebCredentials;
import io.ember.core.web.WebRoutes;
import io.ember.core.web.WebServer;
import io.ember.core.web.WebUiPort;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What watches the application for people: its web server (pages, REST API, {@code /metrics};
 * {@code ember.ui.port}, 0 = off) answering from an {@link AppStatusStore}, and its event log
 * ({@code ember.eventLog.enabled}) for the history server. Both take the same {@link StatusEvent}s:
 * the scheduler's events, executors joining and leaving, the allocation policy's decisions. With
 * both off, nothing listens to the scheduler for them.
 *
 * <p>Neither failing is an application failure: a port range with no free port, or an event log
 * that cannot be written, is one WARN line and the application runs on.
 */
final class ApplicationMonitor implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ApplicationMonitor.class);

    private final TaskScheduler scheduler;
    private final Clock clock;
    private final Consumer<StatusEvent> sink;
    private final List<SchedulerListener> listeners;
    private final Optional<WebServer> server;
    private final Optional<EventLogWriter> eventLog;

    private ApplicationMonitor(TaskScheduler scheduler, Clock clock, Consumer<StatusEvent> sink,
                               List<SchedulerListener> listeners, Optional<WebServer> server,
                               Optional<EventLogWriter> eventLog) {
        this.scheduler = scheduler;
        this.clock = clock;
        this.sink = sink;
        this.listeners = listeners;
        this.server = server;
        this.eventLog = eventLog;
    }

    /**
     * The application's web server, listening before the application registers with the master
     * (whose pages link to it) and answering 503 until {@link #start} gives it its routes.
     */
    static final class Listening implements AutoCloseable {

        static final Listening NONE = new Listening(Optional.empty(), new AtomicReference<>());

        private final Optional<WebServer> server;
        private final AtomicReference<WebRoutes> routes;

        private Listening(Optional<WebServer> server, AtomicReference<WebRoutes> routes) {
            this.server = server;
            this.routes = routes;
        }

        /** The UI's base URL, empty when it does not run. */
        String url() {
            return server.map(WebServer::url).orElse("");
        }

        @Override
        public void close() {
            server.ifPresent(WebServer::close);
        }
    }

    /** Starts the web server when {@code ember.ui.port} asks for one (none, after one WARN line, when it cannot). */
    static Listening listen(EmberConfig config) {
        AtomicReference<WebRoutes> routes = new AtomicReference<>();
        Optional<WebServer> server = WebServer.startIfEnabled("driver", driverAddress(config),
                WebUiPort.from(config, EmberKeys.UI_PORT), WebCredentials.of(config.core().find(EmberKeys.AUTH_SECRET)),
                WebRoutes.later(routes::get));
        return server.isEmpty() ? Listening.NONE : new Listening(server, routes);
    }

    /** Starts what the configuration asks for, for the application {@code runtime} runs. */
    static ApplicationMonitor start(EmberConfig config, Listening listening, DriverRuntime runtime,
                                    TaskScheduler scheduler, String masterUrl, DriverMetrics metrics,
                                    Supplier<List<GroupStatus>> pools, Clock clock) {
        boolean logged = config.get(EmberKeys.EVENT_LOG_ENABLED);
        var application = runtime.application();
        String appId = application.applicationId();
        if (listening.server.isEmpty() && !logged) {
            return off(scheduler, clock);
        }
        StatusEvent.ApplicationStarted unserved = new StatusEvent.ApplicationStarted(appId, application.name(),
                application.queue(), masterUrl, "", clock.millis());
        Optional<EventLogWriter> eventLog = logged ? openEventLog(config, appId, clock) : Optional.empty();
        Optional<AppStatusStore> store = Optional.empty();
        Optional<WebServer> server = listening.server;
        List<SchedulerListener> listeners = new ArrayList<>();
        if (server.isPresent()) {
            AppStatusStore status = new AppStatusStore(unserved, retention(config));
            Function<String, OptionalLong> heard = id -> OptionalLong.empty();
            Supplier<Optional<String>> masterUi = Optional::empty;
            Optional<BooleanSupplier> zooKeeper = Optional.empty();
            Supplier<Map<String, Long>> rpcErrors = Map::of;
            if (runtime instanceof ClusterRuntime cluster) {
                DriverEndpoint endpoint = cluster.endpoint();
                heard = endpoint::lastHeardMillis;
                masterUi = cluster::masterUiUrl;
                zooKeeper = Optional.of(cluster::zooKeeperConnected);
                rpcErrors = endpoint::rpcErrors;
            }
            status.liveFigures(new Live(pools, heard, masterUi));
            DriverPrometheus prometheus = new DriverPrometheus(metrics, appId, new DriverPrometheus.Sources(
                    () -> runtime.executors().stream().mapToInt(ExecutorInfo::cores).sum(),
                    config.get(EmberKeys.TASK_CPUS), zooKeeper, rpcErrors));
            listening.routes.set(WebRoutes.builder().get("/metrics", new MetricsRoute(prometheus.registry())::scrape)
                    .addAll(ApplicationRoutes.forDriver(status, clock)).build());
            store = Optional.of(status);
            listeners.add(prometheus);
            LOG.info("Application {}'s web UI is at {}", appId, server.get().url());
        }
        if (store.isEmpty() && eventLog.isEmpty()) {
            return off(scheduler, clock);
        }
        Optional<AppStatusStore> storeToFeed = store;
        Consumer<StatusEvent> sink = event -> {
            storeToFeed.ifPresent(s -> s.apply(event));
            eventLog.ifPresent(log -> log.accept(event));
        };
        sink.accept(new StatusEvent.ApplicationStarted(appId, application.name(), application.queue(), masterUrl,
                server.map(WebServer::url).orElse(""), unserved.time()));
        sink.accept(new StatusEvent.EnvironmentCaptured(settings(config), unserved.time()));
        runtime.addExecutorListener(new ExecutorListener() {
            @Override
            public void executorAdded(ExecutorInfo executor) {
                sink.accept(new StatusEvent.ExecutorAdded(executor.executorId(), executor.host(), executor.cores(),
                        clock.millis()));
            }

            @Override
            public void executorRemoved(ExecutorInfo executor, String reason) {
                sink.accept(new StatusEvent.ExecutorRemoved(executor.executorId(), reason, clock.millis()));
            }
        });
        for (ExecutorInfo executor : runtime.executors()) {
            sink.accept(new StatusEvent.ExecutorAdded(executor.executorId(), executor.host(), executor.cores(),
                    clock.millis()));
        }
        Long target = metrics.snapshot().get(DriverMetrics.ALLOCATION_TARGET);
        if (target != null) {   // what the policy asked for as the application started
            sink.accept(new StatusEvent.AllocationChanged(target.intValue(), 0, List.of(), clock.millis()));
        }
        runtime.addDecisionListener((previous, now, released) ->
                sink.accept(new StatusEvent.AllocationChanged(now, previous, released, clock.millis())));
        listeners.add(new StatusFeed(sink));
        listeners.forEach(scheduler::addListener);
        return new ApplicationMonitor(scheduler, clock, sink, List.copyOf(listeners), server, eventLog);
    }

    /** Watching nothing: no UI, no event log, nothing listening to the scheduler. */
    private static ApplicationMonitor off(TaskScheduler scheduler, Clock clock) {
        return new ApplicationMonitor(scheduler, clock, event -> { }, List.of(), Optional.empty(), Optional.empty());
    }

    private static Optional<EventLogWriter> openEventLog(EmberConfig config, String appId, Clock clock) {
        Path dir = Path.of(config.get(EmberKeys.EVENT_LOG_DIR));
        try {
            EventLogWriter writer = EventLogWriter.open(dir, appId, config.get(EmberKeys.EVENT_LOG_COMPRESS),
                    config.get(EmberKeys.EVENT_LOG_ROLL_SIZE), clock);
            LOG.info("Application {}'s event log goes to {}", appId, writer.directory());
            return Optional.of(writer);
        } catch (IOException | RuntimeException e) {
            LOG.warn("The application runs without its event log: cannot create it in {} ({}: {})", dir,
                    e.getClass().getSimpleName(), e.getMessage());
            return Optional.empty();
        }
    }

    private static final Pattern SECRET_NAME = Pattern.compile("(?i).*(secret|password|token|credential).*");

    /** The core settings with their values and origins; secrets (sensitive keys, secret-like names) hidden. */
    static List<SettingView> settings(EmberConfig config) {
        List<SettingView> settings = new ArrayList<>();
        for (ConfigKey<?> key : config.catalog().coreKeys()) {
            Optional<?> value = config.core().find(key);
            if (value.isEmpty()) {
                continue;
            }
            String origin = config.core().origin(key.name());
            boolean secret = key.isSensitive() || SECRET_NAME.matcher(key.name()).matches();
            settings.add(new SettingView(key.name(), secret ? SettingView.HIDDEN : text(value.get()), origin));
        }
        return settings;
    }

    private static String text(Object value) {
        return value instanceof Duration duration ? Durations.format(duration) : String.valueOf(value);
    }

    private static AppStatusStore.Retention retention(EmberConfig config) {
        return new AppStatusStore.Retention(config.get(EmberKeys.UI_RETAINED_JOBS),
                config.get(EmberKeys.UI_RETAINED_STAGES), config.get(EmberKeys.UI_RETAINED_TASKS),
                config.get(EmberKeys.UI_RETAINED_DEAD_EXECUTORS));
    }

    private static ServerAddress driverAddress(EmberConfig config) {
        String host = config.get(EmberKeys.HOST);
        return new ServerAddress(config.core().find(EmberKeys.DRIVER_BIND_ADDRESS).orElse(host),
                config.core().find(EmberKeys.DRIVER_ADVERTISED_ADDRESS).orElse(host));
    }

    /** The web UI's base URL, e.g. {@code http://127.0.0.1:4040}, when it runs. */
    Optional<String> uiUrl() {
        return server.map(WebServer::url);
    }

    /**
     * Ends the record: the scheduler's listeners are removed after the events already queued for
     * them, the application's end is logged, the event log closed and the web server stopped.
     */
    @Override
    public void close() {
        listeners.forEach(scheduler::removeListener);
        sink.accept(new StatusEvent.ApplicationEnded(clock.millis()));
        eventLog.ifPresent(EventLogWriter::close);
        server.ifPresent(WebServer::close);
    }

    /** The running driver's pools, and when it heard from its executors. */
    private record Live(Supplier<List<GroupStatus>> groups, Function<String, OptionalLong> heard,
                        Supplier<Optional<String>> master) implements LiveFigures {
        @Override
        public Optional<String> masterUiUrl() {
            return master.get();
        }

        @Override
        public OptionalLong lastHeardMillis(String executorId) {
            return heard.apply(executorId);
        }

        @Override
        public List<PoolView> pools() {
            return groups.get().stream().map(p -> new PoolView(p.name(), p.mode(), p.weight(), p.minShare(),
                    p.maxShare(), p.running(), p.pending(), p.items())).toList();
        }
    }
}
