package io.ember.core.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.core.rpc.proto.ApplicationFinishedRequest;
import io.ember.core.rpc.proto.ApplicationSpec;
import io.ember.core.rpc.proto.ExecutorSpec;
import io.ember.core.rpc.proto.KillExecutorRequest;
import io.ember.core.rpc.proto.LaunchExecutorRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Builders;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * A worker's RPCs, fuzzed over real gRPC: launches, kills and ends of applications with absent,
 * empty, negative, huge and path-like fields are answered with a status that names the mistake (or
 * served), never INTERNAL or UNKNOWN; no id from a request makes the worker touch a file outside
 * its work directory; and it serves a well-formed request afterwards. Its executors are
 * {@code /bin/false}, so a launch it accepts costs a fork, not a JVM.
 */
final class WorkerRpcFuzzTest {

    private static final Set<Status.Code> ANSWERS = Set.of(Status.Code.OK, Status.Code.INVALID_ARGUMENT,
            Status.Code.FAILED_PRECONDITION, Status.Code.NOT_FOUND);

    private static Path dir;
    private static TestingCluster cluster;
    private static WorkerServer worker;
    private static Set<String> outsideBefore;

    @BeforeContainer
    static void startAWorker() throws IOException {
        dir = Files.createTempDirectory("ember-worker-fuzz-");
        cluster = new TestingCluster(dir, Optional.empty());
        WorkerOptions o = WorkerOptions.from(cluster.config(Map.of()), dir);
        worker = cluster.track(WorkerServer.start(new WorkerOptions(o.cluster(), o.zooKeeper(), o.host(), o.port(),
                o.workerId(), o.cores(), o.memoryBytes(), o.workDir(), o.keepWorkDirs(), o.rpcTimeout(),
                Path.of("/bin/false"), o.classPath(), o.executorJavaOptions(), o.executorMemoryBytes(),
                o.executorCores(), Optional.empty(), o.cleanupInterval(), o.cleanupGrace(), o.rpcLimits())));
        outsideBefore = outsideTheWorkDirectory();
    }

    @AfterContainer
    static void stopTheWorker() throws IOException {
        cluster.close();
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    @Property(tries = 100)
    void launchExecutor(@ForAll("epochs") long epoch, @ForAll("executors") ExecutorSpec executor,
                        @ForAll("applications") ApplicationSpec app) throws IOException {
        answered(() -> cluster.worker(worker).launchExecutor(LaunchExecutorRequest.newBuilder().setEpoch(epoch)
                .setExecutor(executor).setApp(app).build()));
    }

    @Property(tries = 100)
    void killAndFinish(@ForAll("epochs") long epoch, @ForAll("ids") String appId, @ForAll("ids") String executorId)
            throws IOException {
        answered(() -> cluster.worker(worker).killExecutor(KillExecutorRequest.newBuilder().setEpoch(epoch)
                .setAppId(appId).setExecutorId(executorId).build()));
        answered(() -> cluster.worker(worker).applicationFinished(ApplicationFinishedRequest.newBuilder()
                .setEpoch(epoch).setAppId(appId).build()));
    }

    /** Any answer but INTERNAL and UNKNOWN; nothing new outside the work directory; the worker still serves. */
    private static void answered(Supplier<?> call) throws IOException {
        try {
            call.get();
        } catch (StatusRuntimeException e) {
            assertTrue(ANSWERS.contains(e.getStatus().getCode()), e.getStatus().toString());
        }
        assertEquals(outsideBefore, outsideTheWorkDirectory(), "files outside the work directory");
        cluster.worker(worker).killExecutor(KillExecutorRequest.newBuilder().setEpoch(Long.MAX_VALUE)
                .setAppId("app-1").setExecutorId("0").build());
    }

    /** Every path under the test's directory but the work directory and ZooKeeper's data. */
    private static Set<String> outsideTheWorkDirectory() throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            return paths.filter(p -> !p.startsWith(cluster.workDir()) && !p.startsWith(dir.resolve("zookeeper")))
                    .map(p -> dir.relativize(p).toString()).collect(Collectors.toSet());
        }
    }

    // ---- generators ----------------------------------------------------------------------------

    @Provide
    Arbitrary<Long> epochs() {
        return Arbitraries.oneOf(Arbitraries.of(0L, 1L, -1L, Long.MAX_VALUE, Long.MIN_VALUE), Arbitraries.longs());
    }

    @Provide
    Arbitrary<String> ids() {
        return Arbitraries.oneOf(Arbitraries.of("", "app-1", "0", ".", "..", "../escape", "a/b", "/tmp/x", " ",
                "é", "\n", "app-1/../../escape"), Arbitraries.strings().ofMaxLength(300));
    }

    private Arbitrary<Integer> counts() {
        return Arbitraries.oneOf(Arbitraries.integers().between(-2, 4), Arbitraries.integers());
    }

    private Arbitrary<Long> sizes() {
        return Arbitraries.oneOf(Arbitraries.of(0L, -1L, 64L << 20, Long.MAX_VALUE), Arbitraries.longs());
    }

    @Provide
    Arbitrary<ExecutorSpec> executors() {
        return Builders.withBuilder(ExecutorSpec::newBuilder)
                .use(ids()).in((b, id) -> b.setAppId(id))
                .use(ids()).in((b, id) -> b.setExecutorId(id))
                .use(ids()).in((b, id) -> b.setWorkerId(id))
                .use(counts()).in((b, cores) -> b.setCores(cores))
                .use(sizes()).in((b, memory) -> b.setMemoryBytes(memory))
                .use(Arbitraries.of("", "127.0.0.1:9", "x", "::")).in((b, driver) -> b.setDriverAddress(driver))
                .build(ExecutorSpec.Builder::build);
    }

    @Provide
    Arbitrary<ApplicationSpec> applications() {
        Arbitrary<String> keys = Arbitraries.oneOf(Arbitraries.of("ember.executor.javaOptions",
                "ember.shuffle.service.port", "ember.plugins.dir", "ember.auth.secret", "ember.task.cpus"), ids());
        Arbitrary<String> values = Arbitraries.oneOf(Arbitraries.of("-Xss2m", "\"unclosed", "notAnOption", "-1",
                "/etc", "../.."), ids());
        return Builders.withBuilder(ApplicationSpec::newBuilder)
                .use(ids()).in((b, id) -> b.setAppId(id))
                .use(ids()).in((b, name) -> b.setName(name))
                .use(counts()).in((b, cores) -> b.setCoresPerExecutor(cores))
                .use(sizes()).in((b, memory) -> b.setMemoryPerExecutorBytes(memory))
                .use(Arbitraries.of("", "127.0.0.1:9", "x")).in((b, driver) -> b.setDriverAddress(driver))
                .use(Arbitraries.maps(keys, values).ofMaxSize(3)).in((b, settings) -> b.putAllExecutorSettings(settings))
                .build(ApplicationSpec.Builder::build);
    }

}
