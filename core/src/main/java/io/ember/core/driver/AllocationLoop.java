package io.ember.core.driver;

import static java.util.Objects.requireNonNull;

import io.ember.api.allocation.AllocationPolicy;
import io.ember.api.cluster.ExecutorInfo;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one application's {@link AllocationPolicy} on the driver's allocation thread, as the SPI
 * promises: {@code start()}, every event, a {@code tick()} about every {@link #TICK} and
 * {@code close()}, one at a time, in order. A policy call that throws is logged and the loop goes
 * on. As an {@link ExecutorListener} it forwards executors joining and leaving.
 */
final class AllocationLoop implements ExecutorListener, AutoCloseable {

    /** How often the policy's {@code tick()} runs. */
    static final Duration TICK = Duration.ofMillis(100);

    private static final Logger LOG = LoggerFactory.getLogger(AllocationLoop.class);

    private final AllocationPolicy policy;
    private final String applicationId;
    private final ScheduledThreadPoolExecutor thread;
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Confined to the allocation thread. */
    private boolean tickFailing;

    AllocationLoop(AllocationPolicy policy, String applicationId) {
        this.policy = requireNonNull(policy, "policy is null");
        this.applicationId = requireNonNull(applicationId, "applicationId is null");
        this.thread = new ScheduledThreadPoolExecutor(1, task -> {
            Thread t = new Thread(task, "ember-allocation");
            t.setDaemon(true);
            return t;
        });
        this.thread.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    /** Starts the policy and its ticks. */
    void start() {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("the allocation loop of application " + applicationId + " was already started");
        }
        run("start", policy::start);
        thread.scheduleWithFixedDelay(this::tick, TICK.toNanos(), TICK.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public void executorAdded(ExecutorInfo executor) {
        run("onExecutorAdded", () -> policy.onExecutorAdded(executor.executorId()));
    }

    @Override
    public void executorRemoved(ExecutorInfo executor, String reason) {
        run("onExecutorRemoved", () -> policy.onExecutorRemoved(executor.executorId()));
    }

    /** Closes the policy on its thread (after the events queued before) and stops the thread. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            thread.execute(() -> call("close", policy::close));
        } catch (RejectedExecutionException e) {
            // not running
        }
        thread.shutdown();
        try {
            if (!thread.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("The allocation policy of application {} did not close within 5s", applicationId);
                thread.shutdownNow();
            }
        } catch (InterruptedException e) {
            thread.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    /** A tick; a policy failing on every tick is logged once, until a tick succeeds again. */
    private void tick() {
        try {
            policy.tick();
            tickFailing = false;
        } catch (RuntimeException e) {
            if (!tickFailing) {
                LOG.error("The allocation policy of application {} failed in tick (not logged again until a tick "
                        + "succeeds)", applicationId, e);
            }
            tickFailing = true;
        }
    }

    private void run(String what, Runnable call) {
        if (closed.get()) {
            return;
        }
        try {
            thread.execute(() -> call(what, call));
        } catch (RejectedExecutionException e) {
            // closing
        }
    }

    private void call(String what, Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            LOG.error("The allocation policy of application {} failed in {}", applicationId, what, e);
        }
    }
}
