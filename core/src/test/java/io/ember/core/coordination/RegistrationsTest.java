package io.ember.core.coordination;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.core.testing.Eventually;
import java.nio.file.Path;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.CreateMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class RegistrationsTest {

    private static final ClusterPaths PATHS = new ClusterPaths("registry");

    @TempDir
    Path baseDir;

    private EmbeddedZooKeeper server;
    private TestingClients clients;
    private CuratorFramework admin;

    @BeforeEach
    void startServer() {
        server = EmbeddedZooKeeper.start(baseDir);
        clients = new TestingClients(server.connectString());
        admin = clients.open();
    }

    @AfterEach
    void stopServer() {
        clients.close();
        server.close();
    }

    private Registrations on(CuratorFramework client) {
        return new Registrations(client, PATHS);
    }

    @Test
    void aWorkerIsEphemeralAndGoesWithItsSession() throws Exception {
        CuratorFramework worker = clients.open();
        Registration registration = on(worker).registerWorker("w1", "cores=4".getBytes(UTF_8));
        assertEquals("/ember/registry/workers/w1", registration.path());
        assertArrayEquals("cores=4".getBytes(UTF_8), admin.getData().forPath(PATHS.worker("w1")));
        assertEquals(worker.getZookeeperClient().getZooKeeper().getSessionId(),
                admin.checkExists().forPath(PATHS.worker("w1")).getEphemeralOwner());

        worker.close();
        Eventually.await(() -> exists(PATHS.worker("w1")) == false, "the node went with the session");
    }

    @Test
    void closeRemovesTheNodeOnce() throws Exception {
        Registration registration = on(clients.open()).registerWorker("w1", new byte[0]);
        registration.close();
        assertNull(admin.checkExists().forPath(PATHS.worker("w1")));
        registration.close();
    }

    @Test
    void closeNeverRemovesASuccessorsNode() throws Exception {
        Registration stale = on(clients.open()).registerWorker("w1", "old".getBytes(UTF_8));
        admin.delete().forPath(PATHS.worker("w1"));
        on(clients.open()).registerWorker("w1", "new".getBytes(UTF_8));

        stale.close();
        assertArrayEquals("new".getBytes(UTF_8), admin.getData().forPath(PATHS.worker("w1")));
    }

    @Test
    void anIdHeldByAnotherLiveProcessIsRefused() {
        on(clients.open()).registerWorker("w1", new byte[0]);
        CoordinationException e = assertThrows(CoordinationException.class,
                () -> on(clients.open()).registerWorker("w1", new byte[0]));
        assertTrue(e.getMessage().startsWith("worker w1 is already registered at /ember/registry/workers/w1 by another "
                + "live process (ZooKeeper session 0x"), e.getMessage());
        assertTrue(e.getMessage().endsWith("ids must be unique. If that process crashed, its registration goes after "
                + "the session timeout."), e.getMessage());
    }

    @Test
    void registeringAgainOnTheSameSessionReplacesTheSpec() throws Exception {
        Registrations registrations = on(clients.open());
        registrations.registerWorker("w1", "v1".getBytes(UTF_8));
        registrations.registerWorker("w1", "v2".getBytes(UTF_8));
        assertArrayEquals("v2".getBytes(UTF_8), admin.getData().forPath(PATHS.worker("w1")));
    }

    @Test
    void driversAndExecutorsNeedTheApplicationStoredFirst() throws Exception {
        Registrations registrations = on(clients.open());
        CoordinationException driver = assertThrows(CoordinationException.class,
                () -> registrations.registerDriver("app-1"));
        assertEquals("cannot register the driver of application app-1: application app-1 is not stored in ZooKeeper "
                + "(no /ember/registry/apps/app-1); the leader master stores it first", driver.getMessage());
        CoordinationException executor = assertThrows(CoordinationException.class,
                () -> registrations.registerExecutor("app-1", "1", new byte[0]));
        assertEquals("cannot register executor 1 of application app-1: application app-1 is not stored in ZooKeeper "
                + "(no /ember/registry/apps/app-1); the leader master stores it first", executor.getMessage());
        assertNull(admin.checkExists().forPath(PATHS.app("app-1")), "nothing was created on the way");
    }

    @Test
    void executorsGetTheirContainerOnDemand() throws Exception {
        admin.create().creatingParentsIfNeeded().withMode(CreateMode.PERSISTENT).forPath(PATHS.app("app-1"));
        Registrations registrations = on(clients.open());
        Registration driver = registrations.registerDriver("app-1");
        Registration executor = registrations.registerExecutor("app-1", "1", "host:port".getBytes(UTF_8));

        assertNotNull(admin.checkExists().forPath(PATHS.driver("app-1")));
        assertArrayEquals("host:port".getBytes(UTF_8), admin.getData().forPath(PATHS.executor("app-1", "1")));
        executor.close();
        driver.close();
        assertNull(admin.checkExists().forPath(PATHS.executor("app-1", "1")));
        assertNull(admin.checkExists().forPath(PATHS.driver("app-1")));
    }

    @Test
    void refusesBadIds() {
        Registrations registrations = on(admin);
        assertThrows(IllegalArgumentException.class, () -> registrations.registerWorker("a/b", new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> registrations.registerExecutor("app", "..", new byte[0]));
        assertThrows(NullPointerException.class, () -> registrations.registerWorker("w", null));
        assertThrows(NullPointerException.class, () -> new Registrations(null, PATHS));
    }

    private boolean exists(String path) {
        try {
            return admin.checkExists().forPath(path) != null;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
