package io.ember.core.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.api.cluster.ExecutorInfo;
import io.ember.core.coordination.ClusterPaths;
import io.ember.core.coordination.EmbeddedZooKeeper;
import io.ember.core.coordination.ZooKeeperClients;
import io.ember.core.coordination.ZooKeeperSettings;
import io.ember.core.rpc.proto.ExecutorMessage;
import io.ember.core.rpc.proto.Heartbeat;
import io.ember.core.rpc.proto.RegisterExecutor;
import io.ember.core.rpc.proto.StoredExecutor;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Executors in this JVM, against an embedded ZooKeeper and a fake driver on real sockets. */
final class ExecutorBackendTest {

    private static final String CLUSTER = "executors";
    private static final ClusterPaths PATHS = new ClusterPaths(CLUSTER);
    private static final String APP = "app-1";
    private static final String SECRET = "a-secret-of-sixteen-chars";

    @TempDir
    Path dir;

    private EmbeddedZooKeeper zooKeeper;
    private CuratorFramework admin;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeEach
    void startZooKeeper() throws Exception {
        zooKeeper = EmbeddedZooKeeper.start(dir);
        admin = ZooKeeperClients.connect(ZooKeeperSettings.of(zooKeeper.connectString()));
        admin.create().creatingParentsIfNeeded().forPath(PATHS.app(APP));
    }

