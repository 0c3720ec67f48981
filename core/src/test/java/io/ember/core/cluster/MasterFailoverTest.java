package io.ember.core.cluster;

import static io.ember.core.cluster.ProcessClusterExtension.executorIds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.core.coordination.LeaderInfo;
import io.ember.core.driver.EmberContext;
import io.ember.core.rpc.RpcChannels;
import io.ember.core.rpc.proto.ApplicationSpec;
import io.ember.core.rpc.proto.ClusterDescription;
import io.ember.core.rpc.proto.ExecutorSpec;
import io.ember.core.rpc.proto.LaunchExecutorRequest;
import io.ember.core.rpc.proto.WorkerServiceGrpc;
import io.ember.core.rpc.proto.WorkerSpec;
import io.ember.core.testing.Eventually;
import io.ember.core.testing.JavaProcesses;
import io.ember.core.worker.WorkerServer;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The leader master dies (kill -9) under a running application: a standby takes over, and nothing
 * that was running stops. Three master processes, two workers, executors as real processes.
 */
final class MasterFailoverTest {

    @RegisterExtension
    final ProcessClusterExtension cluster = ProcessClusterExtension.withMasters(3).withWorkers(2, 2);

    @Test
    void aStandbyTakesOverFromAKilledLeaderWhileTheApplicationsExecutorsKeepRunning() {
        List<String> masters = cluster.masterAddresses();
        WorkerServer first = cluster.worker("worker-1");
        WorkerServer second = cluster.worker("worker-2");
        LeaderInfo deposed = cluster.awaitLeaderAbove(0);
        assertTrue(masters.contains(deposed.address()), deposed + " is one of " + masters);
        Eventually.await("both workers registered with the leader",
                () -> cluster.describe(deposed.address()).getWorkersCount() == 2);

        EmberContext survivor = cluster.startApplication(cluster.applicationSettings("survivor", 2));
        String appId = survivor.applicationId();
        Set<String> driverExecutors = executorIds(survivor.awaitExecutors(2, Duration.ofSeconds(60)));
        Map<String, Long> pidsBefore = cluster.awaitRegisteredPids(appId, 2);
        assertEquals(driverExecutors, pidsBefore.keySet());

        JavaProcesses.Started leaderProcess = cluster.masterAt(deposed.address());
        long killedAt = System.nanoTime();
        leaderProcess.kill();
        // A driver started right after the crash: its registration waits out the failover.
        Map<String, String> newcomerSettings = cluster.applicationSettings("newcomer", 2);
        newcomerSettings.put("ember.rpc.timeout", "25s");   // how long it looks for a leader: margin on a loaded machine
        EmberContext newcomer = cluster.startApplication(newcomerSettings);
        long failoverMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
        System.out.println(String.format("Master failover: %d ms from kill -9 of the leader to the new leader "
                + "accepting a new application's registration (ZooKeeper session timeout %d ms)", failoverMillis,
                ProcessClusterExtension.MASTER_SESSION_TIMEOUT.toMillis()));
        assertFalse(leaderProcess.process().isAlive(), "the old leader is dead");

        LeaderInfo leader = cluster.awaitLeaderAbove(deposed.epoch());
        assertNotEquals(deposed.address(), leader.address());
        assertTrue(masters.contains(leader.address()), leader + " is one of the standbys " + masters);
        JavaProcesses.Started leaderLog = cluster.masterAt(leader.address());
        for (WorkerServer worker : List.of(first, second)) {
            // The new leader's own word for it (the registry alone would also list the worker).
            Pattern registered = Pattern.compile("Worker " + Pattern.quote(worker.workerId() + " at " + worker.address())
                    + " registered with .* and [1-9][0-9]* running executor\\(s\\)");
            Eventually.await(worker.workerId() + " re-registered with the new leader, reporting what it runs",
                    () -> registered.matcher(leaderLog.output()).find());
        }
        ClusterDescription described = cluster.describe(leader.address());
        assertEquals(leader.epoch(), described.getEpoch());
        assertEquals(Set.of("worker-1", "worker-2"),
                described.getWorkersList().stream().map(WorkerSpec::getWorkerId).collect(Collectors.toSet()));
        assertTrue(described.getApplicationsList().stream().map(ApplicationSpec::getAppId).anyMatch(appId::equals),
                "the application is still registered: " + described.getApplicationsList());
        assertEquals(2, described.getRequestedExecutorsOrThrow(appId));

        assertEquals(pidsBefore, cluster.registeredPids(appId), "the same executors, the same processes");
        for (long pid : pidsBefore.values()) {
            assertTrue(JavaProcesses.alive(pid), "executor process " + pid + " still runs");
        }
        assertEquals(driverExecutors, executorIds(survivor.executors()), "the driver keeps its executors");
        assertEquals(pidsBefore.keySet(), executorIds(cluster.describe(leader.address()), appId),
                "the new leader adopted the running executors instead of launching others");

        String newcomerId = newcomer.applicationId();
        assertEquals(2, newcomer.awaitExecutors(2, Duration.ofSeconds(60)).size());
        Eventually.await("the new leader lists the new application's executors",
                () -> executorIds(cluster.describe(leader.address()), newcomerId).size() == 2);

        // The deposed leader's epoch is fenced off: a worker that has seen the new one refuses it.
        Eventually.await("worker-1 has seen the new epoch", () -> first.highestEpochSeen() >= leader.epoch());
        int running = first.executors().size();
        try (RpcChannels channels = new RpcChannels("deposed-leader", Optional.empty())) {
            LaunchExecutorRequest stale = LaunchExecutorRequest.newBuilder()
                    .setEpoch(deposed.epoch())
                    .setExecutor(ExecutorSpec.newBuilder().setAppId(appId).setExecutorId("stale-1")
                            .setWorkerId(first.workerId()).setCores(1).setMemoryBytes(128L << 20)
                            .setDriverAddress(survivor.driverAddress()))
                    .build();
            StatusRuntimeException refused = assertThrows(StatusRuntimeException.class, () -> WorkerServiceGrpc
                    .newBlockingStub(channels.channel(first.address())).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .launchExecutor(stale));
            assertEquals(Status.Code.FAILED_PRECONDITION, refused.getStatus().getCode());
        }
        assertEquals(running, first.executors().size(), "nothing launched for the deposed leader");
    }
}
