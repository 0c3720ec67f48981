package io.ember.core.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import io.ember.api.cluster.ExecutorInfo;
import io.ember.api.config.DeclaredSettings;
import io.ember.core.bootstrap.Bootstrap;
import io.ember.core.bootstrap.EmberEnvironment;
import io.ember.core.bootstrap.LaunchContext;
import io.ember.core.config.ConfigException;
import io.ember.core.config.OpenClusterWarning;
import io.ember.core.coordination.ClusterPaths;
import io.ember.core.coordination.ZooKeeperClients;
import io.ember.core.coordination.ZooKeeperSettings;
import io.ember.core.driver.EmberContext;
import io.ember.core.testing.CapturedLog;
import io.ember.core.testing.Eventually;
import io.ember.core.testing.JavaProcesses;
import io.ember.core.testing.RegistryReader;
import io.ember.scheduler.fair.FairSchedulerFactory;
import io.ember.scheduler.fifo.FifoSchedulerFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.Test;

/** A local cluster: embedded ZooKeeper, master and workers in this JVM, executors as real processes. */
final class LocalClusterTest {

    private static final Map<String, String> SETTINGS = Map.of("ember.executor.memory", "128m",
            "ember.executor.instances", "2", "ember.app.name", "local-cluster-test");

    @Test
    void anApplicationsExecutorsRunOnEveryWorkerAndAreAllGoneWhenItStops() throws Exception {
        try (EmberEnvironment environment = new Bootstrap(new LaunchContext(Optional.empty(), Optional.empty(),
                Map.of(), Map.of(), SETTINGS)).load();
             LocalCluster cluster = LocalCluster.start(2, 1, environment.config(),
                     new FifoSchedulerFactory().create(DeclaredSettings.of(List.of(), Map.of())));
             CuratorFramework zk = ZooKeeperClients.connect(ZooKeeperSettings.of(cluster.zookeeperConnect()))) {
            ClusterPaths paths = new ClusterPaths(cluster.cluster());
            RegistryReader registry = new RegistryReader(zk, paths);
            EmberContext context = EmberContext.builder().isolated().setAll(SETTINGS).master(cluster.masterUrl()).build();
            String appId = context.applicationId();
            Set<Long> pids;
            try {
                long started = System.nanoTime();
                List<ExecutorInfo> executors = context.awaitExecutors(2, Duration.ofSeconds(60));
                System.out.printf("2 executors registered %d ms after the application registered%n",
                        (System.nanoTime() - started) / 1_000_000);

                assertEquals(2, executors.stream().map(ExecutorInfo::workerId).distinct().count(),
                        "one executor on each worker: " + executors);
                Eventually.await("both executors in the registry",
                        () -> registry.children(paths.executors(appId)).size() == 2);
                pids = Set.copyOf(registry.registeredPids(appId).values());
                assertEquals(2, pids.size(), "two executor processes");
                for (long pid : pids) {
                    assertTrue(JavaProcesses.alive(pid), "executor " + pid + " runs");
                }
            } finally {
                context.close();
            }

            Eventually.await("the executor processes exit", () -> pids.stream().noneMatch(JavaProcesses::alive));
            Eventually.await("the application leaves ZooKeeper", () -> !registry.exists(paths.app(appId)));
            Eventually.await("the workers run nothing", () -> cluster.workers().stream().allMatch(w -> w.executors().isEmpty()));
        }
    }

    @Test
    void aContextWithALocalClusterUrlStartsItsOwnClusterAndStopsIt() throws Exception {
        EmberContext context = EmberContext.builder().isolated().setAll(SETTINGS).master("local-cluster[1,1]")
                .set("ember.executor.instances", "1").build();
        long pid;
        try (CuratorFramework zk = ZooKeeperClients.connect(ZooKeeperSettings.of(context.zookeeperConnect()))) {
            ExecutorInfo executor = context.awaitExecutors(1, Duration.ofSeconds(60)).get(0);
            assertEquals("worker-0", executor.workerId());
            ClusterPaths paths = new ClusterPaths(context.cluster());
            RegistryReader registry = new RegistryReader(zk, paths);
            Eventually.await("the executor in the registry",
                    () -> registry.children(paths.executors(context.applicationId())).size() == 1);
            pid = registry.registeredPids(context.applicationId()).values().iterator().next();
            assertTrue(JavaProcesses.alive(pid));
        } finally {
            context.close();
        }
        Eventually.await("the executor process exits with its cluster", () -> !JavaProcesses.alive(pid));
    }

