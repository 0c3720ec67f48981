package io.ember.core.executor;

import static java.util.Objects.requireNonNull;

import io.ember.core.concurrent.Threads;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * Makes an executor JVM exit when the worker that started it dies, even by {@code kill -9} (when
 * the worker has no chance to stop its executors), so that no executor outlives its worker and
 * holds cores and memory no one accounts for.
 *
 * <p>Called once, early, by the executor's main method. The executor's parent process is watched
 * in two ways, whichever notices first: {@link ProcessHandle#onExit()} of the parent, and a
 * daemon thread that checks twice a second that the parent is alive and still this process's
 * parent (on Unix a process whose parent dies is handed to {@code init} or a sub-reaper at once,
 * so a changed parent pid is certain). The second way bounds the delay: the JDK polls a process
 * that is not its child with a back-off that grows to five seconds.
 *
 * <p>When the parent is gone, {@code onParentDeath} runs (to log, say; exceptions it throws are
 * ignored) and the JVM exits with {@link #EXIT_CODE} through {@link System#exit(int)}, so its
 * shutdown hooks run. Should they not finish within {@link #HALT_AFTER}, the JVM is halted.
 *
 * <p>The parent is whoever is the parent when this is called: should the worker die between
 * starting the executor and this call, the executor watches {@code init} (or a sub-reaper)
 * instead and does not exit. Call it first thing in {@code main} to keep that window short.
 */
public final class ParentWatch {

    /** The executor's exit code when its parent died (no one waits for it: the parent is gone). */
    public static final int EXIT_CODE = 1;

    /** How often the watch thread checks the parent. */
    static final Duration POLL_INTERVAL = Duration.ofMillis(500);

    /** How long shutdown hooks may run after the parent died before the JVM is halted. */
    static final Duration HALT_AFTER = Duration.ofSeconds(10);

    private static final AtomicBoolean WATCHING = new AtomicBoolean();

    private ParentWatch() {
    }

    /**
     * Starts watching this process's parent; see the class comment.
     *
     * @param onParentDeath runs once when the parent is gone, before the JVM exits, on a daemon
     *     thread; keep it short
     * @return {@code true} when the parent is now watched; {@code false} when this process has no
     *     parent to watch (it is process 1 of a container, say)
     * @throws IllegalStateException when called a second time in this JVM
     */
    public static boolean exitWhenParentDies(Runnable onParentDeath) {
        requireNonNull(onParentDeath, "onParentDeath is null");
        Optional<ProcessHandle> parent = ProcessHandle.current().parent();
        if (parent.isEmpty()) {
            return false;
        }
        if (!WATCHING.compareAndSet(false, true)) {
            throw new IllegalStateException("ParentWatch.exitWhenParentDies was already called in this JVM");
        }
        ProcessHandle watched = parent.get();
        AtomicBoolean fired = new AtomicBoolean();
        Runnable exit = () -> {
            if (fired.compareAndSet(false, true)) {
                exit(onParentDeath);
            }
        };
        watched.onExit().thenRun(exit);
        Threads.startDaemon("ember-parent-watch", () -> {
            while (!fired.get()) {
                if (!isStillParent(watched)) {
                    exit.run();
                    return;
                }
                LockSupport.parkNanos(POLL_INTERVAL.toNanos());
            }
        });
        return true;
    }

    private static boolean isStillParent(ProcessHandle watched) {
        return watched.isAlive()
                && ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L) == watched.pid();
    }

    private static void exit(Runnable onParentDeath) {
        try {
            onParentDeath.run();
        } catch (Throwable ignored) {
            // Exiting matters more than whatever the callback wanted to do.
        }
        Threads.startDaemon("ember-parent-watch-halt", () -> {
            long deadline = System.nanoTime() + HALT_AFTER.toNanos();
            for (long left = HALT_AFTER.toNanos(); left > 0; left = deadline - System.nanoTime()) {
                LockSupport.parkNanos(left);
            }
            Runtime.getRuntime().halt(EXIT_CODE);
        });
        System.exit(EXIT_CODE);
    }
}
