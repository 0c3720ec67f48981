package io.ember.core.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.api.cluster.ApplicationInfo;
import io.ember.api.cluster.ExecutorInfo;
import io.ember.api.testkit.ManualClock;
import io.ember.core.coordination.ClusterPaths;
import io.ember.core.coordination.CoordinationException;
import io.ember.core.coordination.EmbeddedZooKeeper;
import io.ember.core.coordination.ZooKeeperClients;
import io.ember.core.coordination.ZooKeeperSettings;
import io.ember.core.rpc.proto.ApplicationSpec;
import io.ember.core.rpc.proto.DriverMessage;
import io.ember.core.testing.Eventually;
import io.ember.core.testing.TestingExecutor;
import io.ember.core.testing.TestingMaster;
import io.grpc.Status;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An application's driver from start to close: a real ZooKeeper, fake leader masters on real
 * sockets, fake executors connecting to the driver over gRPC.
 */
final class EmberContextTest {

    private static final String SECRET = "a-secret-of-at-least-16-chars";
    private static final ClusterPaths PATHS = new ClusterPaths("c1");

    @TempDir
    Path dir;

    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final List<EmberContext> contexts = new ArrayList<>();
    private final ManualClock clock = new ManualClock();
    private EmbeddedZooKeeper zookeeper;
    private CuratorFramework masters;

    @BeforeEach
    void startZooKeeper() {
        zookeeper = EmbeddedZooKeeper.start(dir);
    }

    @AfterEach
    void stop() {
        contexts.forEach(EmberContext::close);   // first, while their masters still answer
        for (int i = toClose.size() - 1; i >= 0; i--) {
            try {
                toClose.get(i).close();
            } catch (Exception e) {
                // cleaning up: keep going
            }
        }
        zookeeper.close();
    }

    @Test
    void registersTheApplicationAndAsksForTheConfiguredExecutors() throws Exception {
        TestingMaster master = leader("m1", 1, Optional.empty());

        EmberContext ember = context(settings());

        assertEquals(1, master.registrations.size());
        ApplicationSpec spec = master.registrations.get(0).getApp();
        assertEquals("", spec.getAppId());
        assertEquals("report", spec.getName());
        assertEquals("etl", spec.getQueue());
        assertEquals(2, spec.getCoresPerExecutor());
        assertEquals(512L << 20, spec.getMemoryPerExecutorBytes());
        assertEquals(ember.driverAddress(), spec.getDriverAddress());
        assertEquals(Map.of("ember.cluster", "c1", "ember.zookeeper.sessionTimeout", "4s",
                "ember.executor.heartbeatInterval", "200ms"), spec.getExecutorSettingsMap());
        Eventually.await(() -> master.lastRequestedTotal() == 3, "the static policy asks for ember.executor.instances");
        assertEquals(new ApplicationInfo(ember.applicationId(), "report", "etl", 2, 512L << 20), ember.application());
        assertNotNull(masters.checkExists().forPath(PATHS.driver(ember.applicationId())), "the driver's node exists");
        assertEquals("c1", ember.cluster());
        assertEquals(3, ember.config().get(io.ember.core.config.EmberKeys.EXECUTOR_INSTANCES));
    }

    @Test
    void keepsExecutorsThatHeartbeatAndDropsSilentAndBrokenOnes() throws Exception {
        leader("m1", 1, Optional.empty());
        EmberContext ember = context(settings());
        TestingExecutor steady = executor(ember, Optional.empty());
        TestingExecutor silent = executor(ember, Optional.empty());

        steady.register("e1");
        DriverMessage registered = steady.next();
        assertEquals(ember.applicationId(), registered.getRegistered().getAppId());
        assertEquals(200, registered.getRegistered().getHeartbeatIntervalMillis());
        silent.register("e2");
        assertTrue(silent.next().hasRegistered());
        List<ExecutorInfo> executors = ember.awaitExecutors(2, Duration.ofSeconds(10));
        assertEquals(List.of(new ExecutorInfo("e1", ember.applicationId(), "worker-1", "127.0.0.1", 0, 2),
                new ExecutorInfo("e2", ember.applicationId(), "worker-1", "127.0.0.1", 0, 2)), executors);

        clock.advance(Duration.ofMillis(1_500));
        steady.heartbeat();
        long heard = clock.millis();
        Eventually.await(() -> ember.endpoint().lastHeardMillis("e1").orElse(-1) == heard, "e1's heartbeat arrives");
        clock.advance(Duration.ofMillis(600));   // e2 silent for 2.1s > ember.executor.heartbeatTimeout=2s; e1 for 0.6s

        Eventually.await(() -> ids(ember).equals(List.of("e1")), "the silent executor is dropped: " + ids(ember));
        assertEquals("no heartbeat for 2s (ember.executor.heartbeatTimeout)", silent.next().getShutdown().getReason());
        Eventually.await(silent::ended, "the silent executor's stream ends");

        steady.breakStream();
        Eventually.await(() -> ember.executors().isEmpty(), "the executor whose stream broke is dropped");
    }

