package io.ember.core.master;

import static java.util.Objects.requireNonNull;

import io.ember.api.cluster.WorkerInfo;
import io.ember.core.concurrent.EventLoop;
import io.ember.core.config.EmberKeys;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A term's placing and launching of executors: offers the workers' free cores to the applications that
 * lack executors (in the scheduler plugin's order, through {@link MasterState#scheduleNext}), asks the
 * chosen workers to launch them, and replaces executors that end, under {@link ExecutorFailures}:
 * replacements of failing executors back off, and an application whose executors keep failing is given
 * up. Its driver hears of each failed executor, of why the application waits for executors, and of the
 * application being given up, through the {@link ApplicationWatchers}. A launch a worker does not take
 * is retried elsewhere at once, on that worker a second later. Nothing is launched for an application
 * whose driver does not answer ({@link ApplicationWatchers#driverAway}).
 *
 * <p>Confined to the master's event loop.
 */
final class ExecutorLaunches {

    /** Logs as the term did before its parts were split out: operators and ExecutorStartTimeline know that name. */
    private static final Logger LOG = LoggerFactory.getLogger(Leadership.class);
    /**
     * How long a worker that did not take a launch gets nothing placed on it (unless it registers
     * again first): its executor goes to another worker at once, and only after this may the
     * worker itself be tried again. A dead worker is gone from ZooKeeper within its session timeout.
     */
    static final Duration LAUNCH_RETRY_DELAY = Duration.ofSeconds(1);
    /**
     * The most executors placed in one turn of the loop: a huge request on a huge worker is placed in
     * turns, the loop serving everything else in between.
     */
    static final int PLACEMENTS_PER_TURN = 256;
    private static final int DEFAULT_MAX_LAUNCH_FAILURES =
            EmberKeys.EXECUTOR_MAX_LAUNCH_FAILURES.defaultValue().orElseThrow();
    private static final int DEFAULT_MAX_FAILURES = EmberKeys.EXECUTOR_MAX_FAILURES.defaultValue().orElseThrow();

    private final MasterState state;
    private final WorkerCommands commands;
    private final Function<String, ApplicationDescription> descriptions;
    private final EventLoop loop;
    private final BooleanSupplier paused;
    private final ExecutorFailures failures;
    private final ApplicationWatchers watchers;
    private final MasterCounters counters;

    /**
     * @param descriptions what each application's driver asked for, by application id
     * @param paused whether nothing may be placed now (the term recovers, or has ended)
     * @param watchers the drivers following their applications, told of failures and shortages
     * @param counters counts the launches and failures
     */
    ExecutorLaunches(MasterState state, WorkerCommands commands, Function<String, ApplicationDescription> descriptions,
                     EventLoop loop, Clock clock, BooleanSupplier paused, ApplicationWatchers watchers,
                     MasterCounters counters) {
        this.state = requireNonNull(state, "state is null");
        this.commands = requireNonNull(commands, "commands is null");
        this.descriptions = requireNonNull(descriptions, "descriptions is null");
        this.loop = requireNonNull(loop, "loop is null");
        this.paused = requireNonNull(paused, "paused is null");
        this.failures = new ExecutorFailures(requireNonNull(clock, "clock is null"));
        this.watchers = requireNonNull(watchers, "watchers is null");
        this.counters = requireNonNull(counters, "counters is null");
    }

    /**
     * Places and launches every executor the free resources allow, unless placement is paused; then
     * tells each application's driver why it still lacks executors, when the workers are the reason.
     */
    void scheduleExecutors() {
        if (paused.getAsBoolean()) {
            return;
        }
        int placed = 0;
        for (Optional<ExecutorRecord> next = state.scheduleNext(this::mayLaunch); next.isPresent();
                next = state.scheduleNext(this::mayLaunch)) {
            ExecutorRecord executor = next.get();
            ApplicationDescription app = descriptions.apply(executor.appId());
            WorkerInfo worker = state.worker(executor.workerId()).orElseThrow();
            LOG.info("Launching executor {} of {} on worker {} ({} core(s), {} MB)", executor.executorId(),
                    executor.appId(), worker.workerId(), executor.cores(), executor.memoryBytes() >> 20);
            failures.launched(executor.appId(), executor.executorId());
            counters.executorLaunched();
            state.launchSent(worker.workerId());
            commands.launch(worker, executor, app, () -> launchTaken(executor), () -> launchFailed(executor));
            if (++placed == PLACEMENTS_PER_TURN) {
                // Give the loop back (registrations, reports, queries wait on it); go on in the next turn.
                loop.execute(this::scheduleExecutors);
                return;
            }
        }
        for (ApplicationRecord app : state.applications()) {
            failures.retain(app.appId(), app.executors().keySet());
            if (!failures.givenUp(app.appId())) {
                watchers.waiting(app.appId(), state.shortage(app.appId()));
            }
        }
    }

    /**
     * A worker reported an executor's state: one that ended is forgotten and replaced, at once after
     * an exit or a first failure, after the back-off when its application's executors keep failing;
     * an application whose executors failed too often is given up.
     */
    void executorStateChanged(String workerId, ExecutorReport report) {
        ExecutorRecord spec = report.executor();
        if (report.status().isAlive()) {
            return;
        }
        state.removeExecutor(spec.appId(), spec.executorId()).ifPresent(gone -> {
            if (watchers.driverAway(spec.appId())) {
                // It could not reach its driver: not its failure, and no replacement could either.
                failures.ended(spec.appId(), spec.executorId());
                LOG.info("Executor {} of {} on worker {} ended (exit code {}) while its driver does not answer; "
                        + "it is not replaced until the driver is back", spec.executorId(), spec.appId(), workerId,
                        report.exitCode());
            } else if (report.status() == ExecutorReport.Status.FAILED) {
                executorFailed(workerId, report);
            } else {
                failures.ended(spec.appId(), spec.executorId());
                LOG.info("Executor {} of {} on worker {} {} (exit code {})", spec.executorId(), spec.appId(),
                        workerId, report.status().name().toLowerCase(Locale.ROOT), report.exitCode());
            }
            scheduleExecutors();
        });
    }

    /**
     * An executor registered itself (its process really runs): its application can start executors, and
     * launches held back during a row of launch failures go out.
     */
    void executorRegistered(String appId, String executorId) {
        if (state.application(appId).isPresent() && failures.registered(appId, executorId)) {
            scheduleExecutors();
        }
    }

    /** The executor's registry node vanished: its process is gone even if its worker did not say so. */
    void executorUnregistered(String appId, String executorId) {
        state.removeExecutor(appId, executorId).ifPresent(gone -> {
            failures.ended(appId, executorId);
            LOG.info("Executor {} of {} left the registry", executorId, appId);
            scheduleExecutors();
        });
    }

    /** Whether the application was given up: its executors failed too often, none is launched for it any more. */
    boolean givenUp(String appId) {
        return failures.givenUp(appId);
    }

    /** Forgets the failures of an application that ended. */
    void forget(String appId) {
        failures.forget(appId);
    }

    private boolean mayLaunch(String appId) {
        if (watchers.driverAway(appId)) {
            return false;
        }
        Set<String> current = state.application(appId).map(app -> app.executors().keySet()).orElse(Set.of());
        return failures.mayLaunch(appId, limits(appId), current);
    }

    private void executorFailed(String workerId, ExecutorReport report) {
        ExecutorRecord spec = report.executor();
        String appId = spec.appId();
        ExecutorFailures.Limits limits = limits(appId);
        ExecutorFailures.Verdict verdict = failures.failed(appId, spec.executorId(), limits);
        counters.executorFailed();
        LOG.warn("Executor {} of {} on worker {} failed with exit code {}{}{}{}", spec.executorId(), appId, workerId,
                report.exitCode(), verdict.beforeRegistering() ? " before it registered" : "",
                report.message().isEmpty() ? "" : ": " + report.message(), report.output().quoted());
        watchers.executorFailed(appId, new ApplicationNotice.ExecutorFailed(spec.executorId(), workerId,
                report.exitCode(), verdict.beforeRegistering(), report.output()));
        // Without output to quote, the worker's own words: where the output is, or why the process did not start.
        String last = "the last, executor " + spec.executorId() + " on worker " + workerId + ", "
                + (report.output().lines().isEmpty() && !report.message().isEmpty() ? report.message()
                        : "exited with code " + report.exitCode() + report.output().quoted());
        switch (verdict.limit()) {
            case LAUNCH_FAILURES -> giveUp(appId, "its executors exit before they register: "
                    + verdict.launchFailuresInARow() + " in a row (ember.executor.maxLaunchFailures="
                    + limits.maxLaunchFailures() + "); " + last);
            case FAILURES -> giveUp(appId, verdict.failuresInARow() + " of its executors failed in a row "
                    + "(ember.executor.maxFailures=" + limits.maxFailures() + "); " + last);
            case NONE -> {
                if (!verdict.delay().isZero()) {
                    LOG.info("Relaunching executors of {} in {} ms ({} failures in a row)", appId,
                            verdict.delay().toMillis(), verdict.failuresInARow());
                    loop.schedule(() -> {
                        failures.backOffEnded(appId, verdict.failuresInARow());
                        scheduleExecutors();
                    }, verdict.delay());
                }
            }
        }
    }

    private void giveUp(String appId, String reason) {
        LOG.error("Application {} failed: {}. No more executors are launched for it; it ends when its driver "
                + "ends it.", appId, reason);
        watchers.failed(appId, reason);
    }

    private ExecutorFailures.Limits limits(String appId) {
        ApplicationDescription app = descriptions.apply(appId);
        int maxLaunchFailures = app == null || app.maxLaunchFailures() == 0 ? DEFAULT_MAX_LAUNCH_FAILURES
                : app.maxLaunchFailures();
        int maxFailures = app == null || app.maxExecutorFailures() == 0 ? DEFAULT_MAX_FAILURES
                : app.maxExecutorFailures();
        return new ExecutorFailures.Limits(maxLaunchFailures, maxFailures);
    }

    /**
     * The worker did not take the launch (it died, or is stopping): the executor is placed elsewhere
     * at once, and nothing more goes to that worker for a while.
     */
    private void launchTaken(ExecutorRecord executor) {
        if (state.launchAnswered(executor.workerId())) {
            scheduleExecutors();   // the worker has room for another launch
        }
    }

    private void launchFailed(ExecutorRecord executor) {
        state.launchAnswered(executor.workerId());
        state.removeExecutor(executor.appId(), executor.executorId());
        failures.ended(executor.appId(), executor.executorId());
        state.suspend(executor.workerId());
        loop.schedule(() -> {
            state.reinstate(executor.workerId());
            scheduleExecutors();
        }, LAUNCH_RETRY_DELAY);
        scheduleExecutors();
    }
}
