package io.ember.core.cli;

import static java.util.Objects.requireNonNull;

import io.ember.api.config.Durations;
import io.ember.core.concurrent.Threads;
import io.ember.core.config.EmberKeys;
import io.ember.core.driver.EmberContext;
import io.ember.core.driver.RunningApplications;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/**
 * What {@code ember submit} does when the JVM is told to stop while the application's main method
 * runs: {@link #run()}, on the JVM's shutdown hook ({@link StopTrigger}). In order, within
 * {@code ember.driver.stopTimeout}:
 * <ol>
 *   <li>one line on standard error says why and what stops;
 *   <li>no application may start any more in this JVM;
 *   <li>the running applications are closed, the newest first, each as {@link EmberContext#close()}
 *       does: the master unregisters it (so it relaunches nothing) and stops its executors, the
 *       executors are told to shut down, and a local cluster the application started stops and
 *       deletes its directory (ZooKeeper's data, the workers' work and shuffle files);
 *   <li>after a signal (SIGINT, SIGTERM), the main method is given the rest of the time to return,
 *       so that the application's own clean-up runs (its {@code finally} blocks: the examples
 *       delete the sample input they generated). After a {@code System.exit} it is not waited for:
 *       the thread that called it waits for this hook.
 * </ol>
 * Past the deadline a second line says so and the JVM exits anyway. When the main method has
 * returned first, the JVM's exit is an ordinary one and this does nothing.
 *
 * <p>Threads: {@link #run()} on the shutdown hook, {@link #mainReturned()} on the application's
 * main thread, {@link #signalled} and {@link #forced} on the JVM's signal threads.
 */
final class ApplicationStop implements Runnable {

    private static final String PREFIX = "ember submit: ";

    private enum State { RUNNING, STOPPING, RETURNED }

    private final RunningApplications applications;
    private final PrintWriter err;
    private final Duration timeout;
    private final String mainClass;
    private final AtomicReference<State> state = new AtomicReference<>(State.RUNNING);
    private final CountDownLatch returned = new CountDownLatch(1);
    /** The signal that stops the JVM, as {@code SIGINT}; null when it exits for another reason. */
    private volatile String signal;

    /**
     * @param applications the applications of this JVM, which the main method starts
     * @param timeout {@code ember.driver.stopTimeout}
     * @param mainClass the application's main class, for the line when no application runs yet
     */
    ApplicationStop(RunningApplications applications, PrintWriter err, Duration timeout, String mainClass) {
        this.applications = requireNonNull(applications, "applications is null");
        this.err = requireNonNull(err, "err is null");
        this.timeout = requireNonNull(timeout, "timeout is null");
        this.mainClass = requireNonNull(mainClass, "mainClass is null");
    }

    /** The JVM is about to exit because of this signal ({@code SIGINT}, {@code SIGTERM}); the first one counts. */
    void signalled(String name) {
        if (signal == null) {
            signal = requireNonNull(name, "name is null");
        }
    }

    /**
     * The main method returned, or threw.
     *
     * @return whether the JVM is stopping meanwhile: the caller then reports nothing (the stop has
     *     said what happened, and the exit code is the signal's)
     */
    boolean mainReturned() {
        boolean stopping = !state.compareAndSet(State.RUNNING, State.RETURNED);
        returned.countDown();
        return stopping;
    }

    /** Whether {@link #run()} has begun stopping the application. */
    boolean stopping() {
        return state.get() == State.STOPPING;
    }

    /** A second signal cuts the stop short: says so in one line; the caller halts the JVM. */
    void forced(String name, int exitCode) {
        err.println(PREFIX + "second " + name + ": exiting now (code " + exitCode + ") without finishing the clean-up; "
                + "the executors end with this process, and the next local cluster started removes this one's directory");
        err.flush();
    }

    /** Stops the running applications; see the class comment. Returns at once when the main method has returned. */
    @Override
    public void run() {
        if (!state.compareAndSet(State.RUNNING, State.STOPPING)) {
            return;
        }
        String why = signal;
        String cause = why == null ? "the JVM is exiting"
                : (why.equals("SIGINT") ? "interrupted" : "terminated") + " (" + why + ")";
        List<EmberContext> running = applications.refuseNew("ember submit was " + cause);
        if (why == null && running.isEmpty()) {
            return;   // System.exit with nothing running: an ordinary exit
        }
        err.println(PREFIX + headline(cause, running));
        err.flush();
        long deadline = System.nanoTime() + timeout.toNanos();
        Thread closer = Threads.startDaemon("ember-submit-stop", () -> {
            try {
                applications.stop();
            } catch (RuntimeException e) {
                err.println(PREFIX + "stopping the application failed: " + e);
                err.flush();
            }
        });
        boolean done = join(closer, deadline) && (why == null || awaitReturn(deadline));
        if (!done) {
            err.println(PREFIX + "the application did not end within " + Durations.format(timeout) + " ("
                    + EmberKeys.DRIVER_STOP_TIMEOUT.name() + "); exiting anyway");
            err.flush();
        }
    }

    /** The one line: why the JVM stops, and what that ends. */
    private String headline(String cause, List<EmberContext> running) {
        if (running.isEmpty()) {
            return cause + ": stopping " + mainClass + ", which runs no application yet (temporary files removed)";
        }
        boolean onCluster = running.stream().anyMatch(context -> !context.cluster().isEmpty());
        return cause + ": stopping application" + (running.size() == 1 ? " " : "s ")
                + running.stream().map(EmberContext::applicationId).collect(Collectors.joining(", "))
                + (onCluster ? " (the master is told, executors stopped, temporary files removed)"
                        : " (tasks stopped, temporary files removed)");
    }

    private boolean awaitReturn(long deadline) {
        try {
            return returned.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static boolean join(Thread thread, long deadline) {
        try {
            long left = deadline - System.nanoTime();
            if (left > 0) {
                TimeUnit.NANOSECONDS.timedJoin(thread, left);
            }
            return !thread.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
