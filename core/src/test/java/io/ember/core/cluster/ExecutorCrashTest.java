package io.ember.core.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.api.cluster.ExecutorInfo;
import io.ember.core.coordination.LeaderInfo;
import io.ember.core.driver.EmberContext;
import io.ember.core.testing.Eventually;
import io.ember.core.testing.JavaProcesses;
import io.ember.core.worker.WorkerServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An executor process dies (kill -9): the registry, the worker and the master all notice, and
 * because the application's static request still stands the master launches a replacement.
 */
final class ExecutorCrashTest {

    @TempDir
    Path dir;

    private ProcessCluster cluster;

    @BeforeEach
    void startZooKeeper() {
        cluster = ProcessCluster.start(dir, Optional.empty());
    }

    @AfterEach
    void stopEverything() {
        cluster.close();
    }

    @Test
    void aKilledExecutorLeavesTheRegistryAndTheMasterAndIsReplaced() throws Exception {
        cluster.startMasters(1);
        WorkerServer worker = cluster.startWorker("worker-1", 2);
        cluster.startWorker("worker-2", 2);
        LeaderInfo leader = cluster.awaitLeaderAbove(0);
        EmberContext context = cluster.startApplication(cluster.applicationSettings("crash", 2));
        String appId = context.applicationId();
        Set<String> original = ids(context.awaitExecutors(2, Duration.ofSeconds(60)));
        Eventually.await("both executors in the registry", () -> cluster.registeredPids(appId).size() == 2);
        Map<String, Long> pids = cluster.registeredPids(appId);
        assertEquals(original, pids.keySet());
        String victim = original.iterator().next();
        long victimPid = pids.get(victim);
        String victimWorker = context.executors().stream().filter(e -> e.executorId().equals(victim))
                .map(ExecutorInfo::workerId).findFirst().orElseThrow();
        String survivor = original.stream().filter(id -> !id.equals(victim)).findFirst().orElseThrow();

        ProcessHandle process = ProcessHandle.of(victimPid).orElseThrow(() -> new AssertionError("no process " + victimPid));
        long killedAt = System.nanoTime();
        assertTrue(process.destroyForcibly(), "kill -9 " + victimPid);
        process.onExit().get(30, TimeUnit.SECONDS);

        Eventually.await("the master no longer lists executor " + victim,
                () -> !ProcessCluster.executorIds(cluster.describe(leader.address()), appId).contains(victim));
        long masterMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
        JavaProcesses.Started master = cluster.masterAt(leader.address());
        Eventually.await("worker " + victimWorker + " reported the executor failed",
                () -> master.output().contains("Executor " + victim + " of " + appId + " on worker " + victimWorker
                        + " failed with exit code "));
        String replacement = Eventually.awaitValue("a new executor registers with the driver",
                () -> context.executors().stream().map(ExecutorInfo::executorId).filter(id -> !original.contains(id))
                        .findFirst().orElse(null));
        long replacementMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
        Eventually.await("executor " + victim + " leaves the registry",
                () -> !cluster.children(cluster.paths().executors(appId)).contains(victim));
        long registryMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
        System.out.println(String.format("Executor crash: the master dropped it %d ms after kill -9, replacement %s "
                + "registered with the driver after %d ms, the dead one's registry node was gone after %d ms "
                + "(executor session timeout %d ms)", masterMillis, replacement, replacementMillis, registryMillis,
                worker.options().zooKeeper().sessionTimeout().toMillis()));

        Eventually.await("the driver holds the survivor and the replacement, not the dead executor",
                () -> ids(context.executors()).equals(new TreeSet<>(Set.of(survivor, replacement))));
        Eventually.await("the replacement in the registry", () -> cluster.registeredPids(appId).containsKey(replacement));
        Map<String, Long> after = cluster.registeredPids(appId);
        assertEquals(Set.of(survivor, replacement), after.keySet());
        assertEquals(pids.get(survivor), after.get(survivor), "the other executor was left alone");
        assertTrue(ProcessCluster.alive(after.get(replacement)), "the replacement runs");
        assertFalse(ProcessCluster.alive(victimPid));
        Eventually.await("the master lists the survivor and the replacement", () -> ProcessCluster.executorIds(
                cluster.describe(leader.address()), appId).equals(Set.of(survivor, replacement)));
        assertEquals(2, cluster.describe(leader.address()).getRequestedExecutorsOrThrow(appId), "the request stands");
    }

    private static Set<String> ids(List<ExecutorInfo> executors) {
        return executors.stream().map(ExecutorInfo::executorId).collect(Collectors.toCollection(TreeSet::new));
    }
}
