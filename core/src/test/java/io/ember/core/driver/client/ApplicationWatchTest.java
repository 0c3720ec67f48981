package io.ember.core.driver.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.core.concurrent.EventLoop;
import io.ember.core.testing.Eventually;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Following what the leader tells about the application, across failovers, against a fake master gateway. */
final class ApplicationWatchTest {

    private static final ApplicationDescriptor APP = ApplicationDescriptor.unregistered("report", "default", 1,
            1L << 30, "127.0.0.1:5000", Map.of()).withAppId("app-1");
    private static final ExecutorFailure FAILURE = new ExecutorFailure("3", "w1", 1, true, "stderr",
            List.of("Unrecognized VM option 'NoSuchOption'"));

    private final TestingMasterGateway gateway = new TestingMasterGateway();
    private final EventLoop calls = EventLoop.start("testing-watch");
    private final AtomicReference<Reregistration.Standing> standing = new AtomicReference<>(
            new Reregistration.Standing(APP, 1, "127.0.0.1:7001"));
    private final AtomicBoolean registered = new AtomicBoolean(true);
    private final List<String> heard = new CopyOnWriteArrayList<>();
    private final ApplicationWatch watch = new ApplicationWatch(gateway, calls, new ApplicationEvents() {
        @Override
        public void executorFailed(ExecutorFailure failure) {
            heard.add("executor " + failure.executorId() + " failed: " + failure.quotedOutput());
        }

        @Override
        public void waiting(String reason) {
            heard.add("waiting: " + reason);
        }

        @Override
        public void applicationFailed(String reason) {
            heard.add("failed: " + reason);
        }
    }, standing::get, registered::get);

    @AfterEach
    void stop() {
        calls.shutdownNow(Duration.ofSeconds(1));
    }

    @Test
    void followsTheApplicationOnTheMasterItIsRegisteredWithAndPassesOnWhatItTells() {
        onLoop(watch::ensure);
        onLoop(watch::ensure);

        assertEquals(1, gateway.watches.size(), "one watch, however often it is ensured");
        TestingMasterGateway.Watching watching = gateway.watches.get(0);
        assertEquals("127.0.0.1:7001", watching.address());
        assertEquals("app-1", watching.appId());
        watching.watcher().event(1, new WatchEvent.ExecutorFailed(FAILURE));
        watching.watcher().event(1, new WatchEvent.Waiting("no worker is registered with the leader master"));
        watching.watcher().event(1, new WatchEvent.Failed("its executors exit before they register"));
        assertEquals(List.of("executor 3 failed: its stderr ends: Unrecognized VM option 'NoSuchOption'",
                "waiting: no worker is registered with the leader master",
                "failed: its executors exit before they register"), heard);
    }

    @Test
    void movesToTheNewLeaderOnceTheApplicationIsRegisteredThereAndDropsWhatTheDeposedOneSays() {
        onLoop(watch::ensure);
        TestingMasterGateway.Watching first = gateway.watches.get(0);

        standing.set(new Reregistration.Standing(APP, 2, "127.0.0.1:7002"));
        onLoop(watch::ensure);

        assertTrue(first.cancelled().get(), "the watch on the deposed master is cancelled");
        assertEquals("127.0.0.1:7002", gateway.watches.get(1).address());
        first.watcher().event(1, new WatchEvent.Failed("a deposed leader's word"));
        gateway.watches.get(1).watcher().event(2, new WatchEvent.Waiting(""));
        assertEquals(List.of("waiting: "), heard);
    }

    @Test
    void watchesAgainAfterTheWatchEndsWhileTheApplicationIsRegistered() {
        onLoop(watch::ensure);

        gateway.watches.get(0).watcher().ended(TestingMasterGateway.unavailable("127.0.0.1:7001"));

        Eventually.await("a second watch", () -> gateway.watches.size() == 2);
        assertEquals("127.0.0.1:7001", gateway.watches.get(1).address());
    }

    @Test
    void stopsWatchingOnceTheApplicationIsNoLongerRegistered() {
        onLoop(watch::ensure);
        registered.set(false);

        gateway.watches.get(0).watcher().ended(null);
        onLoop(() -> { });   // the end is handled on the loop
        onLoop(watch::ensure);

        assertEquals(1, gateway.watches.size());
    }

    @Test
    void closingCancelsTheWatchForGood() {
        onLoop(watch::ensure);

        watch.close();
        onLoop(watch::ensure);

        assertTrue(gateway.watches.get(0).cancelled().get());
        assertEquals(1, gateway.watches.size());
        assertFalse(heard.iterator().hasNext());
    }

    private void onLoop(Runnable action) {
        calls.ask("the test's step", () -> {
            action.run();
            return null;
        }, Duration.ofSeconds(5));
    }
}
