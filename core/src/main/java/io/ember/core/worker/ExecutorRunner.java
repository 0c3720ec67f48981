package io.ember.core.worker;

import static java.util.Objects.requireNonNull;

import io.ember.api.cluster.ExecutorInfo;
import io.ember.api.config.Durations;
import io.ember.core.worker.ExecutorReport.Status;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One executor of a worker, from launch to exit: starts its process, reports it {@code RUNNING},
 * and when the process ends reports {@code EXITED} (code 0), {@code FAILED} (any other code, or it
 * could not start) or {@code KILLED} (the worker stopped it), with the exit code; a failure comes with
 * the last lines the process wrote ({@link ExecutorOutput}).
 *
 * <p>A kill may come at any moment, also before the process has started: then it is not started
 * (and reported {@code KILLED}), or stopped as soon as it has.
 *
 * <p>Thread-safe. Process work (start, stop, reacting to the exit) runs on the given executor,
 * never on the caller's thread; the {@code reports} consumer is called once per change, in order,
 * and must not block.
 */
final class ExecutorRunner {

    /** How long a killed executor may take to exit before it is killed forcibly. */
    static final Duration STOP_GRACE = Duration.ofSeconds(5);
    /**
     * The same for the executor that writes the executors' class-data-sharing archive as it exits
     * ({@link ExecutorClassDataArchive}): writing its 40-odd MB takes seconds, up to half a minute
     * when several executors of a busy host write theirs at once, and killed meanwhile, it writes
     * nothing, so the next executor would try again (and every application's first executor would
     * be killed after its grace, with a warning).
     */
    static final Duration ARCHIVE_STOP_GRACE = Duration.ofSeconds(60);

    private static final Logger log = LoggerFactory.getLogger(ExecutorRunner.class);

    private enum Phase { LAUNCHING, RUNNING, FINISHED }

    private final ExecutorAssignment executor;
    private final String host;
    private final ExecutorCommand command;
    private final ExecutorLauncher launcher;
    private final Executor processThreads;
    private final Consumer<ExecutorReport> reports;
    private final Consumer<ExecutorRunner> onFinished;
    private final Duration stopGrace;
    private final Clock clock;
    private final Instant launchedAt;
    private final CompletableFuture<ExecutorReport> finished = new CompletableFuture<>();

    /** Guarded by this. */
    private Phase phase = Phase.LAUNCHING;
    /** Guarded by this; set once started. */
    private ExecutorProcess process;
    /** Guarded by this. */
    private boolean killRequested;
    /** Guarded by this; set once finished. */
    private ExecutorReport finalState;
    /** Guarded by this; set once finished. */
    private Instant endedAt;