    @AfterEach
    void stopEverything() {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            try {
                toClose.get(i).close();
            } catch (Exception e) {
                // cleaning up: keep going
            }
        }
        admin.close();
        zooKeeper.close();
    }

    private TestingDriver driver(String appId, Optional<String> secret) {
        return track(TestingDriver.start(appId, 50, secret));
    }

    private ExecutorBackend executor(String executorId, String driverAddress, Optional<String> secret) {
        ExecutorArguments arguments = new ExecutorArguments(APP, executorId, "worker-1", driverAddress, 2, "127.0.0.1",
                zooKeeper.connectString(), CLUSTER, Duration.ofSeconds(4), Map.of());
        return track(ExecutorBackend.start(arguments, secret));
    }

    private <T extends AutoCloseable> T track(T closeable) {
        toClose.add(closeable);
        return closeable;
    }

    private boolean inRegistry(String executorId) {
        return inRegistry(admin, executorId);
    }

    private static boolean inRegistry(CuratorFramework client, String executorId) {
        try {
            return client.checkExists().forPath(PATHS.executor(APP, executorId)) != null;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static int exitCode(ExecutorBackend executor) throws Exception {
        return executor.exitCode().get(30, TimeUnit.SECONDS);
    }

    @Test
    void registersWithItsDriverThenInTheRegistryAndHeartbeats() throws Exception {
        TestingDriver driver = driver(APP, Optional.empty());
        ExecutorBackend executor = executor("1", driver.address(), Optional.empty());

        RegisterExecutor registered = driver.awaitRegistration("1").message();
        assertEquals(RegisterExecutor.newBuilder().setExecutorId("1").setWorkerId("worker-1").setHost("127.0.0.1")
                .setCores(2).setPid(ProcessHandle.current().pid()).build(), registered);
        assertEquals(ExecutorMessage.KindCase.REGISTER, driver.firstMessages().get(0).getKindCase());

        Poll.until(() -> inRegistry("1"), () -> "executor 1 in the registry");
        StoredExecutor stored = StoredExecutor.parseFrom(admin.getData().forPath(PATHS.executor(APP, "1")));
        assertEquals("1", stored.getSpec().getExecutorId());
        assertEquals(APP, stored.getSpec().getAppId());
        assertEquals("worker-1", stored.getSpec().getWorkerId());
        assertEquals(2, stored.getSpec().getCores());
        assertEquals(driver.address(), stored.getSpec().getDriverAddress());
        assertEquals("127.0.0.1", stored.getHost());
        assertEquals(ProcessHandle.current().pid(), stored.getPid());

        List<Heartbeat> heartbeats = driver.awaitHeartbeats("1", 3);
        assertTrue(heartbeats.get(2).getSentAtMillis() >= heartbeats.get(0).getSentAtMillis(), heartbeats.toString());
        assertEquals(0, heartbeats.get(0).getActiveTasks());
        assertTrue(heartbeats.get(0).getHeapUsedBytes() > 0, heartbeats.toString());
        assertEquals(new ExecutorInfo("1", APP, "worker-1", "127.0.0.1", 0, 2), executor.info());
        assertEquals(0, executor.activeTasks());
        assertFalse(executor.exitCode().isDone());
    }

    @Test
    void exitsCleanlyOnShutdownAndLeavesTheRegistryAtOnce() throws Exception {
        TestingDriver driver = driver(APP, Optional.empty());
        ExecutorBackend executor = executor("1", driver.address(), Optional.empty());
        driver.awaitRegistration("1");
        Poll.until(() -> inRegistry("1"), () -> "executor 1 in the registry");

        driver.shutdown("1", "application finished");

        assertEquals(ExecutorBackend.EXIT_CLEAN, exitCode(executor));
        assertFalse(inRegistry("1"), "the node goes with the closed session, not after the session timeout");
        assertEquals("completed", driver.awaitStreamEnd("1"));
    }

    @Test
    void exitsCleanlyWhenTheDriverCompletesTheStream() throws Exception {
        TestingDriver driver = driver(APP, Optional.empty());
        ExecutorBackend executor = executor("1", driver.address(), Optional.empty());
        driver.awaitRegistration("1");

        driver.complete("1");

        assertEquals(ExecutorBackend.EXIT_CLEAN, exitCode(executor));
    }

    @Test
    void exitsWithFailureWhenTheDriverCancelsTheStream() throws Exception {
        TestingDriver driver = driver(APP, Optional.empty());
        ExecutorBackend executor = executor("1", driver.address(), Optional.empty());
        driver.awaitRegistration("1");

        driver.fail("1");

        assertEquals(ExecutorBackend.EXIT_FAILURE, exitCode(executor));
    }

    @Test
    void exitsWithFailureWhenTheDriverDies() throws Exception {
        TestingDriver driver = driver(APP, Optional.empty());
        ExecutorBackend executor = executor("1", driver.address(), Optional.empty());
        driver.awaitRegistration("1");
        Poll.until(() -> inRegistry("1"), () -> "executor 1 in the registry");

        driver.close();

        assertEquals(ExecutorBackend.EXIT_FAILURE, exitCode(executor));
        assertFalse(inRegistry("1"));
    }

    @Test
    void exitsWithFailureWhenTheDriverCannotBeReached() throws Exception {
        ExecutorBackend executor = executor("1", "127.0.0.1:" + closedPort(), Optional.empty());

        assertEquals(ExecutorBackend.EXIT_FAILURE, exitCode(executor));
        assertFalse(inRegistry("1"));
    }

    @Test
    void exitsWithFailureWhenTheDriverServesAnotherApplication() throws Exception {
        TestingDriver driver = driver("app-2", Optional.empty());
        ExecutorBackend executor = executor("1", driver.address(), Optional.empty());

        assertEquals(ExecutorBackend.EXIT_FAILURE, exitCode(executor));
        assertFalse(inRegistry("1"));
    }

    @Test
    void closeEndsTheStreamAndLeavesTheRegistry() throws Exception {
        TestingDriver driver = driver(APP, Optional.empty());
        ExecutorBackend executor = executor("1", driver.address(), Optional.empty());
        driver.awaitRegistration("1");
        Poll.until(() -> inRegistry("1"), () -> "executor 1 in the registry");

        executor.close();

        assertEquals(ExecutorBackend.EXIT_CLEAN, exitCode(executor));
        assertNull(admin.checkExists().forPath(PATHS.executor(APP, "1")));
        assertEquals("completed", driver.awaitStreamEnd("1"));
        executor.close();
    }

    @Test
    void registersAtADriverThatRequiresTheSecretWhenItHasIt() throws Exception {
        TestingDriver driver = driver(APP, Optional.of(SECRET));
        executor("1", driver.address(), Optional.of(SECRET));

        driver.awaitRegistration("1");
        // The node has the cluster's digest ACL: only a client with the secret may look at it.
        CuratorFramework authenticated = track(ZooKeeperClients.connect(
                ZooKeeperSettings.of(zooKeeper.connectString()).withSecret(SECRET)));
        Poll.until(() -> inRegistry(authenticated, "1"), () -> "executor 1 in the registry");
    }

    @Test
    void isRefusedByADriverThatRequiresASecretItDoesNotHave() throws Exception {
        TestingDriver driver = driver(APP, Optional.of(SECRET));
        ExecutorBackend executor = executor("1", driver.address(), Optional.of("another-secret-of-16-chars"));

        assertEquals(ExecutorBackend.EXIT_FAILURE, exitCode(executor));
        assertFalse(driver.isRegistered("1"));
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
