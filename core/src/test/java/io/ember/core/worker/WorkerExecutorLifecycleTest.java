package io.ember.core.worker;

import io.ember.core.testing.Eventually;
import static io.ember.core.worker.TestingCluster.PATHS;
import static io.ember.core.worker.TestingCluster.finished;
import static io.ember.core.worker.TestingCluster.isAlive;
import static io.ember.core.worker.TestingCluster.kill;
import static io.ember.core.worker.TestingCluster.launch;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.api.cluster.ExecutorInfo;
import io.ember.core.executor.TestingDriver;
import io.ember.core.rpc.proto.ExecutorState;
import io.ember.core.rpc.proto.ExecutorStatus;
import io.ember.core.rpc.proto.RegisterExecutor;
import io.ember.core.rpc.proto.StoredExecutor;
import io.ember.core.rpc.proto.WorkerServiceGrpc.WorkerServiceBlockingStub;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker launches real executor processes on a fake master's command; they connect to a fake
 * driver and register in an embedded ZooKeeper.
 */
final class WorkerExecutorLifecycleTest {

    private static final String APP = "app-1";
    private static final long EPOCH = 3;

    @TempDir
    Path dir;

    private TestingCluster cluster;
    private TestingMaster master;
    private TestingDriver driver;

    @BeforeEach
    void startCluster() throws Exception {
        cluster = new TestingCluster(dir, Optional.empty());
        master = cluster.startMaster("master-a", EPOCH);
        cluster.publishLeader(master);
        cluster.storeApplication(APP);
        driver = cluster.startDriver(APP);
    }

    @AfterEach
    void stopCluster() {
        cluster.close();
    }

    private WorkerServer startWorker(Map<String, String> settings) {
        WorkerServer worker = cluster.startWorker(settings);
        master.awaitRegistration(worker.workerId());
        return worker;
    }

    /** Launches an executor and waits until the master knows it runs; returns its pid. */
    private long launchRunning(WorkerServer worker, String executorId) {
        cluster.worker(worker).launchExecutor(launch(EPOCH, APP, executorId, driver));
        return cluster.track(master.awaitReport(APP, executorId, ExecutorStatus.RUNNING).getPid());
    }

    private Path workDir(String appId, String executorId) {
        return cluster.workDir().resolve(appId).resolve(executorId);
    }

    @Test
    void launchStartsAnExecutorThatRegistersWithItsDriverAndInTheRegistryAndHeartbeats() throws Exception {
        WorkerServer worker = startWorker(Map.of());

        long launchedAt = System.nanoTime();
        cluster.worker(worker).launchExecutor(launch(EPOCH, APP, "1", driver));

        TestingDriver.Arrival arrival = driver.awaitRegistration("1");
        System.out.printf("Executor start: LaunchExecutor to RegisterExecutor at the driver took %d ms%n",
                TimeUnit.NANOSECONDS.toMillis(arrival.arrivedNanos() - launchedAt));
        ExecutorState running = master.awaitReport(APP, "1", ExecutorStatus.RUNNING);
        long pid = cluster.track(running.getPid());
        assertEquals(RegisterExecutor.newBuilder().setExecutorId("1").setWorkerId(worker.workerId())
                .setHost("127.0.0.1").setCores(1).setPid(pid).build(), arrival.message());
        assertEquals(worker.workerId(), running.getSpec().getWorkerId());
        assertEquals(driver.address(), running.getSpec().getDriverAddress());
        assertTrue(isAlive(pid));

        Registry.registered(cluster, APP, "1");
        StoredExecutor stored = StoredExecutor.parseFrom(cluster.admin().getData().forPath(PATHS.executor(APP, "1")));
        assertEquals(pid, stored.getPid());
        assertEquals(worker.workerId(), stored.getSpec().getWorkerId());
        assertTrue(stored.getSpec().getMemoryBytes() <= TestingCluster.EXECUTOR_HEAP, stored.toString());

        assertTrue(driver.awaitHeartbeats("1", 2).get(1).getHeapUsedBytes() > 0);
        assertEquals(List.of(new ExecutorInfo("1", APP, worker.workerId(), "127.0.0.1", 0, 1)), worker.executors());
        assertTrue(Files.isRegularFile(workDir(APP, "1").resolve("stderr")));
        System.out.println("DEBUG-STDOUT " + Files.readString(workDir(APP, "1").resolve("stdout")));
    }

