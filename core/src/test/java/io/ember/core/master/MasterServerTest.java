package io.ember.core.master;

import static io.ember.core.testing.RawConnections.assertAdmitted;
import static io.ember.core.testing.RawConnections.assertClosed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import io.ember.api.config.DeclaredSettings;
import io.ember.api.scheduler.GroupStatus;
import io.ember.api.scheduler.SchedulerFactory;
import io.ember.api.scheduler.SchedulingPolicy;
import io.ember.core.coordination.ClusterPaths;
import io.ember.core.coordination.EmbeddedZooKeeper;
import io.ember.core.coordination.Registration;
import io.ember.core.coordination.Registrations;
import io.ember.core.coordination.ZooKeeperClients;
import io.ember.core.coordination.ZooKeeperSettings;
import io.ember.core.rpc.RpcChannels;
import io.ember.core.web.WebServer;
import io.ember.core.web.WebUiPort;
import io.ember.core.rpc.RpcLimits;
import io.ember.core.rpc.proto.ApplicationSpec;
import io.ember.core.rpc.proto.ClusterDescription;
import io.ember.core.rpc.proto.DescribeClusterRequest;
import io.ember.core.rpc.proto.ExecutorState;
import io.ember.core.rpc.proto.ExecutorStatus;
import io.ember.core.rpc.proto.LaunchExecutorRequest;
import io.ember.core.rpc.proto.MasterServiceGrpc;
import io.ember.core.rpc.proto.QueueStatus;
import io.ember.core.rpc.proto.RegisterApplicationRequest;
import io.ember.core.rpc.proto.RegisterWorkerRequest;
import io.ember.core.rpc.proto.ReportExecutorStateRequest;
import io.ember.core.rpc.proto.StoredWorker;
import io.ember.core.rpc.proto.UnregisterApplicationRequest;
import io.ember.core.testing.CapturedLog;
import io.ember.core.testing.Eventually;
import io.ember.core.testing.RawConnections;
import io.ember.scheduler.fair.FairSchedulerFactory;
import io.ember.scheduler.fifo.FifoSchedulerFactory;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Masters against a real (embedded) ZooKeeper, with fake workers over real gRPC. */
final class MasterServerTest {

    private static final String CLUSTER = "test";

    @TempDir
    Path dir;

    private final List<AutoCloseable> resources = new ArrayList<>();
    private EmbeddedZooKeeper zooKeeper;
    private RpcChannels channels;
    private CuratorFramework driverClient;
    private final Map<String, Registration> driverNodes = new HashMap<>();

    @BeforeEach
    void startZooKeeper() {
        zooKeeper = EmbeddedZooKeeper.start(dir);
        channels = new RpcChannels("test-client", Optional.empty());
        driverClient = ZooKeeperClients.connect(zk());
    }

