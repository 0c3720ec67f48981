package io.ember.core.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.ember.core.coordination.ClusterPaths;
import io.ember.core.coordination.EmbeddedZooKeeper;
import io.ember.core.coordination.ZooKeeperClients;
import io.ember.core.coordination.ZooKeeperSettings;
import io.ember.core.rpc.RpcChannels;
import io.ember.core.rpc.proto.BlockUpdate;
import io.ember.core.rpc.proto.BlockUpdates;
import io.ember.core.rpc.proto.DriverMessage;
import io.ember.core.rpc.proto.DriverServiceGrpc;
import io.ember.core.rpc.proto.ExecutorMessage;
import io.ember.core.rpc.proto.FetchJarRequest;
import io.ember.core.rpc.proto.Heartbeat;
import io.ember.core.rpc.proto.RegisterExecutor;
import io.ember.core.rpc.proto.ResultChunk;
import io.ember.core.rpc.proto.TaskDescription;
import io.ember.core.rpc.proto.TaskError;
import io.ember.core.rpc.proto.TaskMetrics;
import io.ember.core.rpc.proto.TaskUpdate;
import io.ember.core.rpc.proto.TaskUpdates;
import io.ember.core.testing.Eventually;
import io.ember.core.testing.TestingExecutor;
import io.ember.core.testing.TestingMaster;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Builders;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.apache.curator.framework.CuratorFramework;

/**
 * The driver's side of an executor's stream, fuzzed over real gRPC: an executor registers, is sent
 * the tasks of a running job, and answers with any sequence of messages (registrations again, task
 * updates for its tasks and for tasks it never had, in any state, with garbage results, uploaded
 * sizes and serialized exceptions, block updates and heartbeats with out-of-range fields, empty
 * messages), then its stream breaks. Whatever it sent, the job ends (with the right count, or
 * failed with a message) once cancelled, the driver never ends a stream with INTERNAL or UNKNOWN,
 * and it registers the next executor. Result uploads and JAR fetches of any content are answered
 * with a status that names the mistake. A real driver ({@link EmberContext} on an {@code ember://}
 * cluster of a fake leader over a real ZooKeeper).
 */
final class ExecutorStreamFuzzTest {

    private static final ClusterPaths PATHS = new ClusterPaths("fuzz");
    private static final List<Integer> DATA = List.of(1, 2, 3, 4, 5, 6);
    private static final Set<Status.Code> DRIVER_ENDS = Set.of(Status.Code.OK, Status.Code.CANCELLED,
            Status.Code.INVALID_ARGUMENT, Status.Code.FAILED_PRECONDITION, Status.Code.ALREADY_EXISTS,
            Status.Code.NOT_FOUND, Status.Code.UNAVAILABLE);

    private static Path dir;
    private static EmbeddedZooKeeper zooKeeper;
    private static CuratorFramework client;
    private static TestingMaster master;
    private static EmberContext ember;
    private static ExecutorService jobs;
    private static final AtomicInteger TRIES = new AtomicInteger();
    private static final GrpcFailures grpcFailures = new GrpcFailures();

    @BeforeContainer
    static void startADriver() throws Exception {
        grpcFailures.install();
        dir = Files.createTempDirectory("ember-executor-stream-fuzz-");
        zooKeeper = EmbeddedZooKeeper.start(dir.resolve("zookeeper"));
        client = ZooKeeperClients.connect(ZooKeeperSettings.of(zooKeeper.connectString()));
        master = new TestingMaster("m1", 1, client, PATHS, Optional.empty());
        master.publishAsLeader();
        ember = EmberContext.builder().isolated().setAll(Map.of(
                "ember.master", "ember://" + zooKeeper.connectString() + "/" + PATHS.cluster(),
                "ember.app.name", "fuzz",
                "ember.executor.instances", "1",
                "ember.executor.cores", "2",
                "ember.executor.heartbeatTimeout", "10m",   // the properties decide when a stream ends
                "ember.task.maxFailures", "3",
                "ember.rpc.timeout", "5s")).build();
        jobs = Executors.newSingleThreadExecutor(r -> new Thread(r, "fuzz-job"));
    }

