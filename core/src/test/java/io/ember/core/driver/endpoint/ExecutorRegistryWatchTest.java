package io.ember.core.driver.endpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.core.coordination.ClusterPaths;
import io.ember.core.coordination.EmbeddedZooKeeper;
import io.ember.core.coordination.ZooKeeperClients;
import io.ember.core.coordination.ZooKeeperSettings;
import io.ember.core.testing.Eventually;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.CreateMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The driver gives an executor up when its registry node stays away, not when it comes straight back. */
final class ExecutorRegistryWatchTest {

    private static final ClusterPaths PATHS = new ClusterPaths("registry");
    private static final String APP = "app-1";
    private static final Duration GRACE = Duration.ofMillis(500);

    @TempDir
    Path dir;

    @Test
    void anExecutorWhoseNodeComesBackWithinTheGraceIsKeptAndOneWhoseNodeStaysAwayIsDropped() throws Exception {
        Map<String, Long> dropped = new ConcurrentHashMap<>();
        try (EmbeddedZooKeeper server = EmbeddedZooKeeper.start(dir);
             CuratorFramework zk = ZooKeeperClients.connect(ZooKeeperSettings.of(server.connectString()));
             ExecutorRegistryWatch watch = new ExecutorRegistryWatch(zk, PATHS, APP, GRACE,
                     () -> Set.of("returning", "gone"), (id, reason) -> dropped.put(id, System.nanoTime()))) {
            zk.create().creatingParentsIfNeeded().forPath(PATHS.executors(APP));
            for (String id : Set.of("returning", "gone", "unknown")) {
                zk.create().withMode(CreateMode.EPHEMERAL).forPath(PATHS.executors(APP) + "/" + id);
            }
            watch.start();
            Eventually.await(watch::initialized, "the watch has read the registry");

            long deletedAt = System.nanoTime();
            zk.delete().forPath(PATHS.executors(APP) + "/returning");
            zk.delete().forPath(PATHS.executors(APP) + "/unknown");
            zk.delete().forPath(PATHS.executors(APP) + "/gone");
            zk.create().withMode(CreateMode.EPHEMERAL).forPath(PATHS.executors(APP) + "/returning");

            Eventually.await(() -> dropped.containsKey("gone"), "the executor whose node stayed away was dropped");
            assertTrue(dropped.get("gone") - deletedAt >= GRACE.toNanos(), "dropped only after the grace");
            // "returning" vanished before "gone", and its check ran first on the same timer.
            assertEquals(Set.of("gone"), dropped.keySet(), "the returning executor is kept; an unknown one is ignored");
        }
    }
}
