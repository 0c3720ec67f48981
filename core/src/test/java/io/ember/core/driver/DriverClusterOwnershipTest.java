package io.ember.core.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import io.ember.core.config.OpenClusterWarning;
import io.ember.core.coordination.ClusterPaths;
import io.ember.core.coordination.CoordinationException;
import io.ember.core.coordination.EmbeddedZooKeeper;
import io.ember.core.testing.CapturedLog;
import io.ember.core.testing.PlainZooKeeper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A driver on an {@code ember://} cluster: a squatted root refused with a secret, a warning without one. */
final class DriverClusterOwnershipTest {

    private static final String SECRET = "a-secret-of-at-least-16-chars";
    private static final ClusterPaths PATHS = new ClusterPaths("c1");

    @TempDir
    Path dir;

    private EmbeddedZooKeeper zookeeper;

    @BeforeEach
    void startZooKeeper() {
        zookeeper = EmbeddedZooKeeper.start(dir);
    }

    @AfterEach
    void stopZooKeeper() {
        zookeeper.close();
    }

    @Test
    void aDriverWithASecretRefusesARootSomeoneElseCreatedAndChangesNothing() throws Exception {
        try (ZooKeeper stranger = PlainZooKeeper.connect(zookeeper.connectString())) {
            stranger.create(ClusterPaths.NAMESPACE, new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            stranger.create(PATHS.root(), new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            Map<String, Stat> before = PlainZooKeeper.snapshot(stranger, ClusterPaths.NAMESPACE);
            Map<String, String> settings = settings("ember://" + zookeeper.connectString() + "/c1");
            settings.put("ember.auth.secret", SECRET);

            CoordinationException refused = assertThrows(CoordinationException.class,
                    () -> EmberContext.builder().isolated().setAll(settings).build().close());

            assertTrue(refused.getMessage().startsWith("ZooKeeper node /ember/c1 can be changed without the cluster's "
                    + "secret (world:anyone has cdrwa)"), refused.getMessage());
            assertEquals(before, PlainZooKeeper.snapshot(stranger, ClusterPaths.NAMESPACE), "nothing was changed");
        }
    }

    @Test
    void aDriverOnAnEmberClusterWithoutASecretWarnsOnceThatItIsOpen() throws IOException {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = free.getLocalPort();
        }
        Map<String, String> settings = settings("ember://127.0.0.1:" + port + "/c1");
        settings.put("ember.zookeeper.connectionTimeout", "500ms");

        try (CapturedLog log = CapturedLog.of(OpenClusterWarning.class)) {
            assertThrows(CoordinationException.class,
                    () -> EmberContext.builder().isolated().setAll(settings).build().close());
            List<String> warnings = log.messages(Level.WARN);
            assertEquals(1, warnings.size(), warnings.toString());
            assertTrue(warnings.get(0).startsWith("No ember.auth.secret is set: this driver's ZooKeeper nodes, RPC "
                    + "ports and shuffle service are open to anyone who can reach them"), warnings.get(0));
        }
    }

    @Test
    void aLocalDriverDoesNotWarn() {
        try (CapturedLog log = CapturedLog.of(OpenClusterWarning.class)) {
            EmberContext.builder().isolated().setAll(settings("local[1]")).build().close();
            assertEquals(List.of(), log.messages(Level.WARN));
        }
    }

    private static Map<String, String> settings(String master) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("ember.master", master);
        settings.put("ember.app.name", "owned");
        settings.put("ember.rpc.timeout", "2s");
        return settings;
    }
}