    @Test
    void saysHowManyExecutorsRegisteredWhenAWaitTimesOut() throws Exception {
        leader("m1", 1, Optional.empty());
        EmberContext ember = context(settings());
        TestingExecutor executor = executor(ember, Optional.empty());
        executor.register("e1");
        assertTrue(executor.next().hasRegistered());
        assertEquals(1, ember.awaitExecutors(1, Duration.ofSeconds(10)).size());

        ExecutorWaitTimeoutException e = assertThrows(ExecutorWaitTimeoutException.class,
                () -> ember.awaitExecutors(3, Duration.ofMillis(50)));

        assertEquals("only 1 of 3 executor(s) of application " + ember.applicationId() + " registered with the driver "
                + "within 50ms (do executors reach the driver at " + ember.driverAddress() + "? a worker's log says "
                + "why an executor did not start)", e.getMessage());
        assertEquals(1, e.registered());
        assertEquals(3, e.awaited());
    }

    @Test
    void aWaitForExecutorsEndsWhenTheContextClosesMeanwhile() throws Exception {
        leader("m1", 1, Optional.empty());
        EmberContext ember = context(settings());
        AtomicReference<RuntimeException> ended = new AtomicReference<>();
        Thread waiter = new Thread(() -> {
            try {
                ember.awaitExecutors(3, Duration.ofMinutes(10));
            } catch (RuntimeException e) {
                ended.set(e);
            }
        }, "waiting-for-executors");
        waiter.start();
        Eventually.await(() -> waiter.getState() == Thread.State.TIMED_WAITING, "the thread waits for executors");

        ember.close();   // as ember submit's stop does, on another thread than the application's

        Eventually.await(() -> !waiter.isAlive(), "the wait ends with the context, not after 10 minutes");
        assertEquals("this context (application " + ember.applicationId() + ") is closed", ended.get().getMessage());
        assertEquals(IllegalStateException.class, ended.get().getClass());
    }

    @Test
    void registersTheSameApplicationWithTheNewLeaderAfterAFailover() throws Exception {
        TestingMaster first = leader("m1", 1, Optional.empty());
        EmberContext ember = context(settings());
        Eventually.await(() -> first.lastRequestedTotal() == 3, "the first leader hears of 3 executors");
        TestingExecutor executor = executor(ember, Optional.empty());
        executor.register("e1");
        assertTrue(executor.next().hasRegistered());

        TestingMaster second = leader("m2", 2, Optional.empty());

        Eventually.await(() -> !second.registrations.isEmpty(), "the application registers with the new leader");
        assertEquals(ember.applicationId(), second.registrations.get(0).getApp().getAppId());
        assertEquals(3, second.registrations.get(0).getRequestedExecutors());
        assertEquals(List.of("e1"), ids(ember), "the executor stays");
        assertFalse(executor.ended());
        assertTrue(ember.requestTotalExecutors(4));
        Eventually.await(() -> second.lastRequestedTotal() == 4, "requests go to the new leader");
    }

    @Test
    void closeUnregistersShutsDownExecutorsAndDeletesTheDriverNode() throws Exception {
        TestingMaster master = leader("m1", 1, Optional.empty());
        EmberContext ember = context(settings());
        TestingExecutor executor = executor(ember, Optional.empty());
        executor.register("e1");
        assertTrue(executor.next().hasRegistered());
        String appId = ember.applicationId();

        ember.close();
        ember.close();

        assertEquals(1, master.unregistrations.size());
        assertEquals(appId, master.unregistrations.get(0).getAppId());
        assertEquals("application " + appId + " ended", executor.next().getShutdown().getReason());
        Eventually.await(executor::ended, "the executor's stream ends");
        assertEquals(Status.Code.OK, executor.endStatus().getCode());
        assertNull(masters.checkExists().forPath(PATHS.driver(appId)), "the driver's node is gone");
    }

    @Test
    void withASecretRefusesUnauthenticatedExecutorsAndAcceptsAuthenticatedOnes() throws Exception {
        TestingMaster master = leader("m1", 1, Optional.of(SECRET));
        Map<String, String> settings = settings();
        settings.put("ember.auth.secret", SECRET);
        EmberContext ember = context(settings);
        assertEquals(1, master.registrations.size());

        TestingExecutor stranger = executor(ember, Optional.empty());
        stranger.register("intruder");
        TestingExecutor member = executor(ember, Optional.of(SECRET));
        member.register("e1");

        Eventually.await(stranger::ended, "the unauthenticated stream is refused");
        assertEquals(Status.Code.UNAUTHENTICATED, stranger.endStatus().getCode());
        assertTrue(member.next().hasRegistered());
        assertEquals(List.of("e1"), ids(ember));
    }

