package io.ember.core.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.api.cluster.ExecutorInfo;
import io.ember.core.coordination.ClusterPaths;
import io.ember.core.coordination.ZooKeeperClients;
import io.ember.core.coordination.ZooKeeperSettings;
import io.ember.core.driver.EmberContext;
import io.ember.core.rpc.proto.StoredExecutor;
import io.ember.core.testing.Eventually;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.Test;

/** {@code local-cluster[W,C]}: embedded ZooKeeper, master and workers in this JVM, executors as real processes. */
final class LocalClusterTest {

    @Test
    void anApplicationsExecutorsRunOnEveryWorkerAndAreAllGoneWhenItStops() throws Exception {
        EmberContext context = EmberContext.builder().isolated()
                .master("local-cluster[2,1]")
                .appName("local-cluster-test")
                .set("ember.executor.memory", "128m")
                .set("ember.executor.instances", "2")
                .build();
        String appId;
        Set<Long> pids;
        try (CuratorFramework zk = ZooKeeperClients.connect(ZooKeeperSettings.of(context.zookeeperConnect()))) {
            long started = System.nanoTime();
            List<ExecutorInfo> executors = context.awaitExecutors(2, Duration.ofSeconds(60));
            System.out.printf("2 executors registered %d ms after the application registered%n",
                    (System.nanoTime() - started) / 1_000_000);
            appId = context.applicationId();
            ClusterPaths paths = new ClusterPaths(context.cluster());

            assertEquals(2, executors.stream().map(ExecutorInfo::workerId).distinct().count(),
                    "one executor on each worker: " + executors);
            Eventually.await("both executors in the registry",
                    () -> children(zk, paths.executors(appId)).size() == 2);
            pids = registeredPids(zk, paths, appId);
            assertEquals(2, pids.size(), "two executor processes");
            for (long pid : pids) {
                assertTrue(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "executor " + pid + " runs");
            }

            context.close();

            Eventually.await("the executor processes exit",
                    () -> pids.stream().noneMatch(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)));
            Eventually.await("the registry forgets them", () -> children(zk, paths.executors(appId)).isEmpty());
        } finally {
            context.close();
        }
    }

    private static List<String> children(CuratorFramework zk, String path) {
        try {
            return zk.getChildren().forPath(path);
        } catch (Exception e) {
            return List.of();
        }
    }

    /** The executor processes' pids, from their registry records. */
    private static Set<Long> registeredPids(CuratorFramework zk, ClusterPaths paths, String appId) throws Exception {
        Set<Long> pids = new java.util.HashSet<>();
        for (String executor : children(zk, paths.executors(appId))) {
            pids.add(StoredExecutor.parseFrom(zk.getData().forPath(paths.executor(appId, executor))).getPid());
        }
        return pids;
    }
}
