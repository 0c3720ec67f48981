package io.ember.core.driver.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ember.core.concurrent.EventLoop;
import io.ember.core.coordination.LeaderInfo;
import io.ember.core.testing.Eventually;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The executor requests the leader has not acknowledged yet, against a fake master gateway. */
final class ExecutorRequestsTest {

    private static final String APP_ID = "app-1";
    private static final LeaderInfo M1 = new LeaderInfo("m1", "127.0.0.1:7001", 1);
    private static final LeaderInfo M2 = new LeaderInfo("m2", "127.0.0.1:7002", 2);

    private final TestingMasterGateway gateway = new TestingMasterGateway();
    private final AtomicReference<Optional<LeaderInfo>> leader = new AtomicReference<>(Optional.of(M1));
    private final EventLoop calls = EventLoop.start("testing-executor-requests");
    /** What the retries flush: the application registered with M1, wanting this total. */
    private volatile int total;
    private final ExecutorRequests requests = new ExecutorRequests(gateway, leader::get, calls,
            () -> flushNow(M1.epoch()));

    @AfterEach
    void stop() {
        calls.shutdownNow(Duration.ofSeconds(1));
    }

    @Test
    void asksForANewTotalOnce() {
        onLoop(() -> requests.sent(2));

        flush(3);
        flush(3);

        assertEquals(List.of(new TestingMasterGateway.Total(M1.address(), APP_ID, 3)), gateway.totals);
    }

    @Test
    void asksForNothingWhenTheLeaderHasTheTotalFromTheRegistration() {
        onLoop(() -> requests.sent(3));

        flush(3);

        assertEquals(List.of(), gateway.totals);
    }

    @Test
    void aKillCarriesTheTotalAndIsNotSentAgainOnceAcknowledged() {
        onLoop(() -> requests.sent(3));
        onLoop(() -> requests.kill(List.of("e1", "e2")));

        flush(1);
        flush(1);

        assertEquals(List.of(new TestingMasterGateway.Kill(M1.address(), APP_ID, List.of("e1", "e2"), 1)),
                gateway.kills);
        assertEquals(List.of(), gateway.totals, "the kill carried the total");
    }

    @Test
    void aKillThatMayPassIsSentAgainShortly() {
        gateway.answers.add(TestingMasterGateway.unavailable(M1.address()));
        onLoop(() -> requests.kill(List.of("e1")));

        flush(0);

        Eventually.await(() -> gateway.kills.size() == 2, "the kill is retried");
        assertEquals(gateway.kills.get(0), gateway.kills.get(1));
        flush(0);
        assertEquals(2, gateway.kills.size(), "acknowledged: not sent again");
    }

    @Test
    void aKillRefusedForGoodIsDropped() {
        gateway.answers.add(TestingMasterGateway.unauthenticated(M1.address()));
        onLoop(() -> requests.sent(1));
        onLoop(() -> requests.kill(List.of("e1")));

        flush(1);
        flush(1);

        assertEquals(1, gateway.kills.size());
        assertEquals(List.of(), gateway.totals);
    }

    @Test
    void aTotalRefusedForGoodIsNotAskedForAgainUntilItChanges() {
        gateway.answers.add(TestingMasterGateway.unauthenticated(M1.address()));

        flush(4);
        flush(4);
        flush(5);

        assertEquals(List.of(new TestingMasterGateway.Total(M1.address(), APP_ID, 4),
                new TestingMasterGateway.Total(M1.address(), APP_ID, 5)), gateway.totals);
    }

    @Test
    void aRequestWithoutALeaderIsSentOnceOneLeads() {
        leader.set(Optional.empty());

        flush(3);
        assertEquals(List.of(), gateway.totals);
        leader.set(Optional.of(M1));

        Eventually.await(() -> gateway.totals.size() == 1, "the retry sends the total");
        assertEquals(new TestingMasterGateway.Total(M1.address(), APP_ID, 3), gateway.totals.get(0));
    }

    @Test
    void leavesTheRequestsToTheRegistrationWithANewerLeader() {
        leader.set(Optional.of(M2));
        onLoop(() -> requests.kill(List.of("e1")));

        flush(2);
        assertEquals(List.of(), gateway.kills, "registered with M1 still: the re-registration with M2 comes first");

        onLoop(() -> requests.flush(APP_ID, M2.address(), M2.epoch(), 2));
        assertEquals(List.of(new TestingMasterGateway.Kill(M2.address(), APP_ID, List.of("e1"), 2)), gateway.kills);
    }

    private void flush(int wanted) {
        total = wanted;
        onLoop(() -> flushNow(M1.epoch()));
    }

    private void flushNow(long registeredEpoch) {
        requests.flush(APP_ID, M1.address(), registeredEpoch, total);
    }

    private void onLoop(Runnable step) {
        calls.ask("a test step", () -> {
            step.run();
            return null;
        }, Duration.ofSeconds(10));
    }
}
