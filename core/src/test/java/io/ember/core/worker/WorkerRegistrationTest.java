package io.ember.core.worker;

import static io.ember.core.worker.TestingCluster.PATHS;
import static io.ember.core.worker.TestingCluster.launch;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.api.cluster.WorkerInfo;
import io.ember.core.executor.TestingDriver;
import io.ember.core.rpc.proto.ExecutorState;
import io.ember.core.rpc.proto.ExecutorStatus;
import io.ember.core.rpc.proto.RegisterWorkerRequest;
import io.ember.core.rpc.proto.StoredWorker;
import io.ember.core.rpc.proto.WorkerSpec;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A worker joins the cluster through ZooKeeper and follows the leader, with fake masters on real sockets. */
final class WorkerRegistrationTest {

    private static final String APP = "app-1";

    @TempDir
    Path dir;

    private TestingCluster cluster;

    @BeforeEach
    void startCluster() {
        cluster = new TestingCluster(dir, Optional.empty());
    }

    @AfterEach
    void stopCluster() {
        cluster.close();
    }

    @Test
    void registersItsNodeAndWithTheLeaderFoundThroughZooKeeper() throws Exception {
        TestingMaster master = cluster.startMaster("master-a", 1);
        cluster.publishLeader(master);

        WorkerServer worker = cluster.startWorker();

        RegisterWorkerRequest registration = master.awaitRegistration(worker.workerId());
        WorkerSpec expected = WorkerSpec.newBuilder().setWorkerId(worker.workerId()).setHost("127.0.0.1")
                .setRpcPort(worker.info().rpcPort()).setShufflePort(0).setCores(8).setMemoryBytes(4L << 30).build();
        assertEquals(expected, registration.getWorker());
        assertEquals(0, registration.getExecutorsCount());
        assertEquals(expected, StoredWorker.parseFrom(
                cluster.admin().getData().forPath(PATHS.worker(worker.workerId()))).getSpec());
        assertEquals(new WorkerInfo(worker.workerId(), "127.0.0.1", worker.info().rpcPort(), 0, 8, 4L << 30),
                worker.info());
        assertTrue(worker.workerId().startsWith("worker-127.0.0.1-" + worker.info().rpcPort() + "-"),
                worker.workerId());
        assertEquals(1, worker.highestEpochSeen());
    }

    @Test
    void registersAgainWithANewLeaderReportingTheExecutorsItRuns() throws Exception {
        TestingMaster first = cluster.startMaster("master-a", 1);
        cluster.publishLeader(first);
        cluster.storeApplication(APP);
        TestingDriver driver = cluster.startDriver(APP);
        WorkerServer worker = cluster.startWorker();
        first.awaitRegistration(worker.workerId());
        cluster.worker(worker).launchExecutor(launch(1, APP, "1", driver));
        long pid = cluster.track(first.awaitReport(APP, "1", ExecutorStatus.RUNNING).getPid());
        driver.awaitRegistration("1");

        TestingMaster second = cluster.startMaster("master-b", 2);
        cluster.publishLeader(second);

        RegisterWorkerRequest registration = second.awaitRegistration(worker.workerId());
        assertEquals(1, registration.getExecutorsCount(), registration.toString());
        ExecutorState state = registration.getExecutors(0);
        assertEquals(ExecutorStatus.RUNNING, state.getStatus());
        assertEquals(pid, state.getPid());
        assertEquals(APP, state.getSpec().getAppId());
        assertEquals("1", state.getSpec().getExecutorId());
        assertEquals(worker.workerId(), state.getSpec().getWorkerId());
        assertEquals(TestingCluster.EXECUTOR_HEAP, state.getSpec().getMemoryBytes());
        assertEquals(2, worker.highestEpochSeen());
    }

    @Test
    void keepsTryingUntilTheLeaderAcceptsItsRegistration() throws Exception {
        TestingMaster master = cluster.startMaster("master-a", 1);
        master.refuseRegistrations(3);
        cluster.publishLeader(master);

        WorkerServer worker = cluster.startWorker();

        master.awaitRegistration(worker.workerId());
    }

    @Test
    void reportsWaitForALeaderWhoThenLearnsTheExecutorsFromTheRegistration() throws Exception {
        cluster.storeApplication(APP);
        TestingDriver driver = cluster.startDriver(APP);
        WorkerServer worker = cluster.startWorker();
        cluster.worker(worker).launchExecutor(launch(1, APP, "1", driver));
        driver.awaitRegistration("1");

        TestingMaster master = cluster.startMaster("master-a", 1);
        cluster.publishLeader(master);

        RegisterWorkerRequest registration = master.awaitRegistration(worker.workerId());
        assertEquals(ExecutorStatus.RUNNING, registration.getExecutors(0).getStatus());
        ExecutorState running = master.awaitReport(APP, "1", ExecutorStatus.RUNNING);
        assertEquals(driver.awaitRegistration("1").message().getPid(), cluster.track(running.getPid()));
    }

    @Test
    void closeRemovesItsNode() throws Exception {
        WorkerServer worker = cluster.startWorker();
        assertTrue(cluster.exists(PATHS.worker(worker.workerId())));

        worker.close();

        assertTrue(!cluster.exists(PATHS.worker(worker.workerId())));
        worker.close();
    }
}
