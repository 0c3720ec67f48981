package io.ember.core.driver;

import static java.util.Objects.requireNonNull;

import io.ember.api.allocation.AllocationPolicy;
import io.ember.api.cluster.ExecutorInfo;
import io.ember.api.config.Durations;
import io.ember.core.concurrent.EventLoop;
import io.ember.core.driver.endpoint.ExecutorListener;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one application's {@link AllocationPolicy} on the driver's allocation thread, as the SPI
 * promises: {@code start()}, every event, a {@code tick()} about every {@link #TICK}, the
 * application's own requests and {@code close()}, one at a time, in order. A policy call that
 * throws is logged and the loop goes on. As an {@link ExecutorListener} it forwards executors
 * joining and leaving; {@link #deliver} takes every other event.
 *
 * <p>Events are queued and drained in batches, so a burst of task events costs one hand-over to
 * the allocation thread, not one per event. Thread-safe.
 */
final class AllocationLoop implements ExecutorListener, AutoCloseable {

    /** How often the policy's {@code tick()} runs. */
    static final Duration TICK = Duration.ofMillis(100);
    /** How long an application request waits for the allocation thread. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    /** How long closing waits for the policy's {@code close()}. */
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

    private static final Logger LOG = LoggerFactory.getLogger(AllocationLoop.class);

    private record Event(String what, Consumer<AllocationPolicy> call) {
    }

    private final AllocationPolicy policy;
    private final String applicationId;
    private final DriverAllocationClient client;
    private final EventLoop loop;
    private final Queue<Event> events = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Confined to the allocation thread. */
    private boolean tickFailing;

    /** @param client the client the policy was given, told which calls are the application's */
    AllocationLoop(AllocationPolicy policy, String applicationId, DriverAllocationClient client) {
        this.policy = requireNonNull(policy, "policy is null");
        this.applicationId = requireNonNull(applicationId, "applicationId is null");
        this.client = requireNonNull(client, "client is null");
        this.loop = EventLoop.start("ember-allocation");
    }

    /** Starts the policy and its ticks. */
    void start() {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("the allocation loop of application " + applicationId + " was already started");
        }
        deliver("start", AllocationPolicy::start);
        loop.scheduleWithFixedDelay(this::tick, TICK, TICK);
    }

    @Override
    public void executorAdded(ExecutorInfo executor) {
        deliver("onExecutorAdded", p -> p.onExecutorAdded(executor.executorId()));
    }

    @Override
    public void executorRemoved(ExecutorInfo executor, String reason) {
        deliver("onExecutorRemoved", p -> p.onExecutorRemoved(executor.executorId()));
    }

    /** Queues an event for the policy; {@code what} names it in the log if the policy throws. */
    void deliver(String what, Consumer<AllocationPolicy> call) {
        if (closed.get()) {
            return;
        }
        events.add(new Event(what, call));
        if (drainScheduled.compareAndSet(false, true)) {
            loop.execute(this::drain);
        }
    }

    /**
     * Runs one of the application's requests on the allocation thread, after the events queued
     * before it, and returns its answer; what the policy throws (a refused argument, an unsupported
     * request) is thrown here.
     *
     * @throws IllegalStateException when the application is ending, or the allocation thread did
     *     not answer within 30 s
     */
    boolean request(String what, Predicate<AllocationPolicy> call) {
        if (closed.get()) {
            throw new IllegalStateException("application " + applicationId + " is ending: " + what + " refused");
        }
        // The events delivered before this request are queued by now: drained first, they reach the policy first.
        return loop.ask(what + " of application " + applicationId, () -> {
            drain();
            return client.onBehalfOfApplication(() -> call.test(policy));
        }, REQUEST_TIMEOUT);
    }

    /** Closes the policy on its thread (after the events queued before) and stops the thread. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        loop.execute(() -> {
            drain();
            call("close", AllocationPolicy::close);
        });
        if (!loop.shutdown(CLOSE_WAIT)) {
            LOG.warn("The allocation policy of application {} did not close within {}", applicationId,
                    Durations.format(CLOSE_WAIT));
            loop.shutdownNow(Duration.ZERO);
        }
    }

    private void drain() {
        drainScheduled.set(false);
        Event event;
        while ((event = events.poll()) != null) {
            call(event.what(), event.call());
        }
    }

    /** A tick; a policy failing on every tick is logged once, until a tick succeeds again. */
    private void tick() {
        drain();
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

    private void call(String what, Consumer<AllocationPolicy> call) {
        try {
            call.accept(policy);
        } catch (RuntimeException e) {
            LOG.error("The allocation policy of application {} failed in {}", applicationId, what, e);
        }
    }
}
