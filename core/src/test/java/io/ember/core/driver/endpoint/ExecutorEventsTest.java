package io.ember.core.driver.endpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ember.api.cluster.ExecutorInfo;
import io.ember.core.concurrent.EventLoop;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Executor changes reach every listener, in the order they were queued. */
final class ExecutorEventsTest {

    private static final ExecutorInfo E1 = new ExecutorInfo("e1", "app-1", "worker-1", "127.0.0.1", 0, 2);
    private static final ExecutorInfo E2 = new ExecutorInfo("e2", "app-1", "worker-1", "127.0.0.1", 0, 2);

    private final EventLoop loop = EventLoop.start("testing-executor-events");
    private final ExecutorEvents events = new ExecutorEvents(loop);

    @AfterEach
    void stop() {
        loop.shutdownNow(Duration.ofSeconds(1));
    }

    @Test
    void listenersHearTheChangesInOrder() {
        RecordingListener listener = new RecordingListener();
        events.addListener(listener);

        events.added(E1);
        events.added(E2);
        events.removed(E1, "it closed its stream");
        drain();

        assertEquals(List.of("added e1", "added e2", "removed e1: it closed its stream"), listener.events);
    }

    @Test
    void aListenerThatThrowsDoesNotKeepTheOthersFromHearing() {
        events.addListener(new ExecutorListener() {
            @Override
            public void executorAdded(ExecutorInfo executor) {
                throw new IllegalStateException("a broken listener");
            }
        });
        RecordingListener listener = new RecordingListener();
        events.addListener(listener);

        events.added(E1);
        drain();

        assertEquals(List.of("added e1"), listener.events);
    }

    @Test
    void aRemovedListenerHearsNoMore() {
        RecordingListener listener = new RecordingListener();
        events.addListener(listener);
        events.added(E1);
        drain();

        events.removeListener(listener);
        events.removed(E1, "gone");
        drain();

        assertEquals(List.of("added e1"), listener.events);
    }

    /** Waits until what was queued before has run: the loop runs its tasks in order. */
    private void drain() {
        loop.ask("the events queued before", () -> null, Duration.ofSeconds(10));
    }
}