    @AfterEach
    void stopEverything() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
        channels.close();
        driverClient.close();
        zooKeeper.close();
    }

    @Test
    void theLeaderPlacesAnApplicationsExecutorsOnRegisteredWorkers() {
        MasterServer master = leader();
        FakeWorker worker = registeredWorker(master, "w1", 4);

        String appId = registerApplication(master, 3);

        Eventually.await("3 launches", () -> worker.launches.size() == 3);
        for (LaunchExecutorRequest launch : worker.launches) {
            assertEquals(master.epoch(), launch.getEpoch());
            assertEquals(appId, launch.getExecutor().getAppId());
            assertEquals("127.0.0.1:9", launch.getExecutor().getDriverAddress());
        }
        assertEquals(3, describe(master).getExecutorsCount());
    }

    @Test
    void listensOnItsBindAddressAndTellsOthersItsAdvertisedOne() throws IOException {
        MasterOptions options = new MasterOptions(CLUSTER, zk(), "0.0.0.0", 0, Placement.SPREAD, Optional.empty(),
                Duration.ofSeconds(5), Duration.ofMillis(500), MasterOptions.newMasterId("127.0.0.1"), RpcLimits.DEFAULTS,
                "127.0.0.1");
        MasterServer master = MasterServer.start(options, fifo());
        resources.add(master);
        Eventually.await("a leader", master::isLeader);
        int port = Integer.parseInt(master.address().substring(master.address().lastIndexOf(':') + 1));

        assertEquals("127.0.0.1:" + port, master.address(), "what it publishes in ZooKeeper");
        assertEquals(master.epoch(), describe(master).getEpoch(), "reached at its advertised address");
        try (Socket elsewhere = new Socket("127.0.0.2", port)) {   // another address of this host: it binds them all
            elsewhere.setSoTimeout(20_000);
            assertAdmitted(elsewhere);
        }
    }

    @Test
    void aMasterWhoseWebUiPortsAreAllTakenRunsWithoutItAfterOneWarning() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
             CapturedLog log = CapturedLog.of(WebServer.class)) {
            int port = taken.getLocalPort();
            MasterOptions options = new MasterOptions(CLUSTER, zk(), "127.0.0.1", 0, Placement.SPREAD,
                    Optional.empty(), Duration.ofSeconds(5), Duration.ofMillis(500),
                    MasterOptions.newMasterId("127.0.0.1"), RpcLimits.DEFAULTS, "127.0.0.1",
                    new WebUiPort(port, 0, "ember.master.ui.port"));

            MasterServer master = MasterServer.start(options, fifo());
            resources.add(master);

            Eventually.await("a leader", master::isLeader);
            assertEquals("", master.uiUrl());
            assertEquals(List.of("The master runs without its web UI: no free port for the master web UI on 127.0.0.1 "
                    + "in " + port + ".." + port + " (set ember.master.ui.port to a free port, or 0 to turn the web UI "
                    + "off)"), log.messages(Level.WARN));
            assertEquals(master.epoch(), describe(master).getEpoch(), "it serves the cluster all the same");
        }
    }

    @Test
    void holdsItsRpcConnectionsToTheConfiguredLimits() throws IOException {
        MasterServer master = master(fifo(), new RpcLimits(2, Duration.ofMinutes(5), Duration.ofMinutes(5)));
        int port = Integer.parseInt(master.address().substring(master.address().lastIndexOf(':') + 1));

        try (RawConnections strangers = new RawConnections()) {
            Socket first = strangers.connect(port);
            assertAdmitted(first);
            assertAdmitted(strangers.connect(port));
            assertClosed(strangers.connect(port));   // ember.rpc.maxConnections=2

            first.close();
            Eventually.await("the master admits a connection in the freed place", () -> {
                try {
                    return describe(master).getEpoch() > 0;
                } catch (StatusRuntimeException refused) {
                    return false;
                }
            });
        }
    }

    @Test
    void anExecutorThatFailsIsReplaced() {
        MasterServer master = leader();
        FakeWorker worker = registeredWorker(master, "w1", 4);
        registerApplication(master, 1);
        Eventually.await("a launch", () -> worker.launches.size() == 1);

        LaunchExecutorRequest first = worker.launches.get(0);
        stub(master).reportExecutorState(ReportExecutorStateRequest.newBuilder().setWorkerId("w1")
                .setState(ExecutorState.newBuilder().setSpec(first.getExecutor()).setStatus(ExecutorStatus.FAILED)
                        .setExitCode(1)).build());

        Eventually.await("a replacement", () -> worker.launches.size() == 2);
        assertNotEquals(first.getExecutor().getExecutorId(), worker.launches.get(1).getExecutor().getExecutorId());
    }

    @Test
    void executorsThatKeepFailingAreRelaunchedMoreAndMoreSlowly() {
        MasterServer master = leader();
        FakeWorker worker = registeredWorker(master, "w1", 4);
        registerApplication(master, 1);
        Eventually.await("a launch", () -> worker.launches.size() == 1);

        fail(master, worker.launches.get(0));
        Eventually.await("the first failure is replaced at once", () -> worker.launches.size() == 2);
        long beforeSecondFailure = System.nanoTime();   // before the report: the master hears of it after this
        fail(master, worker.launches.get(1));
        Eventually.await("the second failure is replaced too", () -> worker.launches.size() == 3);

        long waitedMillis = (System.nanoTime() - beforeSecondFailure) / 1_000_000;
        assertTrue(waitedMillis >= ExecutorFailures.FIRST_DELAY.toMillis(),
                "the replacement waited for the backoff: " + waitedMillis + " ms");
    }

    private void fail(MasterServer master, LaunchExecutorRequest launch) {
        stub(master).reportExecutorState(ReportExecutorStateRequest.newBuilder().setWorkerId("w1")
                .setState(ExecutorState.newBuilder().setSpec(launch.getExecutor()).setStatus(ExecutorStatus.FAILED)
                        .setExitCode(1)).build());
    }

    /** An ended application leaves no record, yet the next leader does not give its number out again. */
    @Test
    void applicationIdsKeepIncreasingAcrossLeadersEvenAfterEveryApplicationEnded() {
        MasterServer first = master();
        Eventually.await("a leader", first::isLeader);
        MasterServer second = master();
        String ended = registerApplication(first, 0);
        stub(first).unregisterApplication(UnregisterApplicationRequest.newBuilder().setAppId(ended).build());

        first.close();
        Eventually.await("the standby leads", second::isLeader);
        String next = registerApplication(second, 0);

        assertTrue(ended.endsWith("-0000"), ended);
        assertTrue(next.endsWith("-0001"), "a number no application had: " + next);
    }

    @Test
    void aStandbyAnswersNotTheLeader() {
        MasterServer leader = master();
        Eventually.await("a leader", leader::isLeader);
        MasterServer standby = master();

        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> describe(standby));

        assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
        assertTrue(!standby.isLeader());
    }

    @Test
    void aStandbyTakesOverTheApplicationsAndWorkersOfAClosedLeader() throws Exception {
        MasterServer first = master();
        Eventually.await("a leader", first::isLeader);
        MasterServer second = master();
        FakeWorker worker = worker("w1", 4);
        Registration workerNode = new Registrations(driverClient, new ClusterPaths(CLUSTER))
                .registerWorker("w1", StoredWorker.newBuilder().setSpec(worker.spec()).build().toByteArray());
        resources.add(workerNode);
        stub(first).registerWorker(RegisterWorkerRequest.newBuilder().setWorker(worker.spec()).build());
        String appId = registerApplication(first, 2);
        Eventually.await("2 launches", () -> worker.launches.size() == 2);
        long firstEpoch = first.epoch();

        first.close();
        Eventually.await("the standby leads", second::isLeader);
        // The worker re-registers with the executors it runs, as a real worker does on a leader change.
        RegisterWorkerRequest.Builder again = RegisterWorkerRequest.newBuilder().setWorker(worker.spec());
        for (LaunchExecutorRequest launch : worker.launches) {
            again.addExecutors(ExecutorState.newBuilder().setSpec(launch.getExecutor()).setStatus(ExecutorStatus.RUNNING));
        }
        long epoch = stub(second).registerWorker(again.build()).getEpoch();

        assertTrue(epoch > firstEpoch, epoch + " > " + firstEpoch);
        ClusterDescription description = describe(second);
        assertEquals(List.of(appId), description.getApplicationsList().stream().map(ApplicationSpec::getAppId).toList());
        assertEquals(2, description.getExecutorsCount(), "the running executors are kept, not relaunched");
        assertEquals(2, worker.launches.size());
        String another = registerApplication(second, 1);
        Eventually.await("the new leader launches for a new application",
                () -> worker.launches.stream().anyMatch(l -> l.getExecutor().getAppId().equals(another)));
    }

    @Test
    void anApplicationWhoseDriverGoesAwayIsEnded() throws Exception {
        MasterServer master = leader();
        FakeWorker worker = registeredWorker(master, "w1", 2);
        String appId = registerApplication(master, 1);
        Registration driverNode = driverNodes.get(appId);
        Eventually.await("a launch", () -> worker.launches.size() == 1);
        // A node created and deleted before the master's view reads it is never seen at all.
        Eventually.await("the master sees the driver", () -> master.seesDriver(appId));

        driverNode.close();

        Eventually.await("the worker is told the application finished",
                () -> worker.finished.stream().anyMatch(f -> f.getAppId().equals(appId)));
        assertEquals(0, describe(master).getApplicationsCount());
    }

    @Test
    void unregisteringAnApplicationStopsItsExecutorsAndForgetsIt() {
        MasterServer master = leader();
        FakeWorker worker = registeredWorker(master, "w1", 2);
        String appId = registerApplication(master, 2);
        Eventually.await("launches", () -> worker.launches.size() == 2);

        stub(master).unregisterApplication(UnregisterApplicationRequest.newBuilder().setAppId(appId).build());

        Eventually.await("finished", () -> worker.finished.size() == 1);
        ClusterDescription description = describe(master);
        assertEquals(0, description.getApplicationsCount());
        assertEquals(0, description.getExecutorsCount());
        assertEquals(Map.of(), description.getRequestedExecutorsMap());
    }

    @Test
    void theLeaderReportsEachQueuesShareThroughItsApiAndDescribeCluster() {
        MasterServer master = leader(fair(Map.of("queue.a.weight", "2", "queue.b.maxShare", "1")));
        FakeWorker worker = registeredWorker(master, "w1", 4);

        registerApplication(master, "a", 2);
        registerApplication(master, "b", 3);

        Eventually.await("3 launches", () -> worker.launches.size() == 3);
        assertEquals(List.of(
                new GroupStatus("a", "fifo", 2, 0, Integer.MAX_VALUE, 2, 0, 1),
                new GroupStatus("b", "fifo", 1, 0, 1, 1, 2, 1)), master.queues());
        List<QueueStatus> described = describe(master).getQueuesList();
        assertEquals(List.of("a", "b"), described.stream().map(QueueStatus::getName).toList());
        QueueStatus a = described.get(0);
        assertEquals(List.of("fifo", 2.0, 0, 2, 0, 1), List.of(a.getMode(), a.getWeight(), a.getMinShare(),
                a.getRunning(), a.getPending(), a.getApplications()));
        assertFalse(a.hasMaxShare(), "an unbounded queue has no max_share");
        QueueStatus b = described.get(1);
        assertEquals(List.of(1.0, 1, 1, 2, 1), List.of(b.getWeight(), b.getMaxShare(), b.getRunning(), b.getPending(),
                b.getApplications()));
    }

    @Test
    void aReplacedPolicyLiftsAQueuesMaxShareAndItsApplicationGetsTheFreeCores() {
        MasterServer master = leader(fair(Map.of("queue.b.maxShare", "1")));
        FakeWorker worker = registeredWorker(master, "w1", 4);
        registerApplication(master, "b", 3);
        Eventually.await("1 launch, capped by maxShare", () -> worker.launches.size() == 1);
        assertEquals(1, master.queues().get(0).running());

        master.replacePolicy(fair(Map.of("queue.b.maxShare", "3")));

        Eventually.await("the other 2 executors launched", () -> worker.launches.size() == 3);
        assertEquals(new GroupStatus("b", "fifo", 1, 0, 3, 3, 0, 1), master.queues().get(0));
    }

    @Test
    void aStandbyReportsNoQueuesWhileTheLeaderReportsItsDeclaredOnes() {
        SchedulingPolicy fair = fair(Map.of("queue.etl.minShare", "2"));
        MasterServer leader = leader(fair);
        MasterServer standby = master(fair);
        assertFalse(standby.isLeader());

        assertEquals(List.of(new GroupStatus("etl", "fifo", 1, 2, Integer.MAX_VALUE, 0, 0, 0)), leader.queues());
        assertEquals(List.of(), standby.queues());
    }

    /** A master that has become the leader. */
    private MasterServer leader() {
        return leader(fifo());
    }

    private MasterServer leader(SchedulingPolicy policy) {
        MasterServer master = master(policy);
        Eventually.await("a leader", master::isLeader);
        return master;
    }

    /** A fake worker registered with {@code master}. */
    private FakeWorker registeredWorker(MasterServer master, String id, int cores) {
        FakeWorker worker = worker(id, cores);
        stub(master).registerWorker(RegisterWorkerRequest.newBuilder().setWorker(worker.spec()).build());
        return worker;
    }

    private String registerApplication(MasterServer master, int executors) {
        return registerApplication(master, "default", executors);
    }

    /** Registers an application and, as its driver would, the driver's node (closed with the test). */
    private String registerApplication(MasterServer master, String queue, int executors) {
        ApplicationSpec spec = ApplicationSpec.newBuilder().setName("test-app").setQueue(queue)
                .setCoresPerExecutor(1).setMemoryPerExecutorBytes(1L << 30).setDriverAddress("127.0.0.1:9").build();
        String appId = stub(master).registerApplication(RegisterApplicationRequest.newBuilder().setApp(spec)
                .setRequestedExecutors(executors).build()).getAppId();
        Registration driverNode = new Registrations(driverClient, new ClusterPaths(CLUSTER)).registerDriver(appId);
        driverNodes.put(appId, driverNode);
        resources.add(driverNode);
        return appId;
    }

    private ClusterDescription describe(MasterServer master) {
        return stub(master).describeCluster(DescribeClusterRequest.getDefaultInstance());
    }

    private MasterServiceGrpc.MasterServiceBlockingStub stub(MasterServer master) {
        return MasterServiceGrpc.newBlockingStub(channels.channel(master.address()))
                .withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    private MasterServer master() {
        return master(fifo());
    }

    private MasterServer master(SchedulingPolicy policy) {
        return master(policy, RpcLimits.DEFAULTS);
    }

    private MasterServer master(SchedulingPolicy policy, RpcLimits limits) {
        MasterOptions options = new MasterOptions(CLUSTER, zk(), "127.0.0.1", 0, Placement.SPREAD, Optional.empty(),
                Duration.ofSeconds(5), Duration.ofMillis(500), MasterOptions.newMasterId("127.0.0.1"), limits);
        MasterServer master = MasterServer.start(options, policy);
        resources.add(master);
        return master;
    }

    private static SchedulingPolicy fifo() {
        return new FifoSchedulerFactory().create(DeclaredSettings.of(List.of(), Map.of()));
    }

    private static SchedulingPolicy fair(Map<String, String> settings) {
        SchedulerFactory fair = new FairSchedulerFactory();
        return fair.create(DeclaredSettings.of(fair.configKeys(), settings));
    }

    private FakeWorker worker(String id, int cores) {
        FakeWorker worker = new FakeWorker(id, cores);
        resources.add(worker);
        return worker;
    }

    private ZooKeeperSettings zk() {
        return ZooKeeperSettings.of(zooKeeper.connectString()).withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(5));
    }
}
