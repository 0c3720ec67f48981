package io.ember.core.driver.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.core.concurrent.EventLoop;
import io.ember.core.coordination.CoordinationException;
import io.ember.core.coordination.LeaderConversation;
import io.ember.core.coordination.LeaderInfo;
import io.ember.core.retry.Backoff;
import io.ember.core.rpc.EpochFence;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The driver's registration with the leader of the moment, against a fake master gateway: no wire, no ZooKeeper. */
final class LeaderCallsTest {

    private static final ApplicationDescriptor APP = ApplicationDescriptor.unregistered("report", "default", 2,
            1L << 30, "127.0.0.1:5000", Map.of());
    private static final LeaderInfo M1 = new LeaderInfo("m1", "127.0.0.1:7001", 1);
    private static final LeaderInfo M2 = new LeaderInfo("m2", "127.0.0.1:7002", 3);
    private static final long NO_DEADLINE = Long.MAX_VALUE;

    private final TestingMasterGateway gateway = new TestingMasterGateway();
    private final AtomicReference<Optional<LeaderInfo>> leader = new AtomicReference<>(Optional.of(M1));
    private final EpochFence fence = new EpochFence();
    private final LeaderConversation conversation = new LeaderConversation(
            LeaderConversation.Loop.of(EventLoop.start("testing-leader-calls")),
            Backoff.exponential(Duration.ofMillis(5), Duration.ofMillis(20)), new Silent());

    @AfterEach
    void stop() {
        conversation.close();
    }

    @Test
    void registersWithTheLeaderAndRecordsItsEpoch() {
        LeaderCalls.Accepted accepted = calls(Duration.ofSeconds(5)).register(APP, 3, deadline(5), true, () -> false);

        assertEquals(M1, accepted.leader());
        assertEquals(new MasterGateway.Registered("app-1", 1), accepted.registered());
        assertEquals(List.of(new TestingMasterGateway.Registration(M1.address(), APP, 3, 0)), gateway.registrations);
        assertEquals(1, fence.highest());
    }

    @Test
    void ignoresAnAnswerFromADeposedMasterAndAsksTheLeaderAgain() {
        leader.set(Optional.of(M2));
        gateway.epoch = 3;
        gateway.answers.add(new MasterGateway.Registered("app-1", 2));   // a master of epoch 2 answered

        LeaderCalls.Accepted accepted = calls(Duration.ofSeconds(5)).register(APP, 1, deadline(5), true, () -> false);

        assertEquals(3, accepted.registered().epoch());
        assertEquals(2, gateway.registrations.size(), "the stale answer was not taken");
    }

    @Test
    void asksAgainWhenTheAnswerHasNoApplicationId() {
        gateway.answers.add(new MasterGateway.Registered("", 1));

        LeaderCalls.Accepted accepted = calls(Duration.ofSeconds(5)).register(APP, 1, deadline(5), true, () -> false);

        assertEquals("app-1", accepted.registered().appId());
        assertEquals(2, gateway.registrations.size());
    }

    @Test
    void retriesAFailureThatMayPass() {
        gateway.answers.add(TestingMasterGateway.unavailable(M1.address()));
        gateway.answers.add(TestingMasterGateway.unavailable(M1.address()));

        LeaderCalls.Accepted accepted = calls(Duration.ofSeconds(5)).register(APP, 1, deadline(5), true, () -> false);

        assertEquals("app-1", accepted.registered().appId());
        assertEquals(3, gateway.registrations.size());
    }

    @Test
    void givesUpAtOnceWhenTheMasterRefusesForGood() {
        gateway.answers.add(TestingMasterGateway.unauthenticated(M1.address()));

        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> calls(Duration.ofSeconds(30)).register(APP, 1, deadline(30), true, () -> false));

        assertEquals("cannot register application 'report': master m1 at 127.0.0.1:7001 refused the call: not "
                + "authenticated (check ember.auth.secret)", e.getMessage());
        assertEquals(1, gateway.registrations.size());
    }

    @Test
    void givesUpAtTheDeadlineSayingWhatTheLeaderLastAnswered() {
        gateway.refusal = TestingMasterGateway.unavailable(M1.address());

        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> calls(Duration.ofMillis(200)).register(APP, 1, deadline(Duration.ofMillis(200)), true,
                        () -> false));

        assertEquals("no leader master of cluster c1 at zk:2181 accepted application 'report' within 200ms: master m1 "
                + "at 127.0.0.1:7001 is unavailable: not the leader", e.getMessage());
    }

    @Test
    void saysThatNoLeaderWasFoundWhenNoneAppeared() {
        leader.set(Optional.empty());

        CoordinationException e = assertThrows(CoordinationException.class,
                () -> calls(Duration.ofMillis(200)).register(APP, 1, deadline(Duration.ofMillis(200)), true,
                        () -> false));

        assertEquals("no leader master for cluster c1 at zk:2181 after 200ms", e.getMessage());
        assertEquals(List.of(), gateway.registrations);
    }

    @Test
    void aRegistrationAgainStopsWhenTheApplicationIsNoLongerRegistered() {
        gateway.refusal = TestingMasterGateway.unavailable(M1.address());

        LeaderCalls.Accepted accepted = calls(Duration.ofSeconds(5)).register(APP.withAppId("app-1"), 1, NO_DEADLINE,
                false, () -> gateway.registrations.size() >= 3);

        assertNull(accepted);
        assertEquals(3, gateway.registrations.size());
    }

    @Test
    void unregistersAfterAFailureThatMayPass() {
        gateway.answers.add(TestingMasterGateway.unavailable(M1.address()));

        assertTrue(calls(Duration.ofSeconds(5)).unregister("app-1", Duration.ofSeconds(5), () -> false, () -> false));

        assertEquals(List.of(new TestingMasterGateway.Unregistration(M1.address(), "app-1"),
                new TestingMasterGateway.Unregistration(M1.address(), "app-1")), gateway.unregistrations);
    }

    /** Without ZooKeeper no leader can act: a driver that is done does not wait out the RPC timeout. */
    @Test
    void givesUpUnregisteringAfterAFailureWhileZooKeeperCannotBeReached() {
        gateway.answers.add(TestingMasterGateway.unavailable(M1.address()));

        assertFalse(calls(Duration.ofSeconds(5)).unregister("app-1", Duration.ofMinutes(10), () -> false, () -> true));

        assertEquals(1, gateway.unregistrations.size(), "one attempt, no retry");
    }

    @Test
    void doesNotUnregisterAgainAfterARefusalForGood() {
        gateway.answers.add(TestingMasterGateway.unauthenticated(M1.address()));

        assertFalse(calls(Duration.ofSeconds(5)).unregister("app-1", Duration.ofSeconds(5), () -> false, () -> false));

        assertEquals(1, gateway.unregistrations.size());
    }

    private LeaderCalls calls(Duration leaderTimeout) {
        return new LeaderCalls(gateway, leader::get, conversation, fence, leaderTimeout, "c1", "zk:2181", () -> 0);
    }

    private static long deadline(long seconds) {
        return deadline(Duration.ofSeconds(seconds));
    }

    private static long deadline(Duration in) {
        return System.nanoTime() + in.toNanos();
    }

    /** A conversation that says nothing: these tests make the calls themselves. */
    private static final class Silent implements LeaderConversation.Party {
        @Override
        public void leaderChanged(LeaderInfo previous, LeaderInfo next) {
        }

        @Override
        public void converse(LeaderInfo leader) {
        }

        @Override
        public void failed(LeaderInfo leader, RuntimeException failure, int failures, Duration retryIn) {
        }
    }
}
