package io.ember.distribution.multihost;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A process a {@link MultiHostNetwork} started on one of its hosts ({@code ip netns exec}, which
 * becomes the command itself: {@link #pid()} is the command's PID), with its standard output and
 * error in files of the host's directory that a test reads and prints when it fails. The network
 * ends it when it closes; a test may end it earlier. Safe from any thread.
 */
public final class HostProcess {

    private static final int TAIL_LINES = 60;

    private final String name;
    private final Host host;
    private final Process process;
    private final Path stdout;
    private final Path stderr;

    HostProcess(String name, Host host, Process process, Path stdout, Path stderr) {
        this.name = requireNonNull(name, "name is null");
        this.host = requireNonNull(host, "host is null");
        this.process = requireNonNull(process, "process is null");
        this.stdout = requireNonNull(stdout, "stdout is null");
        this.stderr = requireNonNull(stderr, "stderr is null");
    }

    public String name() {
        return name;
    }

    public Host host() {
        return host;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Path stdoutFile() {
        return stdout;
    }

    public Path stderrFile() {
        return stderr;
    }

    /** What it printed on standard output so far. */
    public String stdout() {
        return read(stdout);
    }

    /** What it printed on standard error so far. */
    public String stderr() {
        return read(stderr);
    }

    /** Waits for it to exit; its exit code, or an AssertionError (naming it, with its output) at the deadline. */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError(name + " on " + host.name() + " did not exit in " + timeout.toSeconds() + " s\n" + describe());
        }
        return process.exitValue();
    }

    /** Waits until its standard output or error contains {@code text}; fails at the deadline or if it exits first. */
    public void awaitOutput(String text, Duration timeout) {
        Await.until(timeout, () -> {
            if (stdout().contains(text) || stderr().contains(text)) {
                return true;
            }
            if (!process.isAlive()) {
                throw new AssertionError(name + " on " + host.name() + " exited (" + process.exitValue()
                        + ") before printing '" + text + "'\n" + describe());
            }
            return false;
        }, () -> name + " on " + host.name() + " printed no '" + text + "'\n" + describe());
    }

    /** SIGKILL, and waits until it is gone. Its children (an executor a worker launched) are the network's to end. */
    public void kill() {
        process.destroyForcibly();
        process.onExit().join();
    }

    /**
     * SIGSTOP: it stops where it is, its sockets open and its peers none the wiser, as in a long
     * garbage-collection pause or a frozen virtual machine, until {@link #resume()}.
     */
    public void pause() {
        Commands.run("kill", "-STOP", Long.toString(pid()));
    }

    /** SIGCONT: a {@link #pause() paused} process goes on from where it stopped. */
    public void resume() {
        Commands.run("kill", "-CONT", Long.toString(pid()));
    }

    /** Waits until the JVM has reaped it (a killed child lingers as a zombie until then). */
    void awaitGone(Duration timeout) {
        try {
            process.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(this + " is still running " + timeout.toSeconds() + " s after SIGKILL", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + this + " to end", e);
        }
    }

    /** SIGTERM, then SIGKILL if it is still there after {@code grace}. */
    public void terminate(Duration grace) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
            kill();
        }
    }

    /** Its name, host, state and the last lines of its output: for a failure message. */
    public String describe() {
        return "--- " + name + " on " + host + (process.isAlive() ? ", running" : ", exited " + process.exitValue())
                + "\n--- stdout (" + stdout + ")\n" + tail(stdout()) + "--- stderr (" + stderr + ")\n" + tail(stderr());
    }

    @Override
    public String toString() {
        return name + " (pid " + pid() + ") on " + host.name();
    }

    private static String tail(String text) {
        List<String> lines = text.lines().toList();
        List<String> last = lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size());
        return (lines.size() > last.size() ? "[" + (lines.size() - last.size()) + " lines before]\n" : "")
                + String.join("\n", last) + (last.isEmpty() ? "" : "\n");
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
