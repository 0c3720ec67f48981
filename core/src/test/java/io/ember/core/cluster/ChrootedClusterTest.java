package io.ember.core.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.ember.core.coordination.ZooKeeperClients;
import io.ember.core.coordination.ZooKeeperSettings;
import io.ember.core.dataset.Pair;
import io.ember.core.driver.EmberContext;
import java.time.Duration;
import java.util.Map;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A cluster whose ZooKeeper connect string names a chroot ({@code ember.zookeeper.connect=
 * host:port/apps/ember}, {@code ember://host:port/apps/ember/<cluster>}): a master process, a
 * worker and a driver find each other under it, executors register there, a shuffle job runs, and
 * nothing is written outside it.
 */
final class ChrootedClusterTest {

    private static final String CHROOT = "/apps/ember";

    @RegisterExtension
    final ProcessClusterExtension cluster = ProcessClusterExtension.withMasters(1).withWorkers(1, 2)
            .withChroot(CHROOT);

    @Test
    void masterWorkerDriverAndExecutorsWorkUnderAChroot() throws Exception {
        cluster.awaitLeaderAbove(0);
        EmberContext context = cluster.startApplication(cluster.applicationSettings("chrooted", 1));
        context.awaitExecutors(1, Duration.ofSeconds(60));

        Map<Integer, Integer> counts = context.range(0, 100, 4).mapToPair(i -> new Pair<>((int) (i % 3), 1))
                .reduceByKey(Integer::sum, 2).collectAsMap();

        assertEquals(Map.of(0, 34, 1, 33, 2, 33), counts, "a shuffle job's exact result");
        String servers = cluster.zookeeperConnect().substring(0, cluster.zookeeperConnect().indexOf('/'));
        try (CuratorFramework bare = ZooKeeperClients.connect(ZooKeeperSettings.of(servers))) {
            assertNotNull(bare.checkExists().forPath(CHROOT + "/ember"), "the cluster's nodes are under the chroot");
            assertNull(bare.checkExists().forPath("/ember"), "nothing outside it");
        }
    }
}
