package io.ember.core.master;

import static java.util.Objects.requireNonNull;

import io.ember.api.cluster.WorkerInfo;
import io.ember.core.concurrent.EventLoop;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A term's placing and launching of executors: offers the workers' free cores to the applications that
 * lack executors (in the scheduler plugin's order, through {@link MasterState#schedule}), asks the
 * chosen workers to launch them, and replaces executors that end, with {@link RelaunchBackoff} for
 * applications whose executors keep failing and a retry a second later when a launch is not taken.
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

    private final MasterState state;
    private final WorkerCommands commands;
    private final Function<String, ApplicationDescription> descriptions;
    private final EventLoop loop;
    private final BooleanSupplier paused;
    private final RelaunchBackoff backoff;

    /**
     * @param descriptions what each application's driver asked for, by application id
     * @param paused whether nothing may be placed now (the term recovers, or has ended)
     */
    ExecutorLaunches(MasterState state, WorkerCommands commands, Function<String, ApplicationDescription> descriptions,
                     EventLoop loop, Clock clock, BooleanSupplier paused) {
        this.state = requireNonNull(state, "state is null");
        this.commands = requireNonNull(commands, "commands is null");
        this.descriptions = requireNonNull(descriptions, "descriptions is null");
        this.loop = requireNonNull(loop, "loop is null");
        this.paused = requireNonNull(paused, "paused is null");
        this.backoff = new RelaunchBackoff(requireNonNull(clock, "clock is null"));
    }

    /** Places and launches every executor the free resources allow, unless placement is paused. */
    void scheduleExecutors() {
        if (paused.getAsBoolean()) {
            return;
        }
        for (ExecutorRecord executor : state.schedule(backoff::mayLaunch)) {
            ApplicationDescription app = descriptions.apply(executor.appId());
            WorkerInfo worker = state.worker(executor.workerId()).orElseThrow();
            LOG.info("Launching executor {} of {} on worker {} ({} core(s), {} MB)", executor.executorId(),
                    executor.appId(), worker.workerId(), executor.cores(), executor.memoryBytes() >> 20);
            commands.launch(worker, executor, app, () -> launchFailed(executor));
        }
    }

    /**
     * A worker reported an executor's state: one that ended is forgotten and replaced, at once after
     * an exit or a first failure, after the back-off when its application's executors keep failing.
     */
    void executorStateChanged(String workerId, ExecutorReport report) {
        ExecutorRecord spec = report.executor();
        if (report.status().isAlive()) {
            return;
        }
        state.removeExecutor(spec.appId(), spec.executorId()).ifPresent(gone -> {
            if (report.status() == ExecutorReport.Status.FAILED) {
                LOG.warn("Executor {} of {} on worker {} failed with exit code {}{}", spec.executorId(),
                        spec.appId(), workerId, report.exitCode(),
                        report.message().isEmpty() ? "" : ": " + report.message());
                Duration delay = backoff.failed(spec.appId());
                if (backoff.failuresInARow(spec.appId()) == RelaunchBackoff.ALARM_AFTER) {
                    LOG.error("The executors of {} have failed {} times in a row without one starting; still retrying "
                            + "every {} s at most. Their stdout and stderr are in the workers' work directories.",
                            spec.appId(), RelaunchBackoff.ALARM_AFTER, RelaunchBackoff.MAX_DELAY.toSeconds());
                }
                if (!delay.isZero()) {
                    LOG.info("Relaunching executors of {} in {} ms ({} failures in a row)", spec.appId(),
                            delay.toMillis(), backoff.failuresInARow(spec.appId()));
                    loop.schedule(this::scheduleExecutors, delay);
                }
            } else {
                LOG.info("Executor {} of {} on worker {} {} (exit code {})", spec.executorId(), spec.appId(),
                        workerId, report.status().name().toLowerCase(Locale.ROOT), report.exitCode());
            }
            scheduleExecutors();
        });
    }

    /** An executor registered itself (its process really runs): its application can start executors. */
    void executorRegistered(String appId) {
        backoff.succeeded(appId);
    }

    /** The executor's registry node vanished: its process is gone even if its worker did not say so. */
    void executorUnregistered(String appId, String executorId) {
        state.removeExecutor(appId, executorId).ifPresent(gone -> {
            LOG.info("Executor {} of {} left the registry", executorId, appId);
            scheduleExecutors();
        });
    }

    /** Forgets the failures of an application that ended. */
    void forget(String appId) {
        backoff.forget(appId);
    }

    /**
     * The worker did not take the launch (it died, or is stopping): the executor is placed elsewhere
     * at once, and nothing more goes to that worker for a while.
     */
    private void launchFailed(ExecutorRecord executor) {
        state.removeExecutor(executor.appId(), executor.executorId());
        state.suspend(executor.workerId());
        loop.schedule(() -> {
            state.reinstate(executor.workerId());
            scheduleExecutors();
        }, LAUNCH_RETRY_DELAY);
        scheduleExecutors();
    }
}
