package io.ember.core.driver.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.core.coordination.ClusterPaths;
import io.ember.core.coordination.CoordinationException;
import io.ember.core.coordination.EmbeddedZooKeeper;
import io.ember.core.coordination.ZooKeeperClients;
import io.ember.core.coordination.ZooKeeperSettings;
import io.ember.core.rpc.RpcChannels;
import io.ember.core.rpc.proto.ApplicationSpec;
import io.ember.core.rpc.proto.RegisterApplicationRequest;
import io.ember.core.testing.Eventually;
import io.ember.core.testing.TestingMaster;
import io.grpc.Status;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The driver's conversation with the leader master, against fake masters on real sockets and a real ZooKeeper. */
final class ApplicationClientTest {

    private static final ClusterPaths PATHS = new ClusterPaths("c1");
    private static final ApplicationDescriptor APP = ApplicationDescriptor.unregistered("report", "default", 2, 1 << 30,
            "127.0.0.1:5000", Map.of());
    /** APP as the master receives it. */
    private static final ApplicationSpec SPEC = ApplicationSpec.newBuilder()
            .setName("report").setQueue("default").setCoresPerExecutor(2).setMemoryPerExecutorBytes(1 << 30)
            .setDriverAddress("127.0.0.1:5000")
            .build();
    private static final Duration RPC_TIMEOUT = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final List<ApplicationClient> clients = new ArrayList<>();
    private EmbeddedZooKeeper zookeeper;
    private CuratorFramework masters;
    private CuratorFramework driverSession;
    private RpcChannels channels;

    @BeforeEach
    void start() {
        zookeeper = track(EmbeddedZooKeeper.start(dir));
        masters = track(ZooKeeperClients.connect(ZooKeeperSettings.of(zookeeper.connectString())));
        driverSession = track(ZooKeeperClients.connect(ZooKeeperSettings.of(zookeeper.connectString())));
        channels = track(new RpcChannels("testing-driver", Optional.empty()));
    }

    @AfterEach
    void stop() {
        clients.forEach(ApplicationClient::close);   // first, while their masters still answer
        for (int i = toClose.size() - 1; i >= 0; i--) {
            try {
                toClose.get(i).close();
            } catch (Exception e) {
                // cleaning up: keep going
            }
        }
    }

    @Test
    void registersWithTheLeaderAndCreatesTheDriverNode() throws Exception {
        TestingMaster leader = leader("m1", 1);
        ApplicationClient client = client(RPC_TIMEOUT);

        String appId = client.register(APP, 3);

        assertEquals(appId, client.applicationId());
        assertEquals(1, client.registeredEpoch());
        RegisterApplicationRequest request = leader.registrations.get(0);
        assertEquals(SPEC, request.getApp());
        assertEquals(3, request.getRequestedExecutors());
        Stat driverNode = masters.checkExists().forPath(PATHS.driver(appId));
        assertNotNull(driverNode, "the driver's node exists");
        assertEquals(driverSession.getZookeeperClient().getZooKeeper().getSessionId(), driverNode.getEphemeralOwner());
    }

    @Test
    void failsWithOneLineWhenNoLeaderAppears() {
        ApplicationClient client = client(Duration.ofMillis(500));

        CoordinationException e = assertThrows(CoordinationException.class, () -> client.register(APP, 1));

        assertEquals("no leader master for cluster c1 at " + zookeeper.connectString() + " after 500ms", e.getMessage());
    }

    @Test
    void retriesWhileTheMasterIsNotLeaderYet() throws Exception {
        TestingMaster leader = leader("m1", 1);
        leader.refusal = Status.UNAVAILABLE.withDescription("not the leader");
        ApplicationClient client = client(Duration.ofSeconds(30));

        CompletableFuture<String> registering = CompletableFuture.supplyAsync(() -> client.register(APP, 1));
        Eventually.await(() -> leader.refusals.get() >= 2, "the client tries again");
        assertFalse(registering.isDone());
        leader.refusal = null;

        String appId = registering.get(20, TimeUnit.SECONDS);
        assertEquals("app-m1-1", appId);
        assertEquals(1, leader.registrations.size(), "registered once, after the refusals");
    }

    @Test
    void refusesForGoodWhenTheMasterDoesNotAuthenticateTheDriver() {
        TestingMaster leader = track(new TestingMaster("m1", 1, masters, PATHS, Optional.of("a-secret-of-16-chars")));
        publish(leader);
        ApplicationClient client = client(Duration.ofSeconds(30));

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> client.register(APP, 1));

