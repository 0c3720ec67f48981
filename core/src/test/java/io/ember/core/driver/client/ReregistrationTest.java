package io.ember.core.driver.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.core.concurrent.EventLoop;
import io.ember.core.coordination.ClusterPaths;
import io.ember.core.coordination.EmbeddedZooKeeper;
import io.ember.core.coordination.LeaderConversation;
import io.ember.core.coordination.LeaderInfo;
import io.ember.core.coordination.Registration;
import io.ember.core.coordination.Registrations;
import io.ember.core.coordination.ZooKeeperClients;
import io.ember.core.coordination.ZooKeeperSettings;
import io.ember.core.retry.Backoff;
import io.ember.core.rpc.EpochFence;
import io.ember.core.testing.Eventually;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Registering the application again with a new leader, against a fake master gateway. */
final class ReregistrationTest {

    private static final ApplicationDescriptor APP = ApplicationDescriptor.unregistered("report", "default", 2,
            1L << 30, "127.0.0.1:5000", Map.of("ember.cluster", "c1")).withAppId("app-1");
    private static final LeaderInfo M1 = new LeaderInfo("m1", "127.0.0.1:7001", 1);
    private static final LeaderInfo M2 = new LeaderInfo("m2", "127.0.0.1:7002", 2);

    private final TestingMasterGateway gateway = new TestingMasterGateway();
    private final AtomicReference<Optional<LeaderInfo>> leader = new AtomicReference<>(Optional.of(M1));
    private final EventLoop calls = EventLoop.start("testing-reregistration");
    private final LeaderConversation conversation = new LeaderConversation(
            LeaderConversation.Loop.of(EventLoop.start("testing-reregistration-conversation")),
            Backoff.exponential(Duration.ofMillis(5), Duration.ofMillis(20)), new Silent());
    private final AtomicBoolean registered = new AtomicBoolean(true);
    private final AtomicInteger requestedTotal = new AtomicInteger(5);
    private final AtomicInteger flushes = new AtomicInteger();
    /** The driver has heard of executors 0 to 6. */
    private final AtomicLong executorIdsFrom = new AtomicLong(7);
    private ExecutorRequests requests;
    private Reregistration reregistration;

    @BeforeEach
    void start() {
        requests = new ExecutorRequests(gateway, leader::get, calls, this::flush);
        LeaderCalls master = new LeaderCalls(gateway, leader::get, conversation, new EpochFence(),
                Duration.ofSeconds(5), "c1", "zk:2181", executorIdsFrom::get);
        reregistration = new Reregistration(master, leader::get, gateway, requests, Duration.ofSeconds(5),
                registered::get, requestedTotal::get, this::flush);
        reregistration.registered(new Reregistration.Standing(APP, M1.epoch(), M1.address()));
    }

    @AfterEach
    void stop() {
        conversation.close();
        calls.shutdownNow(Duration.ofSeconds(1));
    }

    @Test
    void registersTheSameApplicationWithTheNewLeaderWantingTheLatestTotal() {
        leader.set(Optional.of(M2));
        gateway.epoch = 2;

        onLoop(reregistration::ifLeaderChanged);

        assertEquals(List.of(new TestingMasterGateway.Registration(M2.address(), APP, 5, 7)), gateway.registrations,
                "the leader numbers new executors above every id the driver heard of");
        assertEquals(new Reregistration.Standing(APP, 2, M2.address()), reregistration.standing());
        assertEquals(List.of(M1.address()), gateway.forgotten, "the deposed master's connection goes");
        assertEquals(1, flushes.get());
        assertEquals(List.of(), gateway.totals, "the registration carried the total");
    }

    @Test
    void keepsTheApplicationsIdWhenTheNewLeaderAnswersWithAnother() {
        leader.set(Optional.of(M2));
        gateway.answers.add(new MasterGateway.Registered("app-9", 2));

        onLoop(reregistration::ifLeaderChanged);

        assertEquals(new Reregistration.Standing(APP, 2, M2.address()), reregistration.standing());
    }

    @Test
    void staysWithTheLeaderItIsRegisteredWith() {
        onLoop(reregistration::ifLeaderChanged);

        assertEquals(List.of(), gateway.registrations);
        assertEquals(new Reregistration.Standing(APP, 1, M1.address()), reregistration.standing());
    }

