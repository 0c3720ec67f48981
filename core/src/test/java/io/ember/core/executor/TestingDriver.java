package io.ember.core.executor;

import com.google.protobuf.ByteString;
import io.ember.core.rpc.RpcServer;
import io.ember.core.rpc.proto.Ack;
import io.ember.core.rpc.proto.AppJar;
import io.ember.core.rpc.proto.BlockUpdate;
import io.ember.core.rpc.proto.DriverMessage;
import io.ember.core.rpc.proto.DriverServiceGrpc;
import io.ember.core.rpc.proto.ExecutorMessage;
import io.ember.core.rpc.proto.FetchJarRequest;
import io.ember.core.rpc.proto.Heartbeat;
import io.ember.core.rpc.proto.JarChunk;
import io.ember.core.rpc.proto.RegisterExecutor;
import io.ember.core.rpc.proto.Registered;
import io.ember.core.rpc.proto.ResultChunk;
import io.ember.core.rpc.proto.Shutdown;
import io.ember.core.rpc.proto.TaskUpdate;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A fake driver: a real {@code DriverService} on a loopback port that answers each executor's
 * {@code RegisterExecutor} with {@code Registered} (its application, a heartbeat interval), records
 * what executors send, and lets a test end an executor's stream: {@link #shutdown}, {@link #complete}
 * or {@link #fail}. Waiting methods poll with a deadline.
 *
 * <p>For tasks: it announces the JARs a test gives it ({@link #serveJar}) in {@code Registered} and
 * serves them through {@code FetchJar}, sends what a test wants an executor to run ({@link #send}),
 * records the task and block updates executors send, and takes results through
 * {@code UploadResult}.
 */
public final class TestingDriver implements AutoCloseable {

    /** An executor's registration as it arrived. */
    public record Arrival(RegisterExecutor message, long arrivedNanos) {}

    private final String appId;
    private final long heartbeatIntervalMillis;
    private final Map<String, StreamObserver<DriverMessage>> streams = new ConcurrentHashMap<>();
    private final Map<String, Arrival> registrations = new ConcurrentHashMap<>();
    private final Map<String, List<Heartbeat>> heartbeats = new ConcurrentHashMap<>();
    private final Map<String, String> ends = new ConcurrentHashMap<>();
    private final List<ExecutorMessage> firstMessages = new CopyOnWriteArrayList<>();
    private final Map<String, byte[]> jarBytes = new ConcurrentHashMap<>();
    private final List<AppJar> jars = new CopyOnWriteArrayList<>();
    private final Map<Long, TaskUpdate> taskUpdates = new ConcurrentHashMap<>();
    private final List<BlockUpdate> blockUpdates = new CopyOnWriteArrayList<>();
    private final Map<Long, byte[]> uploads = new ConcurrentHashMap<>();
    private final Map<Long, String> uploaders = new ConcurrentHashMap<>();
    private volatile long maxDirectResultBytes = 1 << 20;
    private final RpcServer server;

    private TestingDriver(String appId, long heartbeatIntervalMillis, Optional<String> secret) {
        this.appId = appId;
        this.heartbeatIntervalMillis = heartbeatIntervalMillis;
        this.server = RpcServer.start("driver", "127.0.0.1", 0, List.of(new Service()), secret);
    }

    /** A driver of application {@code appId} asking for heartbeats every {@code heartbeatIntervalMillis}. */
    public static TestingDriver start(String appId, long heartbeatIntervalMillis, Optional<String> secret) {
        return new TestingDriver(appId, heartbeatIntervalMillis, secret);
    }

    public String address() {
        return server.address();
    }

    /** Waits for an executor's registration. */
    public Arrival awaitRegistration(String executorId) {
        Poll.until(() -> registrations.containsKey(executorId), () -> "executor " + executorId + " to register at the "
                + "driver; registered: " + registrations.keySet());
        return registrations.get(executorId);
    }

    public boolean isRegistered(String executorId) {
        return registrations.containsKey(executorId);
    }

    /** Every first message an executor sent on a stream. */
    public List<ExecutorMessage> firstMessages() {
        return List.copyOf(firstMessages);
    }

    /** Waits until an executor has sent at least {@code count} heartbeats; returns them. */
    public List<Heartbeat> awaitHeartbeats(String executorId, int count) {
        Poll.until(() -> heartbeats(executorId).size() >= count,
                () -> count + " heartbeats from executor " + executorId + ", got " + heartbeats(executorId).size());
        return heartbeats(executorId);
    }

    public List<Heartbeat> heartbeats(String executorId) {
        return List.copyOf(heartbeats.getOrDefault(executorId, List.of()));
    }

    /** Waits until the executor's stream ended; returns how: "completed" or "error: STATUS". */
    public String awaitStreamEnd(String executorId) {
        Poll.until(() -> ends.containsKey(executorId), () -> "the stream of executor " + executorId + " to end");
        return ends.get(executorId);
    }

    /** Sends Shutdown on the executor's stream. */
    public void shutdown(String executorId, String reason) {
        StreamObserver<DriverMessage> stream = stream(executorId);
        synchronized (stream) {
            stream.onNext(DriverMessage.newBuilder().setShutdown(Shutdown.newBuilder().setReason(reason)).build());
        }
    }

    /** Completes the executor's stream from the driver's side (without a Shutdown). */
    public void complete(String executorId) {
        StreamObserver<DriverMessage> stream = stream(executorId);
        synchronized (stream) {
            stream.onCompleted();
        }
    }

    /** Ends the executor's stream with an error status (as a driver that cancels it). */
    public void fail(String executorId) {
        StreamObserver<DriverMessage> stream = stream(executorId);
        synchronized (stream) {
            stream.onError(Status.CANCELLED.withDescription("the driver cancelled the stream").asRuntimeException());
        }
    }

    /**
     * Announces a JAR in every later {@code Registered}, with the SHA-256 {@code announcedSha256},
     * and serves {@code bytes} for it through {@code FetchJar}.
     */
    public void serveJar(String name, byte[] bytes, String announcedSha256) {
        jarBytes.put(name, bytes.clone());
        jars.add(AppJar.newBuilder().setName(name).setSize(bytes.length).setSha256(announcedSha256).build());
    }

    /** The limit of inline results named in every later {@code Registered} (1 MiB unless set). */
    public void maxDirectResultBytes(long bytes) {
        maxDirectResultBytes = bytes;
    }

    /** Sends a message on the executor's stream. */
    public void send(String executorId, DriverMessage message) {
        StreamObserver<DriverMessage> stream = stream(executorId);
        synchronized (stream) {
            stream.onNext(message);
        }
    }

    /** Waits for the update of a task. */
    public TaskUpdate awaitTaskUpdate(long taskId) {
        Poll.until(() -> taskUpdates.containsKey(taskId), () -> "the update of task " + taskId + "; have "
                + taskUpdates.keySet());
        return taskUpdates.get(taskId);
    }

    public List<BlockUpdate> blockUpdates() {
        return List.copyOf(blockUpdates);
    }

    /** The result uploaded for a task, if one was. */
    public Optional<byte[]> upload(long taskId) {
        return Optional.ofNullable(uploads.get(taskId));
    }

    /** The executor that uploaded a task's result. */
    public Optional<String> uploader(long taskId) {
        return Optional.ofNullable(uploaders.get(taskId));
    }

    private StreamObserver<DriverMessage> stream(String executorId) {
        StreamObserver<DriverMessage> stream = streams.get(executorId);
        if (stream == null) {
            throw new AssertionError("executor " + executorId + " has no stream; registered: " + registrations.keySet());
        }
        return stream;
    }

    /** Stops the server at once: open streams break (as when the driver dies). */
    @Override
    public void close() {
        server.close(Duration.ZERO);
    }

    private final class Service extends DriverServiceGrpc.DriverServiceImplBase {

        @Override
        public StreamObserver<ExecutorMessage> connect(StreamObserver<DriverMessage> toExecutor) {
            return new StreamObserver<>() {
                private String executorId;

                @Override
                public void onNext(ExecutorMessage message) {
                    if (executorId == null) {
                        firstMessages.add(message);
                    }
                    if (message.hasRegister()) {
                        long now = System.nanoTime();
                        executorId = message.getRegister().getExecutorId();
                        synchronized (toExecutor) {
                            toExecutor.onNext(DriverMessage.newBuilder()
                                    .setRegistered(Registered.newBuilder().setAppId(appId)
                                            .setHeartbeatIntervalMillis(heartbeatIntervalMillis)
                                            .addAllJars(jars)
                                            .setMaxDirectResultBytes(maxDirectResultBytes))
                                    .build());
                        }
                        streams.put(executorId, toExecutor);
                        registrations.put(executorId, new Arrival(message.getRegister(), now));
                    } else if (message.hasHeartbeat() && executorId != null) {
                        heartbeats.computeIfAbsent(executorId, id -> new CopyOnWriteArrayList<>())
                                .add(message.getHeartbeat());
                    } else if (message.hasTaskUpdates()) {
                        message.getTaskUpdates().getUpdatesList().forEach(u -> taskUpdates.put(u.getTaskId(), u));
                    } else if (message.hasBlockUpdates()) {
                        blockUpdates.addAll(message.getBlockUpdates().getUpdatesList());
                    }
                }

                @Override
                public void onError(Throwable t) {
                    if (executorId != null) {
                        ends.put(executorId, "error: " + Status.fromThrowable(t).getCode());
                    }
                }

                @Override
                public void onCompleted() {
                    if (executorId != null) {
                        ends.put(executorId, "completed");
                        synchronized (toExecutor) {
                            try {
                                toExecutor.onCompleted();
                            } catch (IllegalStateException alreadyClosed) {
                                // the test ended it first
                            }
                        }
                    }
                }
            };
        }

        @Override
        public StreamObserver<ResultChunk> uploadResult(StreamObserver<Ack> ack) {
            return new StreamObserver<>() {
                private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                private long taskId = -1;
                private String executorId;

                @Override
                public void onNext(ResultChunk chunk) {
                    if (taskId < 0) {
                        taskId = chunk.getTaskId();
                        executorId = chunk.getExecutorId();
                    }
                    bytes.writeBytes(chunk.getData().toByteArray());
                }

                @Override
                public void onError(Throwable t) {
                }

                @Override
                public void onCompleted() {
                    uploaders.put(taskId, executorId);
                    uploads.put(taskId, bytes.toByteArray());
                    ack.onNext(Ack.getDefaultInstance());
                    ack.onCompleted();
                }
            };
        }

        @Override
        public void fetchJar(FetchJarRequest request, StreamObserver<JarChunk> chunks) {
            byte[] bytes = jarBytes.get(request.getName());
            if (bytes == null) {
                chunks.onError(Status.NOT_FOUND.withDescription("no JAR " + request.getName()).asRuntimeException());
                return;
            }
            for (int offset = 0; offset < bytes.length; offset += 64 * 1024) {
                chunks.onNext(JarChunk.newBuilder()
                        .setData(ByteString.copyFrom(bytes, offset, Math.min(64 * 1024, bytes.length - offset)))
                        .build());
            }
            chunks.onCompleted();
        }
    }
}
