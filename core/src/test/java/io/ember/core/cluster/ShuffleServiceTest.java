package io.ember.core.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.api.shuffle.ExecutorShuffle;
import io.ember.api.shuffle.ExecutorShuffleContext;
import io.ember.api.shuffle.FetchFailedException;
import io.ember.api.shuffle.MapBlock;
import io.ember.api.shuffle.ShuffleBlock;
import io.ember.api.shuffle.ShuffleBlockId;
import io.ember.api.shuffle.ShuffleReader;
import io.ember.core.coordination.LeaderInfo;
import io.ember.core.driver.EmberContext;
import io.ember.core.rpc.proto.WorkerSpec;
import io.ember.core.testing.Eventually;
import io.ember.core.testing.JavaProcesses;
import io.ember.core.worker.WorkerServer;
import io.ember.shuffle.sort.ChecksumAlgorithm;
import io.ember.shuffle.sort.SortShuffleManager;
import io.ember.shuffle.sort.SortShuffleSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The external shuffle service on real parts: a master process, a worker in the test JVM that
 * embeds the service (or not), executor processes that open their shuffle at their first map task,
 * and a shuffle client in the test JVM that fetches the blocks they wrote.
 */
@Timeout(240)
final class ShuffleServiceTest {

    private static final Map<String, String> ANY_PORT = Map.of("ember.shuffle.service.port", "0");

    /** Each test starts its worker with the shuffle settings it tries. */
    @RegisterExtension
    final ProcessClusterExtension cluster = ProcessClusterExtension.zooKeeperOnly();

    @Test
    void aWorkerServesItsExecutorsShuffleBlocksAfterTheyDieUntilTheApplicationEnds() throws Exception {
        cluster.startMasters(1);
        WorkerServer worker = cluster.startWorker("worker-1", 1, ANY_PORT);
        int servicePort = worker.shufflePort();
        assertTrue(servicePort > 0, "the worker runs a shuffle service");
        LeaderInfo leader = cluster.awaitLeaderAbove(0);
        Eventually.await("the master lists the worker with its shuffle port",
                () -> advertisedShufflePort(leader, "worker-1").equals(Optional.of(servicePort)));

        EmberContext context = cluster.startApplication(cluster.applicationSettings("shuffle", 1));
        String appId = context.applicationId();
        List<ShuffleWritingDataset.Written> written = new ShuffleWritingDataset(context, 1).collect();
        assertEquals(1, written.size());
        ShuffleWritingDataset.Written output = written.get(0);
        assertEquals(servicePort, output.port(), "the executor registered its output with the worker's service");
        Path shuffleFiles = WorkerServer.shuffleServiceDirectory(cluster.workDir("worker-1"), 0).resolve("data")
                .resolve(appId).resolve(output.executorId());
        assertTrue(hasFiles(shuffleFiles), "the map output is in the directory the service created: " + shuffleFiles);

        Eventually.await("the executor in the registry",
                () -> cluster.registeredPids(appId).containsKey(output.executorId()));
        JavaProcesses.kill(cluster.registeredPids(appId).get(output.executorId()));

        assertArrayEquals(ShuffleWritingDataset.payload(0, 1), fetch(appId, output, 1),
                "the service serves the block of an executor that died");

        context.close();
        Eventually.await(Duration.ofSeconds(60), "the service deletes the ended application's shuffle files",
                () -> !hasFiles(shuffleFiles));
        assertTrue(Files.exists(cluster.workDir("worker-1").resolve(appId).resolve(output.executorId()).resolve("stderr")),
                "the worker kept the work directory (ember.worker.keepWorkDirs), the service deleted the shuffle files");
        assertThrows(FetchFailedException.class, () -> fetch(appId, output, 0), "the service forgot the application");
    }

    @Test
    void aWorkerWithoutTheServiceAdvertisesNoneAndItsExecutorsServeTheirOwnBlocks() throws Exception {
        cluster.startMasters(1);
        WorkerServer worker = cluster.startWorker("worker-1", 1, Map.of("ember.shuffle.service.enabled", "false"));
        assertEquals(0, worker.shufflePort());
        assertEquals(0, worker.info().shufflePort());
        LeaderInfo leader = cluster.awaitLeaderAbove(0);
        Eventually.await("the master lists the worker", () -> advertisedShufflePort(leader, "worker-1").isPresent());
        assertEquals(Optional.of(0), advertisedShufflePort(leader, "worker-1"), "no shuffle service advertised");

        EmberContext context = cluster.startApplication(cluster.applicationSettings("own-blocks", 1));
        String appId = context.applicationId();
        ShuffleWritingDataset.Written output = new ShuffleWritingDataset(context, 1).collect().get(0);
        assertTrue(output.port() > 0, "the executor serves its blocks on a port of its own");
        assertArrayEquals(ShuffleWritingDataset.payload(0, 0), fetch(appId, output, 0),
                "the executor serves its own block while it runs");
    }

    @Test
    void aWorkerWhoseShufflePortIsTakenDoesNotStartAndNamesThePortAndTheKey() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> cluster.startWorker("worker-1", 1,
                    Map.of("ember.shuffle.service.port", Integer.toString(port))));
            assertTrue(e.getMessage().contains("127.0.0.1:" + port), e.getMessage());
            assertTrue(e.getMessage().contains("ember.shuffle.service.port"), e.getMessage());
            assertEquals(1, e.getMessage().lines().count(), "one line: " + e.getMessage());
        }
        assertTrue(cluster.children(cluster.paths().workers()).isEmpty(), "the worker did not register");
    }

    /** The shuffle port the leader lists for the worker; empty while it lists no such worker. */
    private Optional<Integer> advertisedShufflePort(LeaderInfo leader, String workerId) {
        return cluster.describe(leader.address()).getWorkersList().stream()
                .filter(spec -> spec.getWorkerId().equals(workerId)).findFirst().map(WorkerSpec::getShufflePort);
    }

    /**
     * Fetches one block of {@code output} with a fresh sort shuffle in the test JVM, as another
     * executor of the application would.
     */
    private byte[] fetch(String appId, ShuffleWritingDataset.Written output, int reduceId) throws IOException {
        Path readerDir = cluster.newDirectory("reader");
        try (SortShuffleManager manager = new SortShuffleManager(new SortShuffleSettings(64L << 20, 64 << 10, true,
                        ChecksumAlgorithm.CRC32C, 48L << 20));
             ExecutorShuffle shuffle = manager.openExecutor(new ExecutorShuffleContext(appId, "reader", "127.0.0.1",
                     List.of(readerDir), Optional.empty(), Optional.empty()));
             ShuffleReader reader = shuffle.reader(List.of(new MapBlock(new ShuffleBlockId(
                     ShuffleWritingDataset.SHUFFLE_ID, output.mapId(), reduceId), output.location(),
                     output.lengths()[reduceId])))) {
            assertTrue(reader.hasNext(), "one block");
            ShuffleBlock block = reader.next();
            byte[] bytes = block.data().readAllBytes();
            assertFalse(reader.hasNext(), "only one block");
            return bytes;
        }
    }

    private static boolean hasFiles(Path directory) {
        if (!Files.isDirectory(directory)) {
            return false;
        }
        try (Stream<Path> files = Files.walk(directory)) {
            return files.anyMatch(Files::isRegularFile);
        } catch (IOException | UncheckedIOException e) {
            return false;   // deleted while walking
        }
    }
}
