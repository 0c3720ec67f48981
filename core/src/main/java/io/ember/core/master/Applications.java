package io.ember.core.master;

import static java.util.Objects.requireNonNull;

import io.ember.api.cluster.ApplicationInfo;
import io.ember.api.cluster.WorkerInfo;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A term's application lifecycle: registering (and re-registering) applications with their ids and
 * registration order, changing their executor requests, killing executors at their request and ending
 * them; each change is stored ({@link ApplicationStore}) and workers are told what concerns them.
 * Offering the freed or wanted cores is the caller's next step ({@link ExecutorLaunches}).
 *
 * <p>Confined to the master's event loop.
 */
final class Applications {

    /** Logs as the term did before its parts were split out: operators and ExecutorStartTimeline know that name. */
    private static final Logger LOG = LoggerFactory.getLogger(Leadership.class);
    private static final DateTimeFormatter APP_ID_TIME =
            DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC);

    private final MasterState state;
    private final ApplicationStore store;
    private final WorkerCommands commands;
    private final Clock clock;
    private final Map<String, ApplicationDescription> descriptions = new HashMap<>();
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
        appCounter = Math.max(appCounter, stored.registrationOrder() + 1);
        state.registerApplication(stored.appId(), app.name(), app.queue(), app.coresPerExecutor(),
                app.memoryPerExecutorBytes(), stored.requestedExecutors());
    }

    /** Registers an application (a fresh id when it has none) or re-registers one; returns its id. */
    String register(ApplicationDescription requested, int requestedExecutors) {
        String appId = requested.appId().isEmpty() ? newApplicationId() : requested.appId();
        ApplicationDescription app = requested.withAppId(appId);
        boolean known = state.application(appId).isPresent();
        long order = known ? state.application(appId).orElseThrow().priority() : appCounter++;
        if (!known) {
            store.putNextApplicationNumber(appCounter);
        }
        store.put(app, requestedExecutors, order);
        descriptions.put(appId, app);
        state.registerApplication(appId, app.name(), app.queue(), app.coresPerExecutor(),
                app.memoryPerExecutorBytes(), requestedExecutors);
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
        store.put(descriptions.get(appId), total, app.priority());
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
        store.put(descriptions.get(appId), app.requestedExecutors(), app.priority());
        for (ExecutorRecord executor : killed) {
            state.worker(executor.workerId())
                    .ifPresent(worker -> commands.kill(worker, appId, executor.executorId()));
        }
    }

    /**
     * Ends an application: forgets it, tells every worker (they stop its executors) and removes its
     * record.
     *
     * @return false when the application was not known
     */
    boolean end(String appId, String reason) {
        if (state.application(appId).isEmpty()) {
            return false;
        }
        List<ExecutorRecord> stopped = state.removeApplication(appId);
        descriptions.remove(appId);
        for (WorkerInfo worker : state.workers()) {
            commands.applicationFinished(worker, appId);
        }
        store.remove(appId);
        LOG.info("Application {} ended ({}); stopping its {} executor(s)", appId, reason, stopped.size());
        return true;
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