        assertEquals("cannot register application 'report': master m1 at " + leader.address()
                + " refused the call: not authenticated (check ember.auth.secret)", e.getMessage());
    }

    @Test
    void registersTheSameApplicationWithTheNewLeaderAfterAFailover() throws Exception {
        TestingMaster first = leader("m1", 1);
        ApplicationClient client = client(RPC_TIMEOUT);
        String appId = client.register(APP, 1);
        assertTrue(client.requestTotalExecutors(5));
        Eventually.await(() -> first.lastRequestedTotal() == 5, "the first leader hears of 5 executors");

        TestingMaster second = leader("m2", 2);

        Eventually.await(() -> client.registeredEpoch() == 2, "the client registers with the new leader");
        RegisterApplicationRequest again = second.registrations.get(0);
        assertEquals(appId, again.getApp().getAppId());
        assertEquals(SPEC.toBuilder().setAppId(appId).build(), again.getApp());
        assertEquals(5, again.getRequestedExecutors());
        assertEquals(second.address(), client.registeredAddress());

        assertTrue(client.requestTotalExecutors(7));
        Eventually.await(() -> second.lastRequestedTotal() == 7, "requests go to the new leader");
        assertEquals(5, first.lastRequestedTotal());
    }

    @Test
    void ignoresARegistrationResponseFromAnOlderEpoch() throws Exception {
        TestingMaster first = leader("m1", 1);
        ApplicationClient client = client(RPC_TIMEOUT);
        String appId = client.register(APP, 2);
        TestingMaster second = new TestingMaster("m2", 3, masters, PATHS, Optional.empty());
        track(second);
        second.responseEpoch = 2;   // answers as if it led an older epoch than the one ZooKeeper names

        publish(second);
        Eventually.await(() -> second.registrations.size() >= 2, "the stale answer is ignored and the call repeated");
        assertEquals(1, client.registeredEpoch());

        second.responseEpoch = 3;
        Eventually.await(() -> client.registeredEpoch() == 3, "the current epoch's answer is taken");
        assertEquals(appId, second.registrations.get(second.registrations.size() - 1).getApp().getAppId());
        assertEquals(1, first.registrations.size());
    }

    @Test
    void sendsKillsAndTheUnregistrationToTheLeaderAndDeletesTheDriverNodeOnClose() throws Exception {
        TestingMaster leader = leader("m1", 1);
        ApplicationClient client = client(RPC_TIMEOUT);
        String appId = client.register(APP, 2);

        assertTrue(client.killExecutors(List.of("e1", "e2"), 1));
        Eventually.await(() -> leader.kills.size() == 1, "the kill reaches the master");
        assertEquals(List.of("e1", "e2"), leader.kills.get(0).getExecutorIdsList());
        assertEquals(1, leader.kills.get(0).getTotal(), "the kill carries the new total");
        assertEquals(1, client.requestedTotal());
        assertEquals(List.of(), leader.totals, "no separate request: the kill carried the new total");
        assertTrue(client.unregister());
        assertEquals(appId, leader.unregistrations.get(0).getAppId());
        assertFalse(client.requestTotalExecutors(1), "an unregistered application asks for nothing");
        client.close();
        client.close();

        assertNull(masters.checkExists().forPath(PATHS.driver(appId)), "the driver's node is gone");
        assertEquals(1, leader.unregistrations.size());
    }

    @Test
    void answersWithTheDriversExecutors() {
        ApplicationClient client = new ApplicationClient(driverSession, PATHS, channels, RPC_TIMEOUT, RPC_TIMEOUT,
                () -> Set.of("e1", "e2"));
        clients.add(client);

        assertEquals(Set.of("e1", "e2"), client.executorIds());
        assertFalse(client.requestTotalExecutors(1), "not registered yet");
    }

    private ApplicationClient client(Duration leaderTimeout) {
        ApplicationClient client = new ApplicationClient(driverSession, PATHS, channels, RPC_TIMEOUT, leaderTimeout,
                Set::of);
        clients.add(client);
        return client;
    }

    private TestingMaster leader(String id, long epoch) {
        TestingMaster master = track(new TestingMaster(id, epoch, masters, PATHS, Optional.empty()));
        publish(master);
        return master;
    }

    private void publish(TestingMaster master) {
        try {
            master.publishAsLeader();
        } catch (Exception e) {
            throw new AssertionError("cannot publish " + master.masterId + " as leader", e);
        }
    }

    private <T extends AutoCloseable> T track(T closeable) {
        toClose.add(closeable);
        return closeable;
    }
}
