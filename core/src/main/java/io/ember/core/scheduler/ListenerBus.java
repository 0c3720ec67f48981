package io.ember.core.scheduler;

import static java.util.Objects.requireNonNull;

import io.ember.core.concurrent.BatchQueue;
import io.ember.core.concurrent.EventLoop;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the scheduler's events to {@link SchedulerListener}s on a loop of its own,
 * {@code ember-listener-bus}, so a slow listener never holds up scheduling. Events wait in a bounded
 * {@link BatchQueue}; when it is full, new events are dropped and counted, and the count is logged at
 * most once a minute.
 *
 * <p>Thread-safe. {@link #post} is meant for the scheduler's thread and costs one volatile read
 * when nobody listens; callers check {@link #isListened()} before building an event.
 */
final class ListenerBus implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ListenerBus.class);
    static final int CAPACITY = 10_000;
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);
    private static final long DROP_REPORT_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final List<SchedulerListener> listeners = new CopyOnWriteArrayList<>();
    private final EventLoop loop = EventLoop.start("ember-listener-bus");
    private final BatchQueue<Consumer<SchedulerListener>> events = BatchQueue.bounded(loop, CAPACITY, this::deliver);
    private volatile boolean listened;
    private volatile boolean closed;
    private long dropped;
    private long lastDropReportNanos = System.nanoTime() - DROP_REPORT_NANOS;

    void add(SchedulerListener listener) {
        listeners.add(requireNonNull(listener, "listener is null"));
        listened = true;
    }

    void remove(SchedulerListener listener) {
        listeners.remove(listener);
        listened = !listeners.isEmpty();
    }

    /** Whether any listener is registered: when not, building an event is wasted work. */
    boolean isListened() {
        return listened;
    }

    /** Queues an event for every listener; drops it when the queue is full. */
    void post(Consumer<SchedulerListener> event) {
        if (!listened || closed) {
            return;
        }
        if (!events.offer(event) && !closed) {
            dropped++;
            long now = System.nanoTime();
            if (now - lastDropReportNanos >= DROP_REPORT_NANOS) {
                lastDropReportNanos = now;
                LOG.warn("Scheduler listeners are more than {} events behind; {} event(s) dropped so far", CAPACITY,
                        dropped);
            }
        }
    }

    private void deliver(List<Consumer<SchedulerListener>> batch) {
        for (Consumer<SchedulerListener> event : batch) {
            for (SchedulerListener listener : listeners) {
                try {
                    event.accept(listener);
                } catch (RuntimeException e) {
                    LOG.warn("Scheduler listener {} failed on an event; it stays registered", listener, e);
                }
            }
        }
    }

    /** Delivers the events queued so far (waiting up to a few seconds), then stops. Idempotent. */
    @Override
    public void close() {
        closed = true;
        if (!loop.shutdown(CLOSE_WAIT)) {
            loop.shutdownNow(Duration.ZERO);
        }
    }
}
