package io.ember.core.master;

import static java.util.Objects.requireNonNull;

import io.ember.api.cluster.ApplicationInfo;
import io.ember.api.cluster.WorkerInfo;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A term's application lifecycle: registering (and re-registering) applications with their ids,
 * registration order and time, changing their executor requests, killing executors at their request
 * and ending them; each change is stored ({@link ApplicationStore}) and workers are told what concerns
 * them. The last {@value #RETAINED_ENDED} applications that ended in this term are remembered for the
 * web UI. Offering the freed or wanted cores is the caller's next step ({@link ExecutorLaunches}).
 *
 * <p>Confined to the master's event loop.
 */
final class Applications {

    /** Logs as the term did before its parts were split out: operators and ExecutorStartTimeline know that name. */
    private static final Logger LOG = LoggerFactory.getLogger(Leadership.class);
    private static final DateTimeFormatter APP_ID_TIME =
            DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC);
    /** How many ended applications a term remembers, newest first. */
    static final int RETAINED_ENDED = 50;

    private final MasterState state;
    private final ApplicationStore store;
    private final WorkerCommands commands;
    private final Clock clock;
    private final Map<String, ApplicationDescription> descriptions = new HashMap<>();
    private final Map<String, Instant> registeredAt = new HashMap<>();
    private final Deque<EndedApplication> ended = new ArrayDeque<>();
    private long appCounter;

    Applications(MasterState state, ApplicationStore store, WorkerCommands commands, Clock clock) {
        this.state = requireNonNull(state, "state is null");
        this.store = requireNonNull(store, "store is null");
        this.commands = requireNonNull(commands, "commands is null");
        this.clock = requireNonNull(clock, "clock is null");
        // Where the leaders before stopped, so that ids keep increasing across failovers.
        this.appCounter = store.nextApplicationNumber();
    }

    /** Takes back an application a previous leader stored. */
    void restore(RecoveredCluster.Application stored) {
        ApplicationDescription app = stored.description();
        descriptions.put(stored.appId(), app);
        registeredAt.put(stored.appId(), stored.registeredAtMillis() > 0
                ? Instant.ofEpochMilli(stored.registeredAtMillis()) : clock.instant());
        appCounter = Math.max(appCounter, stored.registrationOrder() + 1);
        state.registerApplication(stored.appId(), app.name(), app.queue(), app.coresPerExecutor(),
                app.memoryPerExecutorBytes(), stored.requestedExecutors());
    }

    /**
     * Registers an application (a fresh id when it has none) or re-registers one; returns its id. Its
     * next executor gets an id of at least {@code executorIdsFrom}: a driver registering an application
     * this leader ended (or never knew) sends one above every id it heard of, so none is given twice.
     */
    String register(ApplicationDescription requested, int requestedExecutors, long executorIdsFrom) {
        String appId = requested.appId().isEmpty() ? newApplicationId() : requested.appId();
        ApplicationDescription app = requested.withAppId(appId);
        boolean known = state.application(appId).isPresent();
        long order = known ? state.application(appId).orElseThrow().priority() : appCounter++;
        if (!known) {
            store.putNextApplicationNumber(appCounter);
        }
        Instant registered = registeredAt.computeIfAbsent(appId, id -> clock.instant());
        store.put(app, requestedExecutors, order, registered.toEpochMilli());
        descriptions.put(appId, app);
        ApplicationRecord record = state.registerApplication(appId, app.name(), app.queue(), app.coresPerExecutor(),
                app.memoryPerExecutorBytes(), requestedExecutors);
        if (executorIdsFrom > 0) {
            record.observeExecutorId(Long.toString(executorIdsFrom - 1));
        }
        LOG.info("Application {} ('{}', queue {}) {} by its driver at {}: {} executor(s) of {} core(s), {} MB",
                appId, app.name(), app.queue(), known ? "re-registered" : "registered", app.driverAddress(),
                requestedExecutors, app.coresPerExecutor(), app.memoryPerExecutorBytes() >> 20);
        return appId;
    }

    /**
     * Changes an application's executor request.
     *
     * @return whether it changed
     * @throws IllegalArgumentException when the application is unknown
     */
    boolean requestTotalExecutors(String appId, int total) {
        ApplicationRecord app = require(appId);
        if (app.requestedExecutors() == total) {
            return false;
        }
        store.put(descriptions.get(appId), total, app.priority(), registeredAt(appId).toEpochMilli());
        state.requestTotalExecutors(appId, total);
        return true;
    }

    /**
     * Kills executors at the application's request and asks their workers to stop them (see
     * {@link MasterState#killExecutors}).
     *
     * @throws IllegalArgumentException when the application is unknown
     */
    void killExecutors(String appId, List<String> executorIds, OptionalInt total) {
        ApplicationRecord app = require(appId);
        List<ExecutorRecord> killed = state.killExecutors(appId, executorIds, total);
        store.put(descriptions.get(appId), app.requestedExecutors(), app.priority(),
                registeredAt(appId).toEpochMilli());
        for (ExecutorRecord executor : killed) {
            state.worker(executor.workerId())
                    .ifPresent(worker -> commands.kill(worker, appId, executor.executorId()));
        }
    }

    /**
     * Ends an application: forgets it (remembering it among the ended ones as {@code outcome}), tells
     * every worker (they stop its executors) and removes its record.
     *
     * @return false when the application was not known
     */
    boolean end(String appId, String reason, EndedApplication.Outcome outcome) {
        ApplicationRecord app = state.application(appId).orElse(null);
        if (app == null) {
            return false;
        }
        ApplicationDescription description = descriptions.get(appId);
        ended.addFirst(new EndedApplication(appId, app.appName(), app.group(), registeredAt(appId), clock.instant(),
                outcome, reason, description == null ? "" : description.uiUrl()));
        if (ended.size() > RETAINED_ENDED) {
            ended.removeLast();
        }
        List<ExecutorRecord> stopped = state.removeApplication(appId);
        descriptions.remove(appId);
        registeredAt.remove(appId);
        for (WorkerInfo worker : state.workers()) {
            commands.applicationFinished(worker, appId);
        }
        store.remove(appId);
        LOG.info("Application {} ended ({}); stopping its {} executor(s)", appId, reason, stopped.size());
        return true;
    }

    /** When the application first registered; now for an application not known. */
    Instant registeredAt(String appId) {
        Instant registered = registeredAt.get(appId);
        return registered != null ? registered : clock.instant();
    }

    /** The applications that ended in this term, newest first, at most {@value #RETAINED_ENDED}. */
    List<EndedApplication> ended() {
        return List.copyOf(ended);
    }

    /** What the application's driver asked for, or null when the application is not known. */
    ApplicationDescription description(String appId) {
        return descriptions.get(appId);
    }

    /** The registered applications, for the master's API. */
    List<ApplicationInfo> infos() {
        List<ApplicationInfo> apps = new ArrayList<>();
        for (ApplicationRecord app : state.applications()) {
            apps.add(new ApplicationInfo(app.appId(), app.appName(), app.group(), app.coresPerExecutor(),
                    app.memoryPerExecutor()));
        }
        return apps;
    }

    private String newApplicationId() {
        return "app-" + APP_ID_TIME.format(clock.instant()) + "-" + String.format("%04d", appCounter);
    }

    private ApplicationRecord require(String appId) {
        return state.application(appId).orElseThrow(() -> new IllegalArgumentException("unknown application " + appId));
    }
}
