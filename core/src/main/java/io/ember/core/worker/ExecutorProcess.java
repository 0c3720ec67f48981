package io.ember.core.worker;

import static java.util.Objects.requireNonNull;

import io.ember.api.config.Durations;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running (or finished) executor JVM started by {@link ExecutorLauncher}.
 *
 * <p>Thread-safe. {@link #stop(Duration)} may be called from any thread, any number of times.
 */
public final class ExecutorProcess {

    private static final Logger LOG = LoggerFactory.getLogger(ExecutorProcess.class);

    /** File name of the executor's standard output in its work directory. */
    public static final String STDOUT = "stdout";
    /** File name of the executor's standard error in its work directory. */
    public static final String STDERR = "stderr";

    private final String appId;
    private final String executorId;
    private final Process process;
    private final Path workDir;
    private final CompletableFuture<Integer> exit;
    private volatile boolean stopRequested;

    ExecutorProcess(String appId, String executorId, Process process, Path workDir) {
        this.appId = requireNonNull(appId, "appId is null");
        this.executorId = requireNonNull(executorId, "executorId is null");
        this.process = requireNonNull(process, "process is null");
        this.workDir = requireNonNull(workDir, "workDir is null");
        this.exit = process.onExit().thenApply(Process::exitValue);
    }

    /** The application the executor belongs to. */
    public String appId() {
        return appId;
    }

    /** The executor's id within its application. */
    public String executorId() {
        return executorId;
    }

    /** The operating system's process id. */
    public long pid() {
        return process.pid();
    }

    /** Whether the process is still running. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Completes with the exit code when the process ends: 0 or the code it chose; on Unix 128 +
     * the signal number when a signal ended it (143 after SIGTERM, 137 after SIGKILL).
     *
     * <p>Each call returns a new future, so completing or cancelling it affects only its caller.
     * Dependent actions that are not {@code *Async} run on the JDK's process-reaper thread: keep
     * them short.
     */
    public CompletableFuture<Integer> onExit() {
        return exit.copy();
    }

    /** Whether {@link #stop(Duration)} found the executor running and asked it to exit. */
    public boolean stopRequested() {
        return stopRequested;
    }

    /** The executor's work directory, also its working directory. */
    public Path workDir() {
        return workDir;
    }

    /** The file the executor's standard output is appended to. */
    public Path stdout() {
        return workDir.resolve(STDOUT);
    }

    /** The file the executor's standard error is appended to. */
    public Path stderr() {
        return workDir.resolve(STDERR);
    }

    /**
     * Stops the executor and the processes it started, and returns its exit code.
     *
     * <p>Like systemd's stop: asks the executor and its descendants to exit (SIGTERM on Unix,
     * {@link Process#destroy()}), which runs the executor JVM's shutdown hooks; waits up to
     * {@code grace} for the executor to exit; then kills it (SIGKILL,
     * {@link Process#destroyForcibly()}) if it has not, and kills whatever descendants are left.
     * Descendants are found before the executor exits: once it has, its children belong to
     * {@code init} and can no longer be told apart.
     *
     * <p>Idempotent: a stopped or exited executor returns its exit code at once. If the calling
     * thread is interrupted while waiting, the executor is killed without waiting for the rest of
     * the grace period, and the thread's interrupt status is set again on return.
     *
     * @param grace how long the executor may take to exit on its own; zero kills it at once
     * @return the exit code, as {@link #onExit()} reports it
     */
    public int stop(Duration grace) {
        requireNonNull(grace, "grace is null");
        if (grace.isNegative()) {
            throw new IllegalArgumentException("grace must not be negative: " + grace);
        }
        if (!process.isAlive()) {
            return exitCode();
        }
        stopRequested = true;
        boolean interrupted = false;
        List<ProcessHandle> descendants = new ArrayList<>(process.descendants().toList());
        if (!grace.isZero()) {
            // Without a grace period, a SIGTERM would only race the SIGKILL that follows at once.
            process.destroy();
            descendants.forEach(ProcessHandle::destroy);
        }
        try {
            if (!grace.isZero() && !process.waitFor(grace.toNanos(), TimeUnit.NANOSECONDS)) {
                LOG.warn("Executor {} of application {} (pid {}) did not exit within {} of being asked to stop; "
                        + "killing it", executorId, appId, process.pid(), Durations.format(grace));
            }
        } catch (InterruptedException e) {
            interrupted = true;
        }
        if (process.isAlive()) {
            // It may have started more processes during the grace period.
            descendants.addAll(process.descendants().toList());
            process.destroyForcibly();
        }
        descendants.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        while (true) {
            try {
                process.waitFor();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return exitCode();
    }

    private int exitCode() {
        // The reaper may complete the future a moment after waitFor() returns; exitValue() is already set.
        return process.exitValue();
    }

    @Override
    public String toString() {
        return "ExecutorProcess[app=" + appId + ", executor=" + executorId + ", pid=" + process.pid()
                + (process.isAlive() ? ", running" : ", exited " + process.exitValue()) + "]";
    }
}
