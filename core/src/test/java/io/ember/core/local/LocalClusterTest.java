package io.ember.core.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.api.cluster.ExecutorInfo;
import io.ember.api.config.DeclaredSettings;
import io.ember.core.bootstrap.Bootstrap;
import io.ember.core.bootstrap.EmberEnvironment;
import io.ember.core.bootstrap.LaunchContext;
import io.ember.core.coordination.ClusterPaths;
import io.ember.core.coordination.ZooKeeperClients;
import io.ember.core.coordination.ZooKeeperSettings;
import io.ember.core.driver.EmberContext;
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
             LocalCluster cluster = LocalCluster.start(1, 2, environment.config(),
                     new FifoSchedulerFactory().create(DeclaredSettings.of(List.of(), Map.of())))) {
            assertEquals("ember://" + cluster.zookeeperConnect() + "/dev", cluster.masterUrl());
            Eventually.await("a leader", () -> cluster.master().isLeader());
            Eventually.await("the worker registered", () -> cluster.master().workers().size() == 1);
            assertEquals(2, cluster.master().workers().get(0).cores());
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