    @Test
    void launchingAnExecutorItAlreadyRunsDoesNothing() {
        WorkerServer worker = startWorker(Map.of());
        long pid = launchRunning(worker, "1");

        cluster.worker(worker).launchExecutor(launch(EPOCH, APP, "1", driver));
        cluster.worker(worker).launchExecutor(launch(EPOCH, APP, "2", driver));

        master.awaitReport(APP, "2", ExecutorStatus.RUNNING);
        cluster.track(master.awaitReport(APP, "2", ExecutorStatus.RUNNING).getPid());
        assertEquals(1, master.reports(APP, "1").size(), master.reports(APP, "1").toString());
        assertEquals(2, worker.executors().size());
        assertTrue(isAlive(pid));
    }

    @Test
    void aCommandOfAStaleEpochIsRefusedAndNothingIsLaunched() {
        WorkerServer worker = startWorker(Map.of());
        WorkerServiceBlockingStub client = cluster.worker(worker);

        StatusRuntimeException stale = assertThrows(StatusRuntimeException.class,
                () -> client.launchExecutor(launch(EPOCH - 1, APP, "1", driver)));

        assertEquals(Status.Code.FAILED_PRECONDITION, stale.getStatus().getCode());
        assertEquals("stale leader epoch 2; newest seen is 3", stale.getStatus().getDescription());
        assertEquals(List.of(), worker.executors());
        assertFalse(Files.exists(cluster.workDir().resolve(APP)));
        assertEquals(Status.Code.FAILED_PRECONDITION, assertThrows(StatusRuntimeException.class,
                () -> client.killExecutor(kill(EPOCH - 1, APP, "1"))).getStatus().getCode());
        assertEquals(Status.Code.FAILED_PRECONDITION, assertThrows(StatusRuntimeException.class,
                () -> client.applicationFinished(finished(EPOCH - 1, APP))).getStatus().getCode());
        assertEquals(List.of(), master.allReports());
    }

    @Test
    void aMalformedLaunchIsRefusedAsInvalid() {
        WorkerServer worker = startWorker(Map.of());

        StatusRuntimeException refused = assertThrows(StatusRuntimeException.class,
                () -> cluster.worker(worker).launchExecutor(launch(EPOCH, "../etc", "1", driver)));

        assertEquals(Status.Code.INVALID_ARGUMENT, refused.getStatus().getCode());
        assertEquals(List.of(), worker.executors());
    }

    @Test
    void anExecutorKilledWithSigkillLeavesTheRegistryAndIsReportedFailed() throws Exception {
        WorkerServer worker = startWorker(Map.of());
        long pid = launchRunning(worker, "1");
        Registry.registered(cluster, APP, "1");

        ProcessHandle.of(pid).orElseThrow().destroyForcibly();

        ExecutorState failed = master.awaitReport(APP, "1", ExecutorStatus.FAILED);
        assertEquals(137, failed.getExitCode());
        assertEquals(pid, failed.getPid());
        Registry.unregistered(cluster, APP, "1");   // after the executor's session timeout
        assertEquals(List.of(), worker.executors());
    }

    @Test
    void killExecutorStopsItAndReportsItKilled() {
        WorkerServer worker = startWorker(Map.of());
        long pid = launchRunning(worker, "1");
        driver.awaitRegistration("1");

        cluster.worker(worker).killExecutor(kill(EPOCH, APP, "1"));

        ExecutorState killed = master.awaitReport(APP, "1", ExecutorStatus.KILLED);
        assertEquals(143, killed.getExitCode());   // SIGTERM: it ran its shutdown hooks
        assertFalse(isAlive(pid));
        assertEquals(List.of(), worker.executors());
        cluster.worker(worker).killExecutor(kill(EPOCH, APP, "1"));   // again: nothing to do
    }

    @Test
    void applicationFinishedStopsItsExecutorsAndDeletesTheirWorkDirectories() throws Exception {
        WorkerServer worker = startWorker(Map.of());
        long first = launchRunning(worker, "1");
        long second = launchRunning(worker, "2");

        cluster.worker(worker).applicationFinished(finished(EPOCH, APP));

        master.awaitReport(APP, "1", ExecutorStatus.KILLED);
        master.awaitReport(APP, "2", ExecutorStatus.KILLED);
        assertFalse(isAlive(first));
        assertFalse(isAlive(second));
        worker.lastApplicationCleanup().get(30, TimeUnit.SECONDS);
        assertFalse(Files.exists(cluster.workDir().resolve(APP)));
    }