    @AfterContainer
    static void stopTheDriver() throws IOException {
        grpcFailures.uninstall();
        if (ember != null) {
            ember.close();
        }
        if (jobs != null) {
            jobs.shutdownNow();
        }
        if (master != null) {
            master.close();
        }
        if (client != null) {
            client.close();
        }
        if (zooKeeper != null) {
            zooKeeper.close();
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    @Property(tries = 60)
    void anyMessagesFromAnExecutorLeaveTheDriverServingAndTheResultRight(
            @ForAll("messages") List<Function<List<Long>, ExecutorMessage>> messages) throws Exception {
        int n = TRIES.incrementAndGet();
        CompletableFuture<Long> job;
        Status ended;
        try (TestingExecutor executor = new TestingExecutor(ember.driverAddress())) {
            executor.register("fuzz-" + n);
            assertTrue(executor.next().hasRegistered());
            job = CompletableFuture.supplyAsync(() -> ember.parallelize(DATA, 2).count(), jobs);
            List<Long> tasks = launchedTasks(executor);

            for (Function<List<Long>, ExecutorMessage> message : messages) {
                executor.send(message.apply(tasks));
            }
            // The driver answers the end of the stream once it has taken every message before it.
            executor.completeStream();
            Eventually.await(executor::ended, "the driver ends the stream");
            ended = executor.endStatus();
        }
        ember.cancelAllJobs();

        Object outcome = job.handle((count, failure) -> failure == null ? count : failure).get(60, TimeUnit.SECONDS);
        if (outcome instanceof Long count) {
            assertEquals(DATA.size(), count, "a job that ends with a count has the right one");
        } else {
            Throwable failure = ((Throwable) outcome).getCause() == null ? (Throwable) outcome
                    : ((Throwable) outcome).getCause();
            assertFalse(failure instanceof Error, "no Error from an executor's messages: " + failure);
            assertNotNull(failure.getMessage(), "the job's failure says why: " + failure);
        }
        assertTrue(DRIVER_ENDS.contains(ended.getCode()), "the driver ended the stream with " + ended);
        assertEquals(List.of(), grpcFailures.take(), "nothing an executor sends escapes the driver's handling");
        try (TestingExecutor next = new TestingExecutor(ember.driverAddress())) {
            next.register("next-" + n);
            assertTrue(next.next().hasRegistered(), "the driver registers the next executor");
            next.completeStream();
        }
    }

    @Property(tries = 60)
    void anyResultUploadOrJarFetchIsAnsweredWithAStatusThatNamesTheMistake(
            @ForAll("chunks") List<ResultChunk> chunks, @ForAll("jarNames") String jarName) throws Exception {
        RpcChannels channels = new RpcChannels("fuzz-uploader", Optional.empty());
        try {
            Status uploaded = TestingExecutor.upload(channels, ember.driverAddress(), chunks);
            assertTrue(DRIVER_ENDS.contains(uploaded.getCode()), "the upload was answered with " + uploaded);

            try {
                DriverServiceGrpc.newBlockingStub(channels.channel(ember.driverAddress()))
                        .withDeadlineAfter(30, TimeUnit.SECONDS)
                        .fetchJar(FetchJarRequest.newBuilder().setName(jarName).build())
                        .forEachRemaining(chunk -> { });
            } catch (StatusRuntimeException refused) {
                assertTrue(DRIVER_ENDS.contains(refused.getStatus().getCode()), "the fetch was answered with "
                        + refused.getStatus());
            }
            assertEquals(List.of(), grpcFailures.take(), "nothing a client sends escapes the driver's handling");
        } finally {
            channels.close();
        }
    }

    /** The task ids the driver launched on the executor, from its first LaunchTasks (other messages skipped). */
    private static List<Long> launchedTasks(TestingExecutor executor) throws InterruptedException {
        for (int i = 0; i < 10; i++) {
            DriverMessage message = executor.next();
            if (message.hasLaunchTasks()) {
                return message.getLaunchTasks().getTasksList().stream().map(TaskDescription::getTaskId).toList();
            }
        }
        throw new AssertionError("the driver launched no task on the executor");
    }

    // ---- generators: each message is built from the ids of the tasks the executor was sent ---------

    @Provide
    Arbitrary<List<Function<List<Long>, ExecutorMessage>>> messages() {
        return Arbitraries.oneOf(registrations(), heartbeats(), taskUpdates(), blockUpdates(),
                Arbitraries.just(tasks -> ExecutorMessage.getDefaultInstance())).list().ofMaxSize(8);
    }

    @Provide
    Arbitrary<List<ResultChunk>> chunks() {
        Arbitrary<ResultChunk> chunk = Builders.withBuilder(ResultChunk::newBuilder)
                .use(strings()).in((b, id) -> b.setExecutorId(id))
                .use(longs()).in((b, task) -> b.setTaskId(task))
                .use(bytes()).in((b, data) -> b.setData(data))
                .build(ResultChunk.Builder::build);
        return chunk.list().ofMaxSize(5);
    }

    @Provide
    Arbitrary<String> jarNames() {
        return Arbitraries.oneOf(Arbitraries.of("", "app.jar", "../app.jar", "/etc/passwd", "a/b.jar", "."), strings());
    }

    private static Arbitrary<Function<List<Long>, ExecutorMessage>> registrations() {
        return Builders.withBuilder(RegisterExecutor::newBuilder)
                .use(strings()).in((b, id) -> b.setExecutorId(id))
                .use(strings()).in((b, id) -> b.setWorkerId(id))
                .use(strings()).in((b, host) -> b.setHost(host))
                .use(ints()).in((b, cores) -> b.setCores(cores))
                .use(longs()).in((b, pid) -> b.setPid(pid))
                .build(b -> tasks -> ExecutorMessage.newBuilder().setRegister(b).build());
    }

    private static Arbitrary<Function<List<Long>, ExecutorMessage>> heartbeats() {
        return Builders.withBuilder(Heartbeat::newBuilder)
                .use(longs()).in((b, at) -> b.setSentAtMillis(at))
                .use(ints()).in((b, active) -> b.setActiveTasks(active))
                .use(longs()).in((b, heap) -> b.setHeapUsedBytes(heap))
                .use(longs()).in((b, storage) -> b.setStorageUsedBytes(storage))
                .build(b -> tasks -> ExecutorMessage.newBuilder().setHeartbeat(b).build());
    }

    private static Arbitrary<Function<List<Long>, ExecutorMessage>> taskUpdates() {
        return update().list().ofMaxSize(4).map(updates -> tasks -> {
            TaskUpdates.Builder batch = TaskUpdates.newBuilder();
            updates.forEach(update -> batch.addUpdates(update.apply(tasks)));
            return ExecutorMessage.newBuilder().setTaskUpdates(batch).build();
        });
    }

    /** One update: for one of the executor's tasks (by index) or any id; any state, result and error. */
    private static Arbitrary<Function<List<Long>, TaskUpdate>> update() {
        Arbitrary<Function<List<Long>, Long>> taskId = Arbitraries.oneOf(
                Arbitraries.integers().between(0, 3).map(i -> tasks -> tasks.isEmpty() ? 0L : tasks.get(i % tasks.size())),
                longs().map(id -> tasks -> id));
        Arbitrary<TaskUpdate.Builder> rest = Builders.withBuilder(TaskUpdate::newBuilder)
                .use(Arbitraries.oneOf(Arbitraries.integers().between(0, 3), Arbitraries.integers()))
                .in((b, state) -> b.setStateValue(state))
                .use(bytes()).in((b, result) -> b.setResult(result))
                .use(Arbitraries.oneOf(Arbitraries.of(0L, 1L, -1L, 8L, Long.MAX_VALUE), longs()))
                .in((b, size) -> b.setUploadedResultBytes(size))
                .use(errors()).in((b, error) -> b.setError(error))
                .use(metrics()).in((b, metrics) -> b.setMetrics(metrics))
                .build();
        return Combinators.combine(taskId, rest).as((id, update) -> tasks -> update.clone()
                .setTaskId(id.apply(tasks)).build());
    }

    private static Arbitrary<TaskError> errors() {
        return Builders.withBuilder(TaskError::newBuilder)
                .use(Arbitraries.oneOf(Arbitraries.of("java.lang.IllegalStateException", "java.lang.OutOfMemoryError",
                        "no.such.Class"), strings())).in((b, name) -> b.setClassName(name))
                .use(strings()).in((b, message) -> b.setMessage(message))
                .use(strings()).in((b, trace) -> b.setStackTrace(trace))
                .use(bytes()).in((b, exception) -> b.setException(exception))
                .build(TaskError.Builder::build);
    }

    private static Arbitrary<TaskMetrics> metrics() {
        return Builders.withBuilder(TaskMetrics::newBuilder)
                .use(longs()).in((b, run) -> b.setRunNanos(run))
                .use(longs()).in((b, deserialize) -> b.setDeserializeNanos(deserialize))
                .use(ints()).in((b, hits) -> b.setCacheHits(hits))
                .use(ints()).in((b, misses) -> b.setCacheMisses(misses))
                .build(TaskMetrics.Builder::build);
    }

    private static Arbitrary<Function<List<Long>, ExecutorMessage>> blockUpdates() {
        Arbitrary<BlockUpdate> update = Builders.withBuilder(BlockUpdate::newBuilder)
                .use(ints()).in((b, dataset) -> b.setDatasetId(dataset))
                .use(ints()).in((b, partition) -> b.setPartition(partition))
                .use(Arbitraries.of(true, false)).in((b, stored) -> b.setStored(stored))
                .use(longs()).in((b, size) -> b.setSizeBytes(size))
                .build(BlockUpdate.Builder::build);
        return update.list().ofMaxSize(4).map(updates -> tasks -> ExecutorMessage.newBuilder()
                .setBlockUpdates(BlockUpdates.newBuilder().addAllUpdates(updates)).build());
    }

    private static Arbitrary<String> strings() {
        return Arbitraries.oneOf(Arbitraries.of("", "fuzz-1", "next-1", "..", "\n", "é"),
                Arbitraries.strings().ofMaxLength(200));
    }

    private static Arbitrary<Integer> ints() {
        return Arbitraries.oneOf(Arbitraries.of(0, 1, -1, Integer.MAX_VALUE, Integer.MIN_VALUE), Arbitraries.integers());
    }

    private static Arbitrary<Long> longs() {
        return Arbitraries.oneOf(Arbitraries.of(0L, 1L, -1L, Long.MAX_VALUE, Long.MIN_VALUE), Arbitraries.longs());
    }

    /** Random bytes, some of them a Java serialization stream's start (the magic and version). */
    private static Arbitrary<ByteString> bytes() {
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(64);
        return Arbitraries.oneOf(random.map(ByteString::copyFrom), random.map(tail -> {
            byte[] stream = new byte[4 + tail.length];
            stream[0] = (byte) 0xAC;
            stream[1] = (byte) 0xED;
            stream[2] = 0;
            stream[3] = 5;
            System.arraycopy(tail, 0, stream, 4, tail.length);
            return ByteString.copyFrom(stream);
        }));
    }

    /**
     * What gRPC reports through {@code java.util.logging} with an exception: an exception that escaped
     * a call's handler (gRPC then ends the call with UNKNOWN). Collected, not printed.
     */
    private static final class GrpcFailures extends Handler {

        private final java.util.logging.Logger grpc = java.util.logging.Logger.getLogger("io.grpc");
        private final List<String> failures = new CopyOnWriteArrayList<>();

        void install() {
            grpc.addHandler(this);
        }

        void uninstall() {
            grpc.removeHandler(this);
        }

        /** The failures since the last call, as "message: exception". */
        List<String> take() {
            List<String> taken = List.copyOf(failures);
            failures.removeAll(taken);
            return taken;
        }

        @Override
        public void publish(LogRecord record) {
            if (record.getThrown() != null && record.getLevel().intValue() >= Level.WARNING.intValue()) {
                failures.add(record.getMessage() + ": " + record.getThrown());
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }
}