    @Test
    void registersNothingOnceUnregistered() {
        leader.set(Optional.of(M2));
        registered.set(false);

        onLoop(reregistration::ifLeaderChanged);

        assertEquals(List.of(), gateway.registrations);
        assertEquals(0, flushes.get());
    }

    @Test
    void keepsItsStandingWhenTheNewLeaderRefusesForGood() {
        leader.set(Optional.of(M2));
        gateway.answers.add(TestingMasterGateway.unauthenticated(M2.address()));

        onLoop(reregistration::ifLeaderChanged);

        assertEquals(new Reregistration.Standing(APP, 1, M1.address()), reregistration.standing());
        assertEquals(List.of(), gateway.forgotten);
        assertEquals(0, flushes.get());
    }

    /**
     * After the driver's session expired, a registration the leader refuses for good gives the
     * application up with a reason, instead of leaving it waiting for executors.
     */
    @Test
    void afterASessionLossARegistrationRefusedForGoodGivesTheApplicationUp(@TempDir Path dir) throws Exception {
        ClusterPaths paths = new ClusterPaths("c1");
        try (EmbeddedZooKeeper zooKeeper = EmbeddedZooKeeper.start(dir);
             CuratorFramework zk = ZooKeeperClients.connect(ZooKeeperSettings.of(zooKeeper.connectString()))) {
            Registration driverNode = expiredDriverNode(zk, paths);
            gateway.answers.add(TestingMasterGateway.unauthenticated(M1.address()));
            List<String> gaveUp = new CopyOnWriteArrayList<>();
            AtomicBoolean registeredAgain = new AtomicBoolean(true);

            onLoop(() -> registeredAgain.set(reregistration.afterSessionLoss(driverNode, gaveUp::add)));

            assertFalse(registeredAgain.get());
            assertEquals(1, gaveUp.size(), gaveUp.toString());
            assertTrue(gaveUp.get(0).startsWith("it could not be registered again after the driver's ZooKeeper "
                    + "session expired (the cluster may have ended it meanwhile): "), gaveUp.get(0));
        }
    }

    /**
     * After the driver's session expired the cluster may have ended the application and stopped its
     * executors: registered again, it asks the leader to number new executors above every id the driver
     * heard of, lost ones included, so that no id is given twice.
     */
    @Test
    void afterASessionLossTheApplicationRegistersAgainAboveEveryExecutorIdItHeardOf(@TempDir Path dir)
            throws Exception {
        ClusterPaths paths = new ClusterPaths("c1");
        try (EmbeddedZooKeeper zooKeeper = EmbeddedZooKeeper.start(dir);
             CuratorFramework zk = ZooKeeperClients.connect(ZooKeeperSettings.of(zooKeeper.connectString()))) {
            Registration driverNode = expiredDriverNode(zk, paths);
            executorIdsFrom.set(12);
            AtomicBoolean registeredAgain = new AtomicBoolean();

            onLoop(() -> registeredAgain.set(reregistration.afterSessionLoss(driverNode, reason -> { })));

            assertTrue(registeredAgain.get());
            assertEquals(List.of(new TestingMasterGateway.Registration(M1.address(), APP, 5, 12)),
                    gateway.registrations);
            Eventually.await("the driver's node on the new session", driverNode::onCurrentSession);
        }
    }

    /** The driver's node, registered on a session that then expired (the client is on a new one). */
    private static Registration expiredDriverNode(CuratorFramework zk, ClusterPaths paths) throws Exception {
        zk.create().creatingParentContainersIfNeeded().forPath(paths.app(APP.appId()));
        Registration driverNode = new Registrations(zk, paths).registerDriver(APP.appId());
        zk.getZookeeperClient().getZooKeeper().getTestable().injectSessionExpiration();
        Eventually.await("a new session", () -> !driverNode.onCurrentSession());
        return driverNode;
    }

    private void flush() {
        flushes.incrementAndGet();
        Reregistration.Standing standing = reregistration.standing();
        requests.flush(standing.application().appId(), standing.address(), standing.epoch(), requestedTotal.get());
    }

    private void onLoop(Runnable step) {
        calls.ask("a test step", () -> {
            step.run();
            return null;
        }, Duration.ofSeconds(10));
    }

    /** A conversation that says nothing: the tests call the re-registration themselves. */
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
