package io.ember.core.master;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.api.config.DeclaredSettings;
import io.ember.core.coordination.EmbeddedZooKeeper;
import io.ember.core.coordination.ZooKeeperSettings;
import io.ember.core.rpc.RpcChannels;
import io.ember.core.rpc.proto.ApplicationSpec;
import io.ember.core.rpc.proto.ClusterDescription;
import io.ember.core.rpc.proto.DescribeClusterRequest;
import io.ember.core.rpc.proto.ExecutorSpec;
import io.ember.core.rpc.proto.ExecutorState;
import io.ember.core.rpc.proto.ExecutorStatus;
import io.ember.core.rpc.proto.KillExecutorsRequest;
import io.ember.core.rpc.proto.MasterServiceGrpc;
import io.ember.core.rpc.proto.RegisterApplicationRequest;
import io.ember.core.rpc.proto.RegisterWorkerRequest;
import io.ember.core.rpc.proto.ReportExecutorStateRequest;
import io.ember.core.rpc.proto.RequestTotalExecutorsRequest;
import io.ember.core.rpc.proto.UnregisterApplicationRequest;
import io.ember.core.rpc.proto.WorkerSpec;
import io.ember.core.testing.Eventually;
import io.ember.scheduler.fifo.FifoSchedulerFactory;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Builders;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * The leader's RPCs, fuzzed over real gRPC: every request with absent, empty, negative, huge or
 * strange fields is answered with a status that names the caller's mistake (or served), never with
 * INTERNAL or UNKNOWN (an exception the master did not expect), and what the master then reports
 * still holds together: no worker or application it accepted has a non-positive size.
 */
final class MasterRpcFuzzTest {

    /** The statuses a fuzzed request may get: served, refused as malformed or unknown, or not now. */
    private static final Set<Status.Code> ANSWERS = Set.of(Status.Code.OK, Status.Code.INVALID_ARGUMENT,
            Status.Code.NOT_FOUND, Status.Code.FAILED_PRECONDITION, Status.Code.ALREADY_EXISTS);

    private static Path dir;
    private static EmbeddedZooKeeper zooKeeper;
    private static MasterServer master;
    private static RpcChannels channels;

