package io.ember.core.coordination;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One named daemon thread that runs tasks in submission order. A task that throws is logged and
 * does not stop the ones after it; tasks submitted after {@link #shutdown} are dropped (whoever
 * shut it down no longer wants them).
 */
final class SerialExecutor implements Executor {

    private static final Logger log = LoggerFactory.getLogger(SerialExecutor.class);

    private final String name;
    private final ScheduledThreadPoolExecutor executor;
    private volatile Thread thread;

    SerialExecutor(String name) {
        this.name = requireNonNull(name, "name is null");
        this.executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread t = new Thread(runnable, name);
            t.setDaemon(true);
            thread = t;
            return t;
        });
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    @Override
    public void execute(Runnable task) {
        schedule(task, 0);
    }

    /** Runs the task after a delay (0: as soon as the tasks before it are done). */
    void schedule(Runnable task, long delayMillis) {
        requireNonNull(task, "task is null");
        try {
            executor.schedule(() -> runLogged(task), delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            log.debug("{} is shut down; dropped a task", name);
        }
    }

    /** Whether the caller runs on this executor's thread. */
    boolean inThread() {
        return Thread.currentThread() == thread;
    }

    /** Lets queued tasks finish and waits up to {@code awaitMillis} for them (never for itself). */
    void shutdown(long awaitMillis) {
        executor.shutdown();
        await(awaitMillis);
    }

    /** Drops queued tasks, interrupts the running one and waits up to {@code awaitMillis}. */
    void shutdownNow(long awaitMillis) {
        executor.shutdownNow();
        await(awaitMillis);
    }

    private void await(long awaitMillis) {
        if (inThread()) {
            return;
        }
        try {
            executor.awaitTermination(awaitMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void runLogged(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException | Error e) {
            log.error("Unexpected failure on {}", name, e);
        }
    }
}
