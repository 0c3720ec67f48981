package io.ember.core.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.api.shuffle.ExecutorShuffle;
import io.ember.api.shuffle.ExecutorShuffleContext;
import io.ember.api.shuffle.ExecutorShuffleContext.ServiceAddress;
import io.ember.api.shuffle.ShuffleServiceContext;
import io.ember.api.shuffle.ShuffleWriter;
import io.ember.api.testkit.ManualClock;
import io.ember.core.bootstrap.Bootstrap;
import io.ember.core.bootstrap.EmberEnvironment;
import io.ember.core.bootstrap.LaunchContext;
import io.ember.core.coordination.ClusterPaths;
import io.ember.core.coordination.EmbeddedZooKeeper;
import io.ember.core.coordination.ZooKeeperClients;
import io.ember.core.coordination.ZooKeeperSettings;
import io.ember.shuffle.sort.ChecksumAlgorithm;
import io.ember.shuffle.sort.SortShuffleManager;
import io.ember.shuffle.sort.SortShuffleSettings;
import io.ember.core.testing.Eventually;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A shuffle service reconciled against a real ZooKeeper's record of live applications, with a
 * manual clock: an application the record does not hold is removed after the grace, a live one or
 * one running on this host never, and nothing while ZooKeeper cannot say.
 */
@Timeout(120)
final class ShuffleReconciliationTest {

    private static final String CLUSTER = "reconcile";
    private static final ClusterPaths PATHS = new ClusterPaths(CLUSTER);
    private static final Duration GRACE = Duration.ofHours(1);
    private static final String LIVE = "app-20260101000000-0001";
    private static final String ENDED = "app-20260101000000-0002";
    private static final String RUNNING_HERE = "app-20260101000000-0003";

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock(Instant.parse("2026-06-01T12:00:00Z"));
    private final AtomicReference<Set<String>> runningHere = new AtomicReference<>(Set.of());
    private EmbeddedZooKeeper zooKeeper;
    private CuratorFramework client;
    private SortShuffleManager executors;
    private ShuffleServiceHost service;
    private EmberEnvironment environment;

    @BeforeEach
    void start() throws Exception {
        zooKeeper = EmbeddedZooKeeper.start(dir.resolve("zk"));
        client = ZooKeeperClients.connect(ZooKeeperSettings.of(zooKeeper.connectString())
                .withTimeouts(Duration.ofSeconds(4), Duration.ofSeconds(2)));
        client.create().creatingParentsIfNeeded().forPath(PATHS.app(LIVE));
        // the sort plugin as a worker loads it (through the plugin host's class-loader-safe wrappers)
        environment = new Bootstrap(new LaunchContext(Optional.empty(), Optional.empty(), Map.of(), Map.of(),
                Map.of())).load();
        WorkerShuffle.Service wanted = WorkerShuffle.from(environment).service().orElseThrow();
        service = ShuffleServiceHost.start(wanted.factory(), wanted.settings(),
                new ShuffleServiceContext("127.0.0.1", 0, dir.resolve("state"), Optional.empty()));
        executors = new SortShuffleManager(settings());
    }

    @AfterEach
    void stop() {
        if (executors != null) {
            executors.close();
        }
        if (service != null) {
            service.close();
        }
        if (client != null) {
            client.close();
        }
        if (zooKeeper != null) {
            zooKeeper.close();
        }
        if (environment != null) {
            environment.close();
        }
    }

    @Test
    void removesAnApplicationTheRecordDoesNotHoldAfterTheGraceAndNeverALiveOne() throws Exception {
        Path live = writeOutput(LIVE);
        Path ended = writeOutput(ENDED);
        Path runningHereOnly = writeOutput(RUNNING_HERE);
        runningHere.set(Set.of(RUNNING_HERE));
        ShuffleReconciliation reconciliation = reconciliation();
        assertEquals(Set.of(LIVE, ENDED, RUNNING_HERE), service.applications());

        assertEquals(List.of(), reconciliation.reconcile(), "nothing at the first look: the grace starts");
        clock.advance(GRACE.minusMinutes(1));
        assertEquals(List.of(), reconciliation.reconcile());
        assertTrue(hasFiles(ended));
        clock.advance(Duration.ofMinutes(1));

        assertEquals(List.of(ENDED), reconciliation.reconcile());

        assertFalse(Files.exists(ended), "the ended application's files are deleted");
        assertEquals(Set.of(LIVE, RUNNING_HERE), service.applications());
        clock.advance(Duration.ofDays(2));
        assertEquals(List.of(), reconciliation.reconcile());
        assertTrue(hasFiles(live), "a live application's files stay");
        assertTrue(hasFiles(runningHereOnly), "an application running on this host stays");
    }

    @Test
    void removesNothingWhileZooKeeperCannotSay() throws Exception {
        Path ended = writeOutput(ENDED);
        ShuffleReconciliation reconciliation = reconciliation();
        assertEquals(List.of(), reconciliation.reconcile());
        zooKeeper.stop();
        clock.advance(Duration.ofDays(1));

        assertEquals(List.of(), reconciliation.reconcile());
        assertTrue(hasFiles(ended));

        zooKeeper.restart();
        assertTrue(client.blockUntilConnected(30, TimeUnit.SECONDS), "the client connected again");
        assertEquals(List.of(ENDED), reconciliation.reconcile(), "once ZooKeeper answers again");
        assertFalse(Files.exists(ended));
    }

    @Test
    void aStandaloneServicesCleanupReconcilesAtStart() throws Exception {
        Path ended = writeOutput(ENDED);
        Path live = writeOutput(LIVE);
        WorkerCleanup cleanup = WorkerCleanup.forShuffleService(service, client, CLUSTER, Duration.ofSeconds(1),
                Duration.ZERO, clock);
        try {
            cleanup.start();
            Eventually.await("the ended application's files are deleted",
                    () -> !Files.exists(ended));
        } finally {
            cleanup.close();
        }
        assertTrue(hasFiles(live));
    }

    private ShuffleReconciliation reconciliation() {
        return new ShuffleReconciliation(service, () -> WorkerCleanup.liveApplications(client, PATHS), runningHere::get,
                GRACE, clock);
    }

    /** An executor of {@code appId} registers with the service and writes a map output; returns its directory. */
    private Path writeOutput(String appId) throws IOException {
        Path own = Files.createDirectories(dir.resolve("executors").resolve(appId));
        try (ExecutorShuffle shuffle = executors.openExecutor(new ExecutorShuffleContext(appId, "0", "127.0.0.1",
                List.of(own), Optional.of(new ServiceAddress("127.0.0.1", service.port())), Optional.empty()))) {
            ShuffleWriter writer = shuffle.writer(0, 1, 2);
            byte[] record = "a record".getBytes(StandardCharsets.UTF_8);
            writer.write(0, record, 0, record.length);
            writer.commit();
        }
        Path output = dir.resolve("state").resolve("data").resolve(appId).toAbsolutePath();
        assertTrue(hasFiles(output), "the map output is below the service's root: " + output);
        return output;
    }

    private static boolean hasFiles(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return false;
        }
        try (Stream<Path> files = Files.walk(directory)) {
            return files.anyMatch(Files::isRegularFile);
        }
    }

    private static SortShuffleSettings settings() {
        return new SortShuffleSettings(64L << 20, 64 << 10, true, ChecksumAlgorithm.CRC32C, 1L << 20);
    }
}