    /**
     * The application ended and, at once, was registered again (its driver's session had expired): an
     * executor launched while the worker still cleans up after the old ones starts once that is done,
     * so the clean-up neither deletes its work directory nor kills it. Before, the clean-up deleted
     * the application's directory under the new executor (PartitionFaultsIT in fresh-clone CI).
     */
    @Test
    void anExecutorLaunchedWhileItsApplicationIsCleanedUpStartsAfterTheCleanUp() throws Exception {
        WorkerServer worker = startWorker(Map.of());
        long first = launchRunning(worker, "1");

        cluster.worker(worker).applicationFinished(finished(EPOCH, APP));
        cluster.worker(worker).launchExecutor(launch(EPOCH, APP, "2", driver));

        master.awaitReport(APP, "1", ExecutorStatus.KILLED);
        assertFalse(isAlive(first));
        long second = cluster.track(master.awaitReport(APP, "2", ExecutorStatus.RUNNING).getPid());
        worker.lastApplicationCleanup().get(30, TimeUnit.SECONDS);
        driver.awaitRegistration("2");
        assertTrue(isAlive(second));
        assertTrue(Files.isRegularFile(workDir(APP, "2").resolve("stderr")), "its work directory stays");
        assertFalse(Files.exists(workDir(APP, "1")), "the old executor's is gone");
    }

    @Test
    void applicationFinishedKeepsTheWorkDirectoriesWhenToldTo() throws Exception {
        WorkerServer worker = startWorker(Map.of("ember.worker.keepWorkDirs", "true"));
        launchRunning(worker, "1");

        cluster.worker(worker).applicationFinished(finished(EPOCH, APP));

        master.awaitReport(APP, "1", ExecutorStatus.KILLED);
        worker.lastApplicationCleanup().get(30, TimeUnit.SECONDS);
        assertTrue(Files.isRegularFile(workDir(APP, "1").resolve("stderr")));
    }

    @Test
    void anExecutorExitsCleanlyWhenItsDriverShutsItDown() {
        WorkerServer worker = startWorker(Map.of());
        launchRunning(worker, "1");
        driver.awaitRegistration("1");

        driver.shutdown("1", "application finished");

        assertEquals(0, master.awaitReport(APP, "1", ExecutorStatus.EXITED).getExitCode());
    }

    @Test
    void anExecutorExitsWhenItsDriverCompletesTheStream() {
        WorkerServer worker = startWorker(Map.of());
        launchRunning(worker, "1");
        driver.awaitRegistration("1");

        driver.complete("1");

        assertEquals(0, master.awaitReport(APP, "1", ExecutorStatus.EXITED).getExitCode());
    }

    @Test
    void anExecutorFailsWhenItsDriverCancelsTheStream() {
        WorkerServer worker = startWorker(Map.of());
        launchRunning(worker, "1");
        driver.awaitRegistration("1");

        driver.fail("1");

        assertEquals(1, master.awaitReport(APP, "1", ExecutorStatus.FAILED).getExitCode());
    }

    @Test
    void closeStopsItsExecutors() {
        WorkerServer worker = startWorker(Map.of());
        long first = launchRunning(worker, "1");
        long second = launchRunning(worker, "2");

        worker.close();

        assertFalse(isAlive(first), "executor 1 outlived its worker");
        assertFalse(isAlive(second), "executor 2 outlived its worker");
        assertEquals(List.of(), worker.executors());
    }

    /** Waits for the registry. */
    private static final class Registry {

        static void registered(TestingCluster cluster, String appId, String executorId) {
            Eventually.await(() -> cluster.exists(PATHS.executor(appId, executorId)),
                    () -> "executor " + executorId + " in the registry");
        }

        static void unregistered(TestingCluster cluster, String appId, String executorId) {
            Eventually.await(() -> !cluster.exists(PATHS.executor(appId, executorId)),
                    () -> "executor " + executorId + " to leave the registry");
        }
    }
}
