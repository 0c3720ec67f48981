package io.ember.core.master;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.api.config.DeclaredSettings;
import io.ember.api.scheduler.SchedulingPolicy;
import io.ember.core.concurrent.EventLoop;
import io.ember.core.coordination.ZooKeeperSettings;
import io.ember.scheduler.fifo.FifoSchedulerFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The event loop a {@link Leadership} under test is confined to, as the master's is: each step of
 * a test runs on it, and a test can wait for what the term scheduled. Also the options and policy
 * such terms are made with.
 */
final class TermLoop implements AutoCloseable {

    private final EventLoop loop = EventLoop.start("test-master-loop");

    /** The loop itself, for the term. */
    EventLoop eventLoop() {
        return loop;
    }

    /** Runs a step on the loop and waits for it; what it throws is thrown here. */
    void run(Runnable step) {
        ask(() -> {
            step.run();
            return null;
        });
    }

    /** Asks the loop and waits for the answer; what the question throws is thrown here. */
    <T> T ask(Supplier<T> question) {
        return loop.ask("the test's question", question, Duration.ofSeconds(10));
    }

    /**
     * Waits until the loop has run what was scheduled up to now with this delay: the loop runs its
     * delayed tasks in the order they fall due, so a marker scheduled now runs after them.
     */
    void awaitScheduledUpTo(Duration delay) {
        CountDownLatch marker = new CountDownLatch(1);
        loop.schedule(marker::countDown, delay);
        try {
            assertTrue(marker.await(delay.toMillis() + 10_000, TimeUnit.MILLISECONDS), "the loop ran the marker");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
        loop.shutdownNow(Duration.ofSeconds(5));
    }

    /** A master's options for a term under test, with this recovery grace. */
    static MasterOptions options(Duration recoveryGrace) {
        return new MasterOptions("test", ZooKeeperSettings.of("127.0.0.1:2181"), "127.0.0.1", 0, Placement.SPREAD,
                Optional.empty(), Duration.ofSeconds(5), recoveryGrace, "master-test");
    }

    /** The fifo scheduler with no settings. */
    static SchedulingPolicy fifo() {
        return new FifoSchedulerFactory().create(DeclaredSettings.of(List.of(), Map.of()));
    }
}
