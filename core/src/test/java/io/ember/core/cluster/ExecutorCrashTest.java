package io.ember.core.cluster;

import static io.ember.core.cluster.ProcessClusterExtension.executorIds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.api.cluster.ExecutorInfo;
import io.ember.core.coordination.LeaderInfo;
import io.ember.core.driver.EmberContext;
import io.ember.core.testing.Eventually;
import io.ember.core.testing.JavaProcesses;
import io.ember.core.worker.WorkerServer;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An executor process dies (kill -9): the registry, the worker and the master all notice, and
 * because the application's static request still stands the master launches a replacement.
 */
final class ExecutorCrashTest {

    @RegisterExtension
    final ProcessClusterExtension cluster = ProcessClusterExtension.withMasters(1).withWorkers(2, 2);

    @Test
    void aKilledExecutorLeavesTheRegistryAndTheMasterAndIsReplaced() {
        WorkerServer worker = cluster.worker("worker-1");
        LeaderInfo leader = cluster.awaitLeaderAbove(0);
        EmberContext context = cluster.startApplication(cluster.applicationSettings("crash", 2));
        String appId = context.applicationId();
        Set<String> original = executorIds(context.awaitExecutors(2, Duration.ofSeconds(60)));
        Map<String, Long> pids = cluster.awaitRegisteredPids(appId, 2);
        assertEquals(original, pids.keySet());
        String victim = original.iterator().next();
        long victimPid = pids.get(victim);
        String victimWorker = context.executors().stream().filter(e -> e.executorId().equals(victim))
                .map(ExecutorInfo::workerId).findFirst().orElseThrow();
        String survivor = original.stream().filter(id -> !id.equals(victim)).findFirst().orElseThrow();

        long killedAt = System.nanoTime();
        JavaProcesses.kill(victimPid);

        Eventually.await("the master no longer lists executor " + victim,
                () -> !executorIds(cluster.describe(leader.address()), appId).contains(victim));
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
                () -> executorIds(context.executors()).equals(new TreeSet<>(Set.of(survivor, replacement))));
        Eventually.await("the replacement in the registry", () -> cluster.registeredPids(appId).containsKey(replacement));
        Map<String, Long> after = cluster.registeredPids(appId);
        assertEquals(Set.of(survivor, replacement), after.keySet());
        assertEquals(pids.get(survivor), after.get(survivor), "the other executor was left alone");
        assertTrue(JavaProcesses.alive(after.get(replacement)), "the replacement runs");
        assertFalse(JavaProcesses.alive(victimPid));
        Eventually.await("the master lists the survivor and the replacement", () -> executorIds(
                cluster.describe(leader.address()), appId).equals(Set.of(survivor, replacement)));
        assertEquals(2, cluster.describe(leader.address()).getRequestedExecutorsOrThrow(appId), "the request stands");
    }
}