    /**
     * @param executor the executor, {@link ExecutorCommands#placed placed}: its cores, memory and worker filled in
     * @param host the address the executor reports
     * @param reports receives each state change
     * @param onFinished called once the process is gone, before the final report
     * @param stopGrace how long it may take to exit when killed, before it is killed forcibly
     * @param clock when it was launched and ended, for the worker's web UI
     */
    ExecutorRunner(ExecutorAssignment executor, String host, ExecutorCommand command, ExecutorLauncher launcher,
            Executor processThreads, Consumer<ExecutorReport> reports, Consumer<ExecutorRunner> onFinished,
            Duration stopGrace, Clock clock) {
        this.executor = requireNonNull(executor, "executor is null");
        this.host = requireNonNull(host, "host is null");
        this.command = requireNonNull(command, "command is null");
        this.launcher = requireNonNull(launcher, "launcher is null");
        this.processThreads = requireNonNull(processThreads, "processThreads is null");
        this.reports = requireNonNull(reports, "reports is null");
        this.onFinished = requireNonNull(onFinished, "onFinished is null");
        this.stopGrace = requireNonNull(stopGrace, "stopGrace is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.launchedAt = clock.instant();
    }

    ExecutorAssignment executor() {
        return executor;
    }

    String appId() {
        return executor.appId();
    }

    String executorId() {
        return executor.executorId();
    }

    /** Starts the process in the background. Call once. */
    void start() {
        try {
            processThreads.execute(this::launch);
        } catch (RejectedExecutionException workerStopped) {
            finish(state(Status.KILLED, 0, "the worker stopped before it started", 0));
        }
    }

    /**
     * Stops the executor (in the background; its stop grace to exit, then forcibly), or keeps
     * it from starting. Idempotent.
     *
     * @return completes with the final state once the process is gone and the state reported
     */
    CompletableFuture<ExecutorReport> kill() {
        ExecutorProcess running;
        synchronized (this) {
            if (phase == Phase.FINISHED || killRequested) {
                return finished.copy();
            }
            killRequested = true;
            running = process;
        }
        if (running != null) {
            if (stopGrace.compareTo(STOP_GRACE) > 0) {
                log.info("Executor {} of application {} writes the executors' class-data-sharing archive as it exits; "
                        + "it may take up to {} to stop", executor.executorId(), executor.appId(),
                        Durations.format(stopGrace));
            }
            processThreads.execute(() -> running.stop(stopGrace));
        }
        return finished.copy();
    }

    /** Completes with the final state once the process is gone and the state reported. */
    CompletableFuture<ExecutorReport> finished() {
        return finished.copy();
    }

    /** Its state while it is launching or running (with its pid once running); empty once finished. */
    synchronized Optional<ExecutorReport> liveState() {
        return switch (phase) {
            case LAUNCHING -> Optional.of(state(Status.LAUNCHING, 0, "", 0));
            case RUNNING -> Optional.of(state(Status.RUNNING, 0, "", process.pid()));
            case FINISHED -> Optional.empty();
        };
    }

    /** What the worker tells about it; its RPC port is 0 (an executor serves nothing). */
    ExecutorInfo info() {
        return new ExecutorInfo(executor.executorId(), executor.appId(), executor.workerId(), host, 0,
                executor.cores());
    }

    /** The process, once started. */
    synchronized Optional<ExecutorProcess> process() {
        return Optional.ofNullable(process);
    }

    /** Where it stands now, for the worker's web UI. */
    synchronized Snapshot snapshot() {
        String state = switch (phase) {
            case LAUNCHING, RUNNING -> phase.name();
            case FINISHED -> finalState.status().name();
        };
        return new Snapshot(executor, state, process == null ? 0 : process.pid(), launchedAt,
                Optional.ofNullable(endedAt), finalState == null ? 0 : finalState.exitCode(),
                Optional.ofNullable(process).map(ExecutorProcess::stdout),
                Optional.ofNullable(process).map(ExecutorProcess::stderr));
    }

    /**
     * One executor at one moment.
     *
     * @param executor the executor as placed here
     * @param state {@code LAUNCHING}, {@code RUNNING}, or how it ended: {@code EXITED}, {@code FAILED},
     *     {@code KILLED}
     * @param pid its process id; 0 when it has not started
     * @param launchedAt when the worker was asked to launch it
     * @param endedAt when it ended; empty while it lives
     * @param exitCode its exit code once ended, else 0
     * @param stdout its standard output's file, once its process started
     * @param stderr its standard error's file, once its process started
     */
    record Snapshot(ExecutorAssignment executor, String state, long pid, Instant launchedAt, Optional<Instant> endedAt,
                    int exitCode, Optional<Path> stdout, Optional<Path> stderr) {
    }

    private void launch() {
        boolean killedEarly;
        synchronized (this) {
            killedEarly = killRequested;
        }
        if (killedEarly) {   // a kill from now on finds no process, and is handled below
            finish(state(Status.KILLED, 0, "killed before it started", 0));
            return;
        }
        ExecutorProcess started;
        try {
            started = launcher.launch(executor.appId(), executor.executorId(), command);
        } catch (Exception e) {
            log.warn("{}", e.getMessage());
            finish(state(Status.FAILED, 0, "could not start: " + e.getMessage(), 0));
            return;
        }
        boolean stopAtOnce;
        synchronized (this) {
            process = started;
            phase = Phase.RUNNING;
            stopAtOnce = killRequested;
        }
        reports.accept(state(Status.RUNNING, 0, "", started.pid()));
        // Attached after the RUNNING report, so the exit is always reported after it.
        started.onExit().whenCompleteAsync((code, error) -> exited(started, code), processThreads);
        if (stopAtOnce) {
            started.stop(stopGrace);
        }
    }

    private void exited(ExecutorProcess exitedProcess, Integer code) {
        boolean killed;
        synchronized (this) {
            killed = killRequested;
        }
        int exitCode = code == null ? -1 : code;
        ExecutorReport state;
        if (killed) {
            state = state(Status.KILLED, exitCode, "killed by the worker", exitedProcess.pid());
        } else if (exitCode == 0) {
            state = state(Status.EXITED, 0, "exited with code 0", exitedProcess.pid());
        } else {
            state = new ExecutorReport(executor, Status.FAILED, exitCode, "exited with code " + exitCode
                    + "; its output is in " + exitedProcess.workDir(), exitedProcess.pid(),
                    ExecutorOutput.read(exitedProcess.stdout(), exitedProcess.stderr()));
        }
        finish(state);
    }

    private void finish(ExecutorReport state) {
        synchronized (this) {
            phase = Phase.FINISHED;
            finalState = state;
            endedAt = clock.instant();
        }
        onFinished.accept(this);
        reports.accept(state);
        finished.complete(state);
    }

    private ExecutorReport state(Status status, int exitCode, String message, long pid) {
        return new ExecutorReport(executor, status, exitCode, message, pid);
    }

    @Override
    public synchronized String toString() {
        return "ExecutorRunner[executor " + executor.executorId() + " of " + executor.appId() + ", " + phase
                + (process != null ? ", pid " + process.pid() : "") + "]";
    }
}
