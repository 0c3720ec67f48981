package io.ember.core.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ember.core.coordination.LeaderInfo;
import io.ember.core.coordination.ZooKeeperClients;
import io.ember.core.coordination.ZooKeeperSettings;
import io.ember.core.dataset.Pair;
import io.ember.core.driver.EmberContext;
import io.ember.core.rpc.proto.WorkerSpec;
import io.ember.core.testing.Eventually;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.state.ConnectionState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * ZooKeeper goes away for three session timeouts in the middle of a job and comes back on the same
 * port and data, as a restarted ensemble does: every process recovers by itself. The master leads
 * again, the workers and executors are registered again (in ZooKeeper and with the leader), the
 * driver keeps its executors and the job finishes with the exact result, no task run twice, and a
 * new application runs, without restarting anything.
 */
final class ZooKeeperOutageTest {

    private static final Duration WAIT = Duration.ofSeconds(90);
    /** Three times the session timeout of the workers, drivers and executors (the masters' is shorter). */
    private static final Duration OUTAGE = Duration.ofSeconds(12);
    private static final int TASKS = 16;

    @RegisterExtension
    final ProcessClusterExtension cluster = ProcessClusterExtension.withMasters(1).withWorkers(2, 2);

    @TempDir
    Path marks;

    @Test
    void aJobRunningThroughAnOutageFinishesExactAndANewApplicationRunsAfterIt() throws Exception {
        LeaderInfo before = cluster.awaitLeaderAbove(0);
        Eventually.await(WAIT, () -> cluster.describe(before.address()).getWorkersCount() == 2,
                "both workers registered with the leader");
        EmberContext survivor = cluster.startApplication(cluster.applicationSettings("through-the-outage", 2));
        Set<String> executors = ProcessClusterExtension.executorIds(survivor.awaitExecutors(2, WAIT));
        Map<String, Long> pids = cluster.awaitRegisteredPids(survivor.applicationId(), 2);

        // A job whose tasks wait for the gate: it is under way when ZooKeeper goes, and ends after.
        Path gate = marks.resolve("gate");
        String marksDir = marks.toString();
        String gatePath = gate.toString();
        CompletableFuture<Map<Long, Long>> job = CompletableFuture.supplyAsync(() -> survivor.range(0, TASKS, TASKS)
                .map(i -> {
                    mark(marksDir, "started-" + i);
                    while (!Files.exists(Path.of(gatePath))) {
                        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
                    }
                    return i;
                })
                .mapToPair(i -> new Pair<>(i % 4, i * i))
                .reduceByKey(Long::sum, 2)
                .collectAsMap());
        Eventually.await(WAIT, () -> started() >= 2, "the job is under way on both executors");

        // A client with the processes' session timeout, to see their sessions expire.
        AtomicBoolean sessionExpired = new AtomicBoolean();
        long stoppedAt;
        try (CuratorFramework witness = ZooKeeperClients.connect(ZooKeeperSettings.of(cluster.zookeeperConnect()))) {
            witness.getConnectionStateListenable().addListener((client, state) -> {
                if (state == ConnectionState.LOST) {
                    sessionExpired.set(true);
                }
            });
            cluster.stopZooKeeper();
            stoppedAt = System.nanoTime();
            Eventually.await(OUTAGE.plus(WAIT), () -> sessionExpired.get()
                            && System.nanoTime() - stoppedAt >= OUTAGE.toNanos(),
                    "the sessions expired and the outage lasted three session timeouts");
        }
        cluster.restartZooKeeper();
        long restartedAt = System.nanoTime();

        LeaderInfo after = cluster.awaitLeaderAbove(before.epoch());
        Eventually.await(WAIT, () -> Set.of("worker-1", "worker-2").equals(registeredWorkers()),
                () -> "both workers in ZooKeeper again; the registry lists " + registeredWorkers());
        Eventually.await(WAIT, () -> leaderWorkers(after).equals(Set.of("worker-1", "worker-2")),
                () -> "both workers registered with the leader again; it lists " + leaderWorkers(after));
        long workersBackMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restartedAt);

        Eventually.await(WAIT, () -> pids.equals(cluster.registeredPids(survivor.applicationId())),
                () -> "the same executor processes registered again; the registry lists "
                        + cluster.registeredPids(survivor.applicationId()) + ", before the outage " + pids);
        Files.createFile(gate);
        assertEquals(expected(), job.get(WAIT.toSeconds(), TimeUnit.SECONDS), "the job through the outage");
        assertEquals(executors, ProcessClusterExtension.executorIds(survivor.executors()),
                "the driver kept its executors, and the tasks they ran through the outage");
        assertEquals(TASKS, started(), "no task ran twice");

        long newcomerStart = System.nanoTime();
        EmberContext newcomer = cluster.startApplication(cluster.applicationSettings("after-the-outage", 2));
        newcomer.awaitExecutors(2, WAIT);
        assertEquals(120L, newcomer.range(0, 16, 4).reduce(Long::sum), "a new application runs");
        long newcomerMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - newcomerStart);
        assertEquals(120L, survivor.range(0, 16, 4).reduce(Long::sum), "the old application runs its next job");

        System.out.printf("ZooKeeper outage of %d ms: both workers registered again %d ms after the quorum returned "
                        + "(leader epoch %d -> %d); a new application's first job took %d ms%n",
                TimeUnit.NANOSECONDS.toMillis(restartedAt - stoppedAt), workersBackMillis, before.epoch(),
                after.epoch(), newcomerMillis);
    }

    private static Map<Long, Long> expected() {
        return LongStream.range(0, TASKS).boxed()
                .collect(Collectors.groupingBy(i -> i % 4, TreeMap::new, Collectors.summingLong(i -> i * i)));
    }

    private Set<String> registeredWorkers() {
        return Set.copyOf(cluster.children(cluster.paths().workers()));
    }

    private Set<String> leaderWorkers(LeaderInfo leader) {
        return cluster.describe(leader.address()).getWorkersList().stream().map(WorkerSpec::getWorkerId)
                .collect(Collectors.toSet());
    }

    private long started() {
        try (Stream<Path> files = Files.list(marks)) {
            return files.filter(f -> f.getFileName().toString().startsWith("started-")).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void mark(String directory, String name) {
        try {
            Files.createFile(Path.of(directory, name + "-" + UUID.randomUUID()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
