package io.ember.core.worker;

import io.ember.core.testing.Eventually;
import static io.ember.core.worker.TestingCluster.PATHS;
import static io.ember.core.worker.TestingCluster.launch;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.core.executor.TestingDriver;
import io.ember.core.rpc.proto.ExecutorStatus;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A cluster with {@code ember.auth.secret}: master, driver, worker and ZooKeeper all require it. */
final class WorkerAuthenticationTest {

    private static final String SECRET = "sixteen-characters-or-more";
    private static final String APP = "app-1";

    @TempDir
    Path dir;

    private TestingCluster cluster;
    private TestingMaster master;
    private TestingDriver driver;
    private WorkerServer worker;

    @BeforeEach
    void startCluster() throws Exception {
        cluster = new TestingCluster(dir, Optional.of(SECRET));
        master = cluster.startMaster("master-a", 1);
        cluster.publishLeader(master);
        cluster.storeApplication(APP);
        driver = cluster.startDriver(APP);
        worker = cluster.startWorker();
        master.awaitRegistration(worker.workerId());
    }

    @AfterEach
    void stopCluster() {
        cluster.close();
    }

    @Test
    void anExecutorGivenTheSecretRegistersAtADriverThatRequiresIt() throws Exception {
        cluster.worker(worker).launchExecutor(launch(1, APP, "1", driver));

        driver.awaitRegistration("1");
        long pid = cluster.track(master.awaitReport(APP, "1", ExecutorStatus.RUNNING).getPid());
        Eventually.await(() -> cluster.exists(PATHS.executor(APP, "1")), () -> "executor 1 in the registry");
        String commandLine = ProcessHandle.of(pid).flatMap(p -> p.info().commandLine()).orElse("");
        assertFalse(commandLine.contains(SECRET), "the secret is on the executor's command line: " + commandLine);
        String stderr = Files.readString(cluster.workDir().resolve(APP).resolve("1").resolve("stdout"))
                + Files.readString(cluster.workDir().resolve(APP).resolve("1").resolve("stderr"));
        assertFalse(stderr.contains(SECRET), "the secret is in the executor's output");
    }

    @Test
    void anUnauthenticatedLaunchIsRefused() {
        StatusRuntimeException refused = assertThrows(StatusRuntimeException.class,
                () -> cluster.unauthenticated(worker).launchExecutor(launch(1, APP, "1", driver)));

        assertEquals(Status.Code.UNAUTHENTICATED, refused.getStatus().getCode());
        assertEquals(List.of(), worker.executors());
        assertTrue(master.reports(APP, "1").isEmpty());
    }
}