    @Test
    void theMasterUrlNamesTheEmbeddedZooKeeperAndTheCluster() throws Exception {
        try (EmberEnvironment environment = new Bootstrap(new LaunchContext(Optional.empty(), Optional.empty(),
                Map.of(), Map.of(), Map.of("ember.cluster", "dev"))).load();
             CapturedLog log = CapturedLog.of(OpenClusterWarning.class);
             LocalCluster cluster = LocalCluster.start(1, 2, environment.config(),
                     new FifoSchedulerFactory().create(DeclaredSettings.of(List.of(), Map.of())))) {
            assertEquals("ember://" + cluster.zookeeperConnect() + "/dev", cluster.masterUrl());
            assertTrue(cluster.zookeeperConnect().startsWith("127.0.0.1:"), cluster.zookeeperConnect());
            assertEquals(List.of(), log.messages(Level.WARN), "on 127.0.0.1 only, no open-cluster warning");
            Eventually.await("a leader", () -> cluster.master().isLeader());
            Eventually.await("the worker registered", () -> cluster.master().workers().size() == 1);
            assertEquals(2, cluster.master().workers().get(0).cores());
        }
    }

    /**
     * The embedded ZooKeeper listens where {@code ember.zookeeper.bindAddress} says (here every
     * interface) and is named in the master URL, and in what the master and workers connect to, by
     * {@code ember.zookeeper.advertisedAddress} (here 127.0.0.2, another address of this host).
     */
    @Test
    void theEmbeddedZooKeeperListensOnItsBindAddressAndIsReachedAtItsAdvertisedOne() throws Exception {
        try (EmberEnvironment environment = new Bootstrap(new LaunchContext(Optional.empty(), Optional.empty(),
                Map.of(), Map.of(), Map.of("ember.zookeeper.bindAddress", "0.0.0.0",
                        "ember.zookeeper.advertisedAddress", "127.0.0.2"))).load();
             CapturedLog log = CapturedLog.of(OpenClusterWarning.class);
             LocalCluster cluster = LocalCluster.start(1, 1, environment.config(),
                     new FifoSchedulerFactory().create(DeclaredSettings.of(List.of(), Map.of())))) {
            assertEquals(1, log.messages(Level.WARN).size(), "reachable from other hosts and open: "
                    + log.messages(Level.WARN));
            assertTrue(log.messages(Level.WARN).get(0).startsWith("No ember.auth.secret is set: this local "
                    + "cluster's"), log.messages(Level.WARN).get(0));
            String connect = cluster.zookeeperConnect();
            assertTrue(connect.startsWith("127.0.0.2:"), connect);
            assertEquals("ember://" + connect + "/default", cluster.masterUrl());
            Eventually.await("a leader", () -> cluster.master().isLeader());
            Eventually.await("the worker registered", () -> cluster.master().workers().size() == 1);
            String elsewhere = "127.0.0.3" + connect.substring(connect.indexOf(':'));
            try (CuratorFramework zk = ZooKeeperClients.connect(ZooKeeperSettings.of(elsewhere))) {
                assertTrue(zk.checkExists().forPath(new ClusterPaths("default").root()) != null,
                        "the cluster's nodes, read through another interface");
            }
        }
    }

    @Test
    void anEmbeddedZooKeeperAdvertisingAWildcardIsRefusedNamingTheKey() throws Exception {
        try (EmberEnvironment environment = new Bootstrap(new LaunchContext(Optional.empty(), Optional.empty(),
                Map.of(), Map.of(), Map.of("ember.zookeeper.advertisedAddress", "0.0.0.0"))).load()) {
            ConfigException refused = assertThrows(ConfigException.class, () -> LocalCluster.start(1, 1,
                    environment.config(), new FifoSchedulerFactory().create(DeclaredSettings.of(List.of(), Map.of()))));
            assertEquals("ember.zookeeper.advertisedAddress", refused.problems().get(0).key());
            assertTrue(refused.getMessage().contains("set ember.zookeeper.bindAddress instead"), refused.getMessage());
        }
    }

    @Test
    void itsMasterFollowsTheDriversReloadedSchedulerSettings() throws Exception {
        FairSchedulerFactory fair = new FairSchedulerFactory();
        try (EmberEnvironment environment = new Bootstrap(new LaunchContext(Optional.empty(), Optional.empty(),
                Map.of(), Map.of(), Map.of())).load();
             LocalCluster cluster = LocalCluster.start(1, 2, environment.config(),
                     fair.create(DeclaredSettings.of(fair.configKeys(), Map.of("queue.etl.minShare", "1"))))) {
            Eventually.await("a leader", () -> cluster.master().isLeader());
            assertEquals(1, cluster.master().queues().get(0).minShare());

            cluster.replaceSchedulingPolicy(fair.create(DeclaredSettings.of(fair.configKeys(),
                    Map.of("queue.etl.minShare", "2"))));

            Eventually.await("the new minShare reported", () -> cluster.master().queues().get(0).minShare() == 2);
        }
    }
}
