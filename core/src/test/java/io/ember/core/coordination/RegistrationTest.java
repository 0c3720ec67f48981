package io.ember.core.coordination;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.ember.core.testing.Eventually;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.CreateMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

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

    /**
     * The client gives its session up while the server still holds it and the node (as after an
     * outage of the ensemble): the registration takes its own node back on the new session before
     * the owner hears, without waiting for the server to expire the old session.
     */
    @Test
    void afterAnExpiredSessionTheNodeComesBackOnTheNewSessionBeforeTheOwnerHears() throws Exception {
        // A long session: the server would take a minute to expire the old one and free the path.
        CuratorFramework worker = clients.track(ZooKeeperClients.connect(
                clients.settings().withTimeouts(Duration.ofSeconds(60), Duration.ofSeconds(10))));
        Registration registration = new Registrations(worker, PATHS).registerWorker("w1", "spec".getBytes(UTF_8));
        long oldSession = session(worker);
        List<Long> ownersWhenTold = new CopyOnWriteArrayList<>();
        registration.whenSessionRenewed(Runnable::run, () -> ownersWhenTold.add(owner(PATHS.worker("w1"))));

        worker.getZookeeperClient().getZooKeeper().getTestable().injectSessionExpiration();
        Eventually.await(Duration.ofSeconds(15), () -> ownersWhenTold.size() == 1,
                "the owner heard of the new session, long before the server expired the old one");

        long newSession = session(worker);
        assertNotEquals(oldSession, newSession);
        assertEquals(List.of(newSession), ownersWhenTold, "the node was back, on the new session, when the owner heard");
        assertTrue(registration.onCurrentSession());
        assertArrayEquals("spec".getBytes(UTF_8), admin.getData().forPath(PATHS.worker("w1")));
        registration.recreate();   // what an owner's renewal may do: keeps the node as it is
        assertEquals(newSession, owner(PATHS.worker("w1")));
        assertEquals(1, ownersWhenTold.size());
    }

    /** Another process's node at the same path is never taken: the registration keeps trying until it is free. */
    @Test
    void aNodeOfAnotherSessionIsNotTakenButWaitedFor() throws Exception {
        CuratorFramework worker = clients.open();
        Registration registration = new Registrations(worker, PATHS).registerWorker("w1", "mine".getBytes(UTF_8));
        AtomicInteger renewals = new AtomicInteger();
        registration.whenSessionRenewed(Runnable::run, renewals::incrementAndGet);
        CuratorFramework other = clients.open();
        admin.delete().forPath(PATHS.worker("w1"));
        other.create().withMode(CreateMode.EPHEMERAL).forPath(PATHS.worker("w1"), "theirs".getBytes(UTF_8));

        Logger registrationLog = (Logger) LoggerFactory.getLogger(Registration.class);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        registrationLog.addAppender(logged);
        try {
            worker.getZookeeperClient().getZooKeeper().getTestable().injectSessionExpiration();
            Eventually.await(() -> logged.list.stream().anyMatch(e -> e.getFormattedMessage()
                    .startsWith("Could not register worker w1 again")), "a healing attempt was refused");
        } finally {
            registrationLog.detachAppender(logged);
        }
        assertEquals(0, renewals.get());
        assertArrayEquals("theirs".getBytes(UTF_8), admin.getData().forPath(PATHS.worker("w1")));

        other.close();   // its session ends: the path is free
        Eventually.await(() -> renewals.get() == 1, "the registration came back once the path was free");
        assertArrayEquals("mine".getBytes(UTF_8), admin.getData().forPath(PATHS.worker("w1")));
        assertEquals(session(worker), owner(PATHS.worker("w1")));
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

    private long owner(String path) {
        try {
            return admin.checkExists().forPath(path).getEphemeralOwner();
        } catch (Exception e) {
            throw new AssertionError(e);
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