    @Test
    void startsALocalClusterThroughTheLauncherAndStopsItOnClose() throws Exception {
        leader("m1", 1, Optional.empty());
        AtomicBoolean stopped = new AtomicBoolean();
        Map<String, String> settings = settings();
        settings.put("ember.master", "local-cluster[2,3]");
        List<MasterUrl.LocalClusterUrl> asked = new ArrayList<>();
        ClusterLauncher launcher = (url, environment) -> {
            asked.add(url);
            return new ClusterHandle() {
                @Override
                public String zookeeperConnect() {
                    return zookeeper.connectString();
                }

                @Override
                public String cluster() {
                    return "c1";
                }

                @Override
                public void close() {
                    stopped.set(true);
                }
            };
        };

        EmberContext ember = EmberContext.builder().isolated().setAll(settings).clock(clock)
                .clusterLauncher(launcher).build();
        contexts.add(ember);
        assertEquals(List.of(new MasterUrl.LocalClusterUrl(2, 3)), asked);
        assertFalse(stopped.get());
        ember.close();

        assertTrue(stopped.get(), "the local cluster is stopped with the application");
    }

    @Test
    void refusesABadMasterUrlWithOneLine() {
        Map<String, String> settings = settings();
        settings.put("ember.master", "foo://x");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> context(settings));

        assertEquals("ember.master 'foo://x' is not a master URL; expected local[N], local-cluster[W,C] or "
                + "ember://<zookeeper-connect>/<cluster>", e.getMessage());
    }

    @Test
    void refusesAMissingMasterUrlWithOneLine() {
        Map<String, String> settings = settings();
        settings.remove("ember.master");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> context(settings));

        assertTrue(e.getMessage().startsWith("ember.master is not set; "), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void refusesAHeartbeatTimeoutNoLongerThanTheInterval() {
        Map<String, String> settings = settings();
        settings.put("ember.executor.heartbeatInterval", "2s");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> context(settings));

        assertEquals("ember.executor.heartbeatTimeout (2s) must be longer than ember.executor.heartbeatInterval (2s), "
                + "or every executor is dropped as silent", e.getMessage());
    }

    @Test
    void failsWithOneLineWhenZooKeeperIsUnreachable() throws IOException {
        int port = freePort();
        Map<String, String> settings = settings();
        settings.put("ember.master", "ember://127.0.0.1:" + port + "/c1");
        settings.put("ember.zookeeper.connectionTimeout", "500ms");

        CoordinationException e = assertThrows(CoordinationException.class, () -> context(settings));

        assertEquals("cannot reach ZooKeeper at 127.0.0.1:" + port + " within 500ms", e.getMessage());
    }

    @Test
    void failsWithOneLineWhenNoLeaderMasterAppears() {
        Map<String, String> settings = settings();
        settings.put("ember.rpc.timeout", "700ms");

        CoordinationException e = assertThrows(CoordinationException.class, () -> context(settings));

        assertEquals("no leader master for cluster c1 at " + zookeeper.connectString() + " after 700ms",
                e.getMessage());
    }

    private Map<String, String> settings() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("ember.master", "ember://" + zookeeper.connectString() + "/c1");
        settings.put("ember.app.name", "report");
        settings.put("ember.app.queue", "etl");
        settings.put("ember.executor.instances", "3");
        settings.put("ember.executor.cores", "2");
        settings.put("ember.executor.memory", "512m");
        settings.put("ember.executor.heartbeatInterval", "200ms");
        settings.put("ember.executor.heartbeatTimeout", "2s");
        settings.put("ember.rpc.timeout", "5s");
        return settings;
    }

    private EmberContext context(Map<String, String> settings) {
        EmberContext ember = EmberContext.builder().isolated().setAll(settings).clock(clock).build();
        contexts.add(ember);
        return ember;
    }

    private TestingMaster leader(String id, long epoch, Optional<String> secret) throws Exception {
        if (masters == null) {
            ZooKeeperSettings zk = ZooKeeperSettings.of(zookeeper.connectString());
            masters = track(ZooKeeperClients.connect(secret.map(zk::withSecret).orElse(zk)));
        }
        TestingMaster master = track(new TestingMaster(id, epoch, masters, PATHS, secret));
        master.publishAsLeader();
        return master;
    }

    private TestingExecutor executor(EmberContext ember, Optional<String> secret) {
        return track(new TestingExecutor(ember.driverAddress(), secret));
    }

    private static List<String> ids(EmberContext ember) {
        return ember.executors().stream().map(ExecutorInfo::executorId).toList();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private <T extends AutoCloseable> T track(T closeable) {
        toClose.add(closeable);
        return closeable;
    }
}
