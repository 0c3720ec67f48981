package io.ember.core.concurrent;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Delayed;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One named daemon thread that owns some state and runs tasks on it in submission order: the one
 * event loop of every component that keeps its state on a thread of its own (the task scheduler,
 * the master, the allocation policy, the driver's endpoint, the election, ...).
 *
 * <ul>
 *   <li>{@link #execute} and {@link #schedule} queue a task; a task that throws is logged at ERROR
 *       with the loop's name and the ones after it still run.</li>
 *   <li>{@link #ask} runs a question on the loop and waits for its answer, with the one policy every
 *       caller gets: the question's own exception is thrown to the caller; no answer within the
 *       timeout, an interrupt while waiting (the interrupt flag is set again), or a loop that stops
 *       before answering are each an {@link IllegalStateException} that says which.</li>
 *   <li>{@link #assertInLoop} lets state confined to the loop check that it is.</li>
 *   <li>An optional <em>after-batch</em> action runs whenever the loop has run every task ready so
 *       far, so that a burst of events costs one decision (the task scheduler offers free cores
 *       there).</li>
 * </ul>
 *
 * <p>Tasks queued after {@link #shutdown} or {@link #shutdownNow} are dropped: whoever stopped the
 * loop no longer wants them ({@link #offer} says so). Thread-safe.
 */
public final class EventLoop implements Executor, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EventLoop.class);

    private final String name;
    private final Runnable afterBatch;
    private final ScheduledThreadPoolExecutor executor;
    /** Answers not given yet, failed when {@link #shutdownNow} drops their questions. */
    private final Set<CompletableFuture<?>> unanswered = ConcurrentHashMap.newKeySet();
    private volatile Thread thread;

    private EventLoop(String name, Runnable afterBatch) {
        this.name = requireNonNull(name, "name is null");
        this.afterBatch = afterBatch;
        this.executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread t = Threads.daemon(name).newThread(runnable);
            thread = t;
            return t;
        });
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        executor.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
        executor.setRemoveOnCancelPolicy(true);
    }

    /** A loop on a new daemon thread called {@code name}. */
    public static EventLoop start(String name) {
        return new EventLoop(name, null);
    }

    /**
     * A loop whose {@code afterBatch} runs on the loop each time no further task is ready (it is
     * logged like a task when it throws).
     */
    public static EventLoop start(String name, Runnable afterBatch) {
        return new EventLoop(name, requireNonNull(afterBatch, "afterBatch is null"));
    }

    /** The name of the loop's thread. */
    public String name() {
        return name;
    }

    /** Queues a task; dropped (logged at DEBUG) when the loop is stopped. */
    @Override
    public void execute(Runnable task) {
        if (!offer(task)) {
            LOG.debug("{} is stopped; dropped a task", name);
        }
    }

    /**
     * Queues a task.
     *
     * @return false when the loop is stopped and the task was dropped
     */
    public boolean offer(Runnable task) {
        requireNonNull(task, "task is null");
        try {
            executor.execute(() -> runLogged(task));
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    /** Runs the task on the loop after the delay; empty when the loop is stopped. */
    public Optional<ScheduledFuture<?>> schedule(Runnable task, Duration delay) {
        requireNonNull(task, "task is null");
        requireNonNull(delay, "delay is null");
        try {
            return Optional.of(executor.schedule(() -> runLogged(task), delay.toNanos(), TimeUnit.NANOSECONDS));
        } catch (RejectedExecutionException e) {
            LOG.debug("{} is stopped; dropped a delayed task", name);
            return Optional.empty();
        }
    }

    /**
     * Runs the task on the loop every {@code period} after the end of the previous run, the first
     * time after {@code initialDelay}, until the loop stops or the future is cancelled. A run that
     * throws is logged and the next one still comes.
     *
     * @return empty when the loop is stopped
     */
    public Optional<ScheduledFuture<?>> scheduleWithFixedDelay(Runnable task, Duration initialDelay, Duration period) {
        requireNonNull(task, "task is null");
        try {
            return Optional.of(executor.scheduleWithFixedDelay(() -> runLogged(task), initialDelay.toNanos(),
                    period.toNanos(), TimeUnit.NANOSECONDS));
        } catch (RejectedExecutionException e) {
            LOG.debug("{} is stopped; dropped a periodic task", name);
            return Optional.empty();
        }
    }

    /**
     * Runs the task on the loop every {@code period}, the first time after {@code initialDelay}, until
     * the loop stops or the future is cancelled; runs that fall behind (a busy loop) follow each other
     * at once to catch up. A run that throws is logged and the next one still comes.
     *
     * @return empty when the loop is stopped
     */
    public Optional<ScheduledFuture<?>> scheduleAtFixedRate(Runnable task, Duration initialDelay, Duration period) {
        requireNonNull(task, "task is null");
        try {
            return Optional.of(executor.scheduleAtFixedRate(() -> runLogged(task), initialDelay.toNanos(),
                    period.toNanos(), TimeUnit.NANOSECONDS));
        } catch (RejectedExecutionException e) {
            LOG.debug("{} is stopped; dropped a periodic task", name);
            return Optional.empty();
        }
    }

    /**
     * Runs {@code question} on the loop, after the tasks queued before it, and waits for its answer.
     * Asked on the loop itself, it runs at once (waiting would never end).
     *
     * @param what what is asked, for the exception's message (e.g. {@code "its pools"})
     * @throws IllegalStateException when no answer comes within {@code timeout}, when the caller is
     *     interrupted while waiting (the interrupt flag is set again), or when the loop is stopped or
     *     stops before answering
     * @throws RuntimeException what {@code question} threw (an {@link Error} it threw is thrown as
     *     it is; a checked one, which a supplier cannot throw, is not possible)
     */
    public <T> T ask(String what, Supplier<T> question, Duration timeout) {
        requireNonNull(what, "what is null");
        requireNonNull(question, "question is null");
        requireNonNull(timeout, "timeout is null");
        if (inLoop()) {
            return question.get();
        }
        CompletableFuture<T> answer = new CompletableFuture<>();
        unanswered.add(answer);
        answer.whenComplete((value, failure) -> unanswered.remove(answer));
        boolean queued;
        try {
            // through runLogged like any task, so the after-batch action runs after a question too
            executor.execute(() -> runLogged(() -> {
                try {
                    answer.complete(question.get());
                } catch (RuntimeException | Error e) {
                    answer.completeExceptionally(e);
                }
            }));
            queued = true;
        } catch (RejectedExecutionException e) {
            queued = false;
        }
        if (!queued) {
            answer.cancel(false);
            throw new IllegalStateException(name + " is stopped: cannot ask it for " + what);
        }
        try {
            return answer.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while asking " + name + " for " + what);
        } catch (TimeoutException e) {
            answer.cancel(false);
            throw new IllegalStateException(name + " did not answer " + what + " within " + timeout.toMillis()
                    + " ms");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof LoopStopped) {
                throw new IllegalStateException(name + " stopped before it answered " + what);
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw (Error) cause;
        }
    }

    /** Whether the loop was stopped ({@link #shutdown}, {@link #shutdownNow}): it takes no more tasks. */
    public boolean isStopped() {
        return executor.isShutdown();
    }

    /** Whether the caller runs on this loop's thread. */
    public boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    /**
     * Checks that the caller runs on the loop, for state confined to it.
     *
     * @throws IllegalStateException naming the loop and the calling thread when it does not
     */
    public void assertInLoop() {
        if (!inLoop()) {
            throw new IllegalStateException("must run on " + name + ", not on " + Thread.currentThread().getName());
        }
    }

    /**
     * Refuses new tasks, lets the queued ones run (delayed ones are dropped) and waits up to
     * {@code await} for them; never waits when called on the loop itself.
     *
     * @return whether the loop's thread has ended
     */
    public boolean shutdown(Duration await) {
        executor.shutdown();
        return await(await);
    }

    /**
     * Drops queued tasks, interrupts the running one and waits up to {@code await} for it; never
     * waits when called on the loop itself.
     *
     * @return whether the loop's thread has ended
     */
    public boolean shutdownNow(Duration await) {
        executor.shutdownNow();
        for (CompletableFuture<?> answer : unanswered) {
            answer.completeExceptionally(new LoopStopped());
        }
        return await(await);
    }

    /** {@link #shutdownNow} with a wait of up to 5 s. Idempotent. */
    @Override
    public void close() {
        shutdownNow(Duration.ofSeconds(5));
    }

    private boolean await(Duration await) {
        if (inLoop()) {
            return false;
        }
        try {
            return executor.awaitTermination(await.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return executor.isTerminated();
        }
    }

    private void runLogged(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException | Error e) {
            LOG.error("Unexpected failure on {}", name, e);
        }
        if (afterBatch != null && noTaskReady() && !executor.isShutdown()) {
            try {
                afterBatch.run();
            } catch (RuntimeException | Error e) {
                LOG.error("Unexpected failure on {} after a batch of tasks", name, e);
            }
        }
    }

    /** Why an answer did not come: the loop dropped the question. */
    private static final class LoopStopped extends RuntimeException {
        LoopStopped() {
            super(null, null, false, false);
        }
    }

    private boolean noTaskReady() {
        BlockingQueue<Runnable> queue = executor.getQueue();
        Runnable next = queue.peek();
        return next == null || ((Delayed) next).getDelay(TimeUnit.NANOSECONDS) > 0;
    }
}
