package io.ember.core.driver.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.api.cluster.ApplicationInfo;
import io.ember.api.config.DeclaredSettings;
import io.ember.core.coordination.ClusterPaths;
import io.ember.core.coordination.EmbeddedZooKeeper;
import io.ember.core.coordination.ZooKeeperClients;
import io.ember.core.coordination.ZooKeeperSettings;
import io.ember.core.master.MasterOptions;
import io.ember.core.master.MasterServer;
import io.ember.core.master.Placement;
import io.ember.core.rpc.RpcChannels;
import io.ember.core.testing.Eventually;
import io.ember.scheduler.fifo.FifoSchedulerFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A driver whose ZooKeeper session expires keeps its application, against a real master. */
final class DriverSessionExpiryTest {

    private static final ClusterPaths PATHS = new ClusterPaths("expiry");
    /** The master's grace for a driver to come back before it ends the application. */
    private static final Duration GRACE = Duration.ofMillis(200);

    @TempDir
    Path dir;

    @Test
    void theApplicationIsRegisteredAgainAndItsDriverNodeRecreated() throws Exception {
        try (EmbeddedZooKeeper zooKeeper = EmbeddedZooKeeper.start(dir)) {
            ZooKeeperSettings zk = ZooKeeperSettings.of(zooKeeper.connectString())
                    .withTimeouts(Duration.ofSeconds(4), Duration.ofSeconds(10));
            try (MasterServer master = MasterServer.start(new MasterOptions(PATHS.cluster(), zk, "127.0.0.1", 0,
                         Placement.SPREAD, Optional.empty(), Duration.ofSeconds(5), GRACE,
                         MasterOptions.newMasterId("127.0.0.1")),
                         new FifoSchedulerFactory().create(DeclaredSettings.of(List.of(), Map.of())));
                 CuratorFramework driverZk = ZooKeeperClients.connect(zk);
                 CuratorFramework observer = ZooKeeperClients.connect(zk);
                 RpcChannels channels = new RpcChannels("driver", Optional.empty());
                 ApplicationClient client = new ApplicationClient(driverZk, PATHS, channels, Duration.ofSeconds(5),
                         Duration.ofSeconds(20), Set::of)) {
                String appId = client.register(ApplicationDescriptor.unregistered("long-running", "default", 1,
                        1L << 30, "127.0.0.1:9", Map.of()), 0);
                long firstOwner = driverNodeOwner(observer, appId);

                driverZk.getZookeeperClient().getZooKeeper().getTestable().injectSessionExpiration();

                Eventually.await("the driver node is back under a new session", () -> {
                    long owner = driverNodeOwner(observer, appId);
                    return owner != 0 && owner != firstOwner;
                });
                Eventually.await("the master has the application", () -> master.applications().stream()
                        .map(ApplicationInfo::applicationId).anyMatch(appId::equals));
                assertEquals(appId, client.applicationId());

                // The master checks a vanished driver node only after the grace: ask again once it is over,
                // so a master that ended the application anyway fails this test.
                long graceOver = System.nanoTime() + GRACE.multipliedBy(5).toNanos();
                Eventually.await("the grace is over", () -> System.nanoTime() > graceOver);
                assertTrue(master.applications().stream().map(ApplicationInfo::applicationId).anyMatch(appId::equals),
                        "the application survived its driver's session expiry");
            }
        }
    }

    private static long driverNodeOwner(CuratorFramework zk, String appId) {
        try {
            Stat stat = zk.checkExists().forPath(PATHS.driver(appId));
            return stat == null ? 0 : stat.getEphemeralOwner();
        } catch (Exception e) {
            return 0;
        }
    }
}
