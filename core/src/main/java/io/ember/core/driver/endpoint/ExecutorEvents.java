package io.ember.core.driver.endpoint;

import static java.util.Objects.requireNonNull;

import io.ember.api.cluster.ExecutorInfo;
import io.ember.core.concurrent.EventLoop;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the driver endpoint's {@link ExecutorListener}s of executors joining and leaving: each event
 * runs on the endpoint's event thread, in the order it was queued, for every listener; a listener
 * that throws is logged and the others still hear the event.
 *
 * <p>Threading: thread-safe. The endpoint queues events under its registry's lock, so listeners see
 * the changes in the order they happened. Once the event thread is stopped, events are dropped.
 */
final class ExecutorEvents {

    /** Logged as the driver endpoint's, as before the endpoint was split. */
    private static final Logger LOG = LoggerFactory.getLogger(DriverEndpoint.class);

    private final EventLoop events;
    private final List<ExecutorListener> listeners = new CopyOnWriteArrayList<>();

    /** @param events the endpoint's event thread, owned by the endpoint */
    ExecutorEvents(EventLoop events) {
        this.events = requireNonNull(events, "events is null");
    }

    void addListener(ExecutorListener listener) {
        listeners.add(requireNonNull(listener, "listener is null"));
    }

    void removeListener(ExecutorListener listener) {
        listeners.remove(listener);
    }

    /** Queues {@code executorAdded}. */
    void added(ExecutorInfo info) {
        publish(listener -> listener.executorAdded(info));
    }

    /** Queues {@code executorRemoved}. */
    void removed(ExecutorInfo info, String reason) {
        publish(listener -> listener.executorRemoved(info, reason));
    }

    private void publish(Consumer<ExecutorListener> event) {
        // after close() the event is dropped: nobody listens any more
        events.execute(() -> {
            for (ExecutorListener listener : listeners) {
                try {
                    event.accept(listener);
                } catch (RuntimeException e) {
                    LOG.error("An executor listener failed", e);
                }
            }
        });
    }
}
