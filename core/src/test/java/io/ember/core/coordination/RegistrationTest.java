package io.ember.core.coordination;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.core.testing.Eventually;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One registration across an expired session: who is told, and what {@link Registration#recreate()} does. */
final class RegistrationTest {

    private static final ClusterPaths PATHS = new ClusterPaths("renewal");

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

    @Test
    void anExpiredSessionTellsTheOwnerOnceAndRecreateBringsTheNodeBack() throws Exception {
        CuratorFramework worker = clients.open();
        Registration registration = new Registrations(worker, PATHS).registerWorker("w1", "spec".getBytes(UTF_8));
        AtomicInteger renewals = new AtomicInteger();
        registration.whenSessionRenewed(Runnable::run, renewals::incrementAndGet);
        assertTrue(registration.onCurrentSession());

        worker.getZookeeperClient().getZooKeeper().getTestable().injectSessionExpiration();
        Eventually.await(() -> renewals.get() == 1, "the owner heard of the new session");
        assertFalse(registration.onCurrentSession());
        Eventually.await(() -> !exists(PATHS.worker("w1")), "the node went with the old session");

        registration.recreate();
        assertTrue(registration.onCurrentSession());
        assertArrayEquals("spec".getBytes(UTF_8), admin.getData().forPath(PATHS.worker("w1")));
        assertEquals(worker.getZookeeperClient().getZooKeeper().getSessionId(),
                admin.checkExists().forPath(PATHS.worker("w1")).getEphemeralOwner());
        assertEquals(1, renewals.get());
    }

    @Test
    void aClosedRegistrationHearsNothingMore() throws Exception {
        CuratorFramework worker = clients.open();
        Registration registration = new Registrations(worker, PATHS).registerWorker("w1", new byte[0]);
        AtomicInteger renewals = new AtomicInteger();
        registration.whenSessionRenewed(Runnable::run, renewals::incrementAndGet);
        registration.close();
        assertNull(admin.checkExists().forPath(PATHS.worker("w1")));

        long before = worker.getZookeeperClient().getZooKeeper().getSessionId();
        worker.getZookeeperClient().getZooKeeper().getTestable().injectSessionExpiration();
        Eventually.await(() -> worker.getZookeeperClient().isConnected() && session(worker) != before,
                "the client has a new session");
        assertEquals(0, renewals.get());
    }

    @Test
    void aSecondRenewalIsRefused() {
        Registration registration = new Registrations(clients.open(), PATHS).registerWorker("w1", new byte[0]);
        registration.whenSessionRenewed(Runnable::run, () -> { });
        assertThrows(IllegalStateException.class, () -> registration.whenSessionRenewed(Runnable::run, () -> { }));
    }

    private static long session(CuratorFramework client) {
        try {
            return client.getZookeeperClient().getZooKeeper().getSessionId();
        } catch (Exception e) {
            return -1;
        }
    }

    private boolean exists(String path) {
        try {
            return admin.checkExists().forPath(path) != null;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