    @BeforeContainer
    static void startAMaster() throws IOException {
        dir = Files.createTempDirectory("ember-master-fuzz-");
        zooKeeper = EmbeddedZooKeeper.start(dir);
        MasterOptions options = new MasterOptions("fuzz", ZooKeeperSettings.of(zooKeeper.connectString())
                .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(5)), "127.0.0.1", 0, Placement.SPREAD,
                Optional.empty(), Duration.ofSeconds(1), Duration.ofMillis(200), MasterOptions.newMasterId("127.0.0.1"));
        master = MasterServer.start(options, new FifoSchedulerFactory().create(DeclaredSettings.of(List.of(), Map.of())));
        channels = new RpcChannels("fuzz-client", Optional.empty());
        Eventually.await("a leader", master::isLeader);
    }

    @AfterContainer
    static void stopTheMaster() throws IOException {
        channels.close();
        master.close();
        zooKeeper.close();
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    @Property(tries = 150)
    void registerWorker(@ForAll("workers") WorkerSpec worker, @ForAll("executorStates") List<ExecutorState> executors) {
        answered(() -> stub().registerWorker(RegisterWorkerRequest.newBuilder().setWorker(worker)
                .addAllExecutors(executors).build()));
    }

    @Example
    void aWorkerWhoseHostIsNeitherAnAddressNorAHostNameIsRefusedAndAnIpv6OneIsServed() {
        WorkerSpec.Builder worker = WorkerSpec.newBuilder().setWorkerId("w-host").setRpcPort(7078).setCores(2)
                .setMemoryBytes(1L << 30);
        StatusRuntimeException refused = assertThrows(StatusRuntimeException.class, () -> stub().registerWorker(
                RegisterWorkerRequest.newBuilder().setWorker(worker.clone().setHost("not a host")).build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, refused.getStatus().getCode());
        assertTrue(refused.getStatus().getDescription().contains("host 'not a host' is neither an IP address nor a "
                + "host name"), refused.getStatus().toString());

        stub().registerWorker(RegisterWorkerRequest.newBuilder().setWorker(worker.clone().setHost("::1")).build());
        assertTrue(stub().describeCluster(DescribeClusterRequest.getDefaultInstance()).getWorkersList().stream()
                .anyMatch(w -> w.getWorkerId().equals("w-host") && w.getHost().equals("::1")));
    }

    @Property(tries = 150)
    void reportExecutorState(@ForAll("ids") String workerId, @ForAll("executorStates") List<ExecutorState> states) {
        for (ExecutorState state : states) {
            answered(() -> stub().reportExecutorState(ReportExecutorStateRequest.newBuilder().setWorkerId(workerId)
                    .setState(state).build()));
        }
    }

    @Property(tries = 150)
    void registerApplication(@ForAll("applications") ApplicationSpec app, @ForAll("counts") int executors) {
        answered(() -> stub().registerApplication(RegisterApplicationRequest.newBuilder().setApp(app)
                .setRequestedExecutors(executors).build()));
    }

    @Property(tries = 150)
    void requestKillAndUnregister(@ForAll("ids") String appId, @ForAll("counts") int total,
                                  @ForAll("idLists") List<String> executorIds, @ForAll boolean withTotal) {
        answered(() -> stub().requestTotalExecutors(RequestTotalExecutorsRequest.newBuilder().setAppId(appId)
                .setTotal(total).build()));
        KillExecutorsRequest.Builder kill = KillExecutorsRequest.newBuilder().setAppId(appId)
                .addAllExecutorIds(executorIds);
        if (withTotal) {
            kill.setTotal(total);
        }
        answered(() -> stub().killExecutors(kill.build()));
        answered(() -> stub().unregisterApplication(UnregisterApplicationRequest.newBuilder().setAppId(appId).build()));
    }

    /** Runs the call; any answer but INTERNAL and UNKNOWN is fine; then the master's report still holds. */
    private static void answered(Supplier<?> call) {
        try {
            call.get();
        } catch (StatusRuntimeException e) {
            assertTrue(ANSWERS.contains(e.getStatus().getCode()), e.getStatus().toString());
        }
        ClusterDescription cluster = stub().describeCluster(DescribeClusterRequest.getDefaultInstance());
        for (WorkerSpec worker : cluster.getWorkersList()) {
            assertTrue(worker.getCores() > 0 && worker.getMemoryBytes() > 0 && !worker.getWorkerId().isEmpty()
                    && !worker.getHost().contains(" ") && !worker.getHost().contains("/"),
                    "an accepted worker: " + worker);
        }
        for (ApplicationSpec app : cluster.getApplicationsList()) {
            assertTrue(app.getCoresPerExecutor() > 0 && app.getMemoryPerExecutorBytes() > 0,
                    "an accepted application: " + app);
        }
        for (int requested : cluster.getRequestedExecutorsMap().values()) {
            assertTrue(requested >= 0, "a request of " + requested + " executors");
        }
    }

    private static MasterServiceGrpc.MasterServiceBlockingStub stub() {
        return MasterServiceGrpc.newBlockingStub(channels.channel(master.address())).withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    // ---- generators ----------------------------------------------------------------------------

    @Provide
    Arbitrary<String> ids() {
        return Arbitraries.oneOf(Arbitraries.of("", "w1", "app-1", "0", "/", "..", "a/b", " ", "é", "\n"),
                Arbitraries.strings().ofMaxLength(300));
    }

    @Provide
    Arbitrary<List<String>> idLists() {
        return ids().list().ofMaxSize(5);
    }

    @Provide
    Arbitrary<Integer> counts() {
        return Arbitraries.oneOf(Arbitraries.integers().between(-3, 8), Arbitraries.integers());
    }

    private Arbitrary<Integer> ports() {
        return Arbitraries.oneOf(Arbitraries.of(0, 1, 65535, 65536, -1), Arbitraries.integers());
    }

    private Arbitrary<Long> sizes() {
        return Arbitraries.oneOf(Arbitraries.of(0L, 1L, -1L, 1L << 30, Long.MAX_VALUE), Arbitraries.longs());
    }

    @Provide
    Arbitrary<WorkerSpec> workers() {
        return Builders.withBuilder(WorkerSpec::newBuilder)
                .use(ids()).in((b, id) -> b.setWorkerId(id))
                // hosts that resolve at once: the master may try to launch executors there
                .use(Arbitraries.of("127.0.0.1", "", "::1", "not a host", "a/b")).in((b, host) -> b.setHost(host))
                .use(ports()).in((b, port) -> b.setRpcPort(port))
                .use(ports()).in((b, port) -> b.setShufflePort(port))
                .use(counts()).in((b, cores) -> b.setCores(cores))
                .use(sizes()).in((b, memory) -> b.setMemoryBytes(memory))
                .build(WorkerSpec.Builder::build);
    }

    @Provide
    Arbitrary<List<ExecutorState>> executorStates() {
        Arbitrary<ExecutorSpec> specs = Builders.withBuilder(ExecutorSpec::newBuilder)
                .use(ids()).in((b, id) -> b.setAppId(id))
                .use(ids()).in((b, id) -> b.setExecutorId(id))
                .use(ids()).in((b, id) -> b.setWorkerId(id))
                .use(counts()).in((b, cores) -> b.setCores(cores))
                .use(sizes()).in((b, memory) -> b.setMemoryBytes(memory))
                .use(Arbitraries.of("", "127.0.0.1:9", "x")).in((b, driver) -> b.setDriverAddress(driver))
                .build(ExecutorSpec.Builder::build);
        Arbitrary<ExecutorState> states = Builders.withBuilder(ExecutorState::newBuilder)
                .use(specs).withProbability(0.9).in((b, spec) -> b.setSpec(spec))
                .use(Arbitraries.of(ExecutorStatus.values()).filter(s -> s != ExecutorStatus.UNRECOGNIZED))
                .in((b, status) -> b.setStatus(status))
                .use(counts()).in((b, code) -> b.setExitCode(code))
                .use(ids()).in((b, message) -> b.setMessage(message))
                .build(ExecutorState.Builder::build);
        return states.list().ofMaxSize(4);
    }

    @Provide
    Arbitrary<ApplicationSpec> applications() {
        return Builders.withBuilder(ApplicationSpec::newBuilder)
                .use(ids()).in((b, id) -> b.setAppId(id))
                .use(ids()).in((b, name) -> b.setName(name))
                .use(Arbitraries.oneOf(Arbitraries.of("default", "", "a", "UPPER", "no such queue"), ids()))
                .in((b, queue) -> b.setQueue(queue))
                .use(counts()).in((b, cores) -> b.setCoresPerExecutor(cores))
                .use(sizes()).in((b, memory) -> b.setMemoryPerExecutorBytes(memory))
                .use(Arbitraries.of("", "127.0.0.1:9", "x", "::")).in((b, driver) -> b.setDriverAddress(driver))
                .use(Arbitraries.maps(ids(), ids()).ofMaxSize(3)).in((b, settings) -> b.putAllExecutorSettings(settings))
                .build(ApplicationSpec.Builder::build);
    }
}
