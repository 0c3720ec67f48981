package io.ember.core.coordination;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.data.ACL;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

final class ZooKeeperClientsTest {

    @TempDir
    Path baseDir;

    @Test
    void givesUpOnAnUnreachableServerWithinTheConnectionTimeoutInOneLine() {
        ZooKeeperSettings settings = new ZooKeeperSettings("127.0.0.1:1", Duration.ofSeconds(4), Duration.ofSeconds(1),
                Optional.empty());
        long startNanos = System.nanoTime();
        CoordinationException e = assertThrows(CoordinationException.class, () -> ZooKeeperClients.connect(settings));
        long tookMillis = (System.nanoTime() - startNanos) / 1_000_000;
        System.out.printf("unreachable ZooKeeper refused after %d ms (connection timeout 1000 ms)%n", tookMillis);
        assertEquals("cannot reach ZooKeeper at 127.0.0.1:1 within 1s", e.getMessage());
        assertTrue(tookMillis >= 900, "waited the connection timeout: " + tookMillis + " ms");
        // Not a speed assertion: only that it gives up instead of hanging on.
        assertTrue(tookMillis < 15_000, "gave up: " + tookMillis + " ms");
    }

    @Test
    void connectsAndTheClientIsUsable() throws Exception {
        try (EmbeddedZooKeeper server = EmbeddedZooKeeper.start(baseDir);
                TestingClients clients = new TestingClients(server.connectString())) {
            CuratorFramework client = clients.open();
            assertTrue(client.getZookeeperClient().isConnected());
            client.create().forPath("/x");
            long startNanos = System.nanoTime();
            client.close();
            System.out.printf("client close took %d ms%n", (System.nanoTime() - startNanos) / 1_000_000);
        }
    }

    @Test
    void aChrootIsCreatedWithItsParentsAndEveryPathLiesBelowIt() throws Exception {
        try (EmbeddedZooKeeper server = EmbeddedZooKeeper.start(baseDir)) {
            ZooKeeperSettings rooted = ZooKeeperSettings.of(server.connectString() + "/apps/ember");
            try (CuratorFramework client = ZooKeeperClients.connect(rooted);
                    CuratorFramework second = ZooKeeperClients.connect(rooted);   // finds it made
                    CuratorFramework bare = ZooKeeperClients.connect(ZooKeeperSettings.of(server.connectString()))) {
                client.create().creatingParentsIfNeeded().forPath("/ember/c1/x");

                assertNotNull(bare.checkExists().forPath("/apps/ember/ember/c1/x"), "below the chroot");
                assertNull(bare.checkExists().forPath("/ember"), "nothing at the top");
                assertNotNull(second.checkExists().forPath("/ember/c1/x"));
            }
        }
    }

    @Test
    void withASecretTheChrootIsReadableByAllAndWritableByItsHoldersOnly() throws Exception {
        try (EmbeddedZooKeeper server = EmbeddedZooKeeper.start(baseDir);
                CuratorFramework client = ZooKeeperClients.connect(ZooKeeperSettings.of(server.connectString() + "/team")
                        .withSecret("the-secret-of-the-chroot-test"));
                CuratorFramework bare = ZooKeeperClients.connect(ZooKeeperSettings.of(server.connectString()))) {
            List<ACL> acl = bare.getACL().forPath("/team");

            // ZooKeeper masks a digest to a reader without it: the scheme and the permissions tell enough.
            assertEquals(List.of("digest " + ZooDefs.Perms.ALL, "world:anyone " + (ZooDefs.Perms.READ | ZooDefs.Perms.CREATE)),
                    acl.stream().map(entry -> (entry.getId().getScheme().equals("digest") ? "digest"
                            : entry.getId().getScheme() + ":" + entry.getId().getId()) + " " + entry.getPerms()).toList());
            assertTrue(client.getZookeeperClient().isConnected());
        }
    }

    @Test
    void aServerThatIsDownLogsNothingButTheOneLine() {
        // Connection timeout above the session timeout, as with the defaults (10s and 4s): Curator
        // must not start reporting a pending first connection as suspended or expired.
        ZooKeeperSettings settings = new ZooKeeperSettings("127.0.0.1:1", Duration.ofMillis(500),
                Duration.ofMillis(1500), Optional.empty());
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        root.addAppender(logged);
        long startNanos = System.nanoTime();
        try {
            CoordinationException e = assertThrows(CoordinationException.class,
                    () -> ZooKeeperClients.connect(settings));
            System.out.printf("unreachable ZooKeeper refused after %d ms (connection timeout 1500 ms)%n",
                    (System.nanoTime() - startNanos) / 1_000_000);
            assertEquals("cannot reach ZooKeeper at 127.0.0.1:1 within 1500ms", e.getMessage());
        } finally {
            root.detachAppender(logged);
        }
        List<String> warnings = logged.list.stream()
                .filter(event -> event.getLevel().isGreaterOrEqual(Level.WARN))
                .map(event -> event.getLoggerName() + ": " + event.getFormattedMessage())
                .toList();
        assertEquals(List.of(), warnings);
    }

    @Test
    void settingsNeverShowTheSecret() {
        ZooKeeperSettings settings = ZooKeeperSettings.of("zk:2181").withSecret("0123456789abcdef-very-secret");
        assertFalse(settings.toString().contains("very-secret"), settings.toString());
        assertEquals("ZooKeeperSettings[connectString=zk:2181, sessionTimeout=4s, connectionTimeout=10s, secret=(set)]",
                settings.toString());
    }

    @Test
    void settingsRefuseNonsense() {
        assertThrows(IllegalArgumentException.class, () -> ZooKeeperSettings.of(" "));
        assertThrows(IllegalArgumentException.class,
                () -> ZooKeeperSettings.of("zk:1").withTimeouts(Duration.ZERO, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> ZooKeeperSettings.of("zk:1").withSecret(""));
    }
}
