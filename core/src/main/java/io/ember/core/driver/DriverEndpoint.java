package io.ember.core.driver;

import static io.ember.core.checks.Checks.requirePositive;
import static java.util.Objects.requireNonNull;

import io.ember.api.cluster.ExecutorInfo;
import io.ember.api.config.Durations;
import io.ember.core.concurrent.EventLoop;
import io.ember.core.rpc.RpcServer;
import io.ember.core.rpc.proto.Ack;
import io.ember.core.rpc.proto.AppJar;
import io.ember.core.rpc.proto.DriverMessage;
import io.ember.core.rpc.proto.DriverServiceGrpc;
import io.ember.core.rpc.proto.ExecutorMessage;
import io.ember.core.rpc.proto.FetchJarRequest;
import io.ember.core.rpc.proto.JarChunk;
import io.ember.core.rpc.proto.RegisterExecutor;
import io.ember.core.rpc.proto.Registered;
import io.ember.core.rpc.proto.ResultChunk;
import io.ember.core.rpc.proto.Shutdown;
import io.ember.core.scheduler.ExecutorGateway;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The driver's side of its executors' streams: the {@code DriverService}, the RPC server offering
 * it, and the registry of executors.
 *
 * <p>This class is the registry and the endpoint's lifecycle; it runs to about 530 lines because
 * registration, drops, waits and the heartbeat check all share one lock and one map and read best
 * together. Each stream is an {@link ExecutorConnection} with its {@link ExecutorWire}, result
 * uploads are {@link ResultUpload}s handed to the sender's wire, and JARs come from the
 * {@link JarServer}.
 *
 * <p>Every executor opens one {@code Connect} stream for its whole life. Its first message must be
 * {@code RegisterExecutor}; the endpoint records an {@link ExecutorInfo} and answers
 * {@code Registered} with the application id and the heartbeat interval. Every later message
 * counts as a sign of life. An executor leaves when its stream ends or breaks, when nothing arrived
 * from it for longer than the heartbeat timeout (checked periodically against the injected
 * {@link Clock}), when it registers again on a new stream (the old stream is closed), or when the
 * driver shuts it down ({@link #shutdownAll}). A stream is never left open after its executor left:
 * it ends with a {@code Shutdown} message, or with an error status when it was replaced or misused.
 *
 * <p>Executors can register only once {@link #bindApplication} named the application; until then a
 * registration is refused with {@code FAILED_PRECONDITION}.
 *
 * <p>Threading: thread-safe. Stream callbacks run on the RPC server's pool; sends on one stream are
 * serialized. {@link ExecutorListener}s and the heartbeat check run on one event thread of this
 * endpoint, so listeners see the changes in order. {@link #close()} is idempotent.
 */
public final class DriverEndpoint implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DriverEndpoint.class);

    private static final Duration MIN_CHECK_PERIOD = Duration.ofMillis(10);
    private static final Duration MAX_CHECK_PERIOD = Duration.ofSeconds(1);
    private static final Duration EVENT_DRAIN = Duration.ofSeconds(2);


    private final Duration heartbeatInterval;
    private final Duration heartbeatTimeout;
    private final ExecutorSetup setup;
    private final JarServer jarServer;
    private final ExecutorConnection.Owner connections = new ExecutorConnection.Owner() {
        @Override
        public void register(ExecutorConnection connection, RegisterExecutor request) {
            DriverEndpoint.this.register(connection, request);
        }

        @Override
        public void ended(ExecutorConnection connection, String reason) {
            DriverEndpoint.this.ended(connection, reason);
        }
    };
    private final ExecutorTraffic traffic;
    private final Clock clock;
    private final EventLoop events;
    private final List<ExecutorListener> listeners = new CopyOnWriteArrayList<>();

    private final Object lock = new Object();
    /** Registered executors by id, in order of registration; guarded by lock. */
    private final Map<String, ExecutorConnection> executors = new LinkedHashMap<>();
    /** Guarded by lock. */
    private String applicationId;
    /** Guarded by lock. */
    private boolean closing;

    private volatile RpcServer server;

    private DriverEndpoint(Duration heartbeatInterval, Duration heartbeatTimeout, Clock clock, ExecutorSetup setup,
                           ExecutorTraffic traffic) {
        this.setup = requireNonNull(setup, "setup is null");
        this.traffic = requireNonNull(traffic, "traffic is null");
        this.jarServer = new JarServer(setup.jars());
        this.heartbeatInterval = requirePositive(heartbeatInterval, "heartbeatInterval");
        this.heartbeatTimeout = requirePositive(heartbeatTimeout, "heartbeatTimeout");
        this.clock = requireNonNull(clock, "clock is null");
        this.events = EventLoop.start("ember-driver-events");
    }

    /**
     * Starts the endpoint listening on {@code host:port} and its periodic heartbeat check.
     *
     * @param port {@code ember.driver.port}, 0 for any free port
     * @param secret {@code ember.auth.secret}: when present, every executor must authenticate
     * @param heartbeatInterval how often executors are told to heartbeat
     *     ({@code ember.executor.heartbeatInterval})
     * @param heartbeatTimeout silence after which an executor is dropped
     *     ({@code ember.executor.heartbeatTimeout})
     * @param clock what heartbeat times are read from
     * @throws java.io.UncheckedIOException with one line when the address cannot be bound
     */
    public static DriverEndpoint start(String host, int port, Optional<String> secret, Duration heartbeatInterval,
            Duration heartbeatTimeout, Clock clock) {
        return start(host, port, secret, heartbeatInterval, heartbeatTimeout, clock, ExecutorSetup.DEFAULT,
                ExecutorTraffic.NONE);
    }

    /**
     * As {@link #start(String, int, Optional, Duration, Duration, Clock)}, for a driver that runs
     * tasks: executors are told {@code setup} when they register, may fetch its JARs and upload
     * results, and what they send is handed to {@code traffic}.
     */
    public static DriverEndpoint start(String host, int port, Optional<String> secret, Duration heartbeatInterval,
            Duration heartbeatTimeout, Clock clock, ExecutorSetup setup, ExecutorTraffic traffic) {
        requireNonNull(host, "host is null");
        requireNonNull(secret, "secret is null");
        DriverEndpoint endpoint = new DriverEndpoint(heartbeatInterval, heartbeatTimeout, clock, setup, traffic);
        try {
            endpoint.server = RpcServer.start("driver", host, port, List.of(endpoint.new Service()), secret);
        } catch (RuntimeException | Error e) {
            endpoint.events.shutdownNow(Duration.ZERO);
            throw e;
        }
        Duration period = clamp(heartbeatTimeout.dividedBy(4), MIN_CHECK_PERIOD, MAX_CHECK_PERIOD);
        endpoint.events.scheduleWithFixedDelay(endpoint::checkHeartbeatsQuietly, period, period);
        return endpoint;
    }

    /** {@code host:port} executors reach this driver at (its {@code driver_address}). */
    public String address() {
        return server.address();
    }

    /** The port it listens on. */
    public int port() {
        return server.port();
    }

    /**
     * Names the application executors serve; from now on they may register.
     *
     * @throws IllegalStateException when another application was bound before
     */
    public void bindApplication(String applicationId) {
        requireNonNull(applicationId, "applicationId is null");
        synchronized (lock) {
            if (this.applicationId != null && !this.applicationId.equals(applicationId)) {
                throw new IllegalStateException("the driver endpoint already serves application " + this.applicationId
                        + ", not " + applicationId);
            }
            this.applicationId = applicationId;
        }
    }

    /** Adds a listener; it hears of changes from now on. */
    public void addListener(ExecutorListener listener) {
        listeners.add(requireNonNull(listener, "listener is null"));
    }

    /** Removes a listener. */
    public void removeListener(ExecutorListener listener) {
        listeners.remove(listener);
    }

    /** The executors registered now, in the order they registered. */
    public List<ExecutorInfo> executors() {
        synchronized (lock) {
            return executors.values().stream().map(c -> c.info).toList();
        }
    }

    /**
     * How the task scheduler reaches a registered executor: the wire on its stream, as it is now
     * (a later re-registration makes a new one); empty when it is not registered.
     */
    public Optional<ExecutorGateway> handle(String executorId) {
        synchronized (lock) {
            ExecutorConnection connection = executors.get(executorId);
            return connection == null ? Optional.empty() : Optional.of(connection.wire);
        }
    }

    /**
     * Drops a registered executor as lost (its stream ends with a {@code Shutdown} saying why, and
     * listeners hear {@code executorRemoved}); does nothing when it is not registered.
     */
    public void drop(String executorId, String reason) {
        requireNonNull(reason, "reason is null");
        ExecutorConnection dropped;
        synchronized (lock) {
            dropped = executors.remove(executorId);
            if (dropped == null) {
                return;
            }
            publishRemoved(dropped.info, reason);
            lock.notifyAll();
        }
        LOG.warn("Executor {} on {} is lost: {}", executorId, dropped.info.host(), reason);
        dropped.shutdown(reason);
    }

    /** The ids of the executors registered now. */
    public Set<String> executorIds() {
        synchronized (lock) {
            return Set.copyOf(executors.keySet());
        }
    }

    /** When the executor was last heard from, by the clock; empty when it is not registered. */
    OptionalLong lastHeardMillis(String executorId) {
        synchronized (lock) {
            ExecutorConnection connection = executors.get(executorId);
            return connection == null ? OptionalLong.empty() : OptionalLong.of(connection.lastHeardMillis);
        }
    }

    /**
     * Waits until at least {@code count} executors are registered.
     *
     * @return the executors registered then
     * @throws ExecutorWaitTimeoutException when fewer are registered after {@code timeout}, saying
     *     how many
     * @throws IllegalStateException when interrupted (the interrupt flag is set again)
     */
    public List<ExecutorInfo> awaitExecutors(int count, Duration timeout) {
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0: " + count);
        }
        requireNonNull(timeout, "timeout is null");
        long deadline = System.nanoTime() + Math.max(0, timeout.toNanos());
        synchronized (lock) {
            while (executors.size() < count) {
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    int registered = executors.size();
                    throw new ExecutorWaitTimeoutException("only " + registered + " of " + count + " executor(s) of "
                            + "application " + (applicationId == null ? "(not registered)" : applicationId)
                            + " registered with the driver within " + Durations.format(timeout)
                            + " (is the cluster short of free cores or memory? do executors reach " + address() + "?)",
                            registered, count);
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(lock, remaining);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for " + count + " executor(s)");
                }
            }
            return executors.values().stream().map(c -> c.info).toList();
        }
    }

    /**
     * Drops every executor silent for longer than the heartbeat timeout, by the clock: its stream
     * ends with a {@code Shutdown} and listeners hear {@code executorRemoved}. Runs periodically on
     * the event thread; tests with a manual clock call it directly.
     *
     * @return the executors dropped
     */
    List<ExecutorInfo> checkHeartbeats() {
        long now = clock.millis();
        long timeoutMillis = heartbeatTimeout.toMillis();
        List<ExecutorConnection> expired = new ArrayList<>();
        String reason = "no heartbeat for " + Durations.format(heartbeatTimeout) + " (ember.executor.heartbeatTimeout)";
        synchronized (lock) {
            for (ExecutorConnection connection : executors.values()) {
                if (now - connection.lastHeardMillis > timeoutMillis) {
                    expired.add(connection);
                }
            }
            for (ExecutorConnection connection : expired) {
                executors.remove(connection.info.executorId());
                publishRemoved(connection.info, reason);
            }
            if (!expired.isEmpty()) {
                lock.notifyAll();
            }
        }
        for (ExecutorConnection connection : expired) {
            LOG.warn("Executor {} on {} (worker {}) is lost: {}", connection.info.executorId(), connection.info.host(),
                    connection.info.workerId(), reason);
            connection.shutdown(reason);
        }
        return expired.stream().map(c -> c.info).toList();
    }

    /**
     * Sends {@code Shutdown} with the reason to every registered executor and ends their streams;
     * listeners hear {@code executorRemoved} for each. Executors registering later are not
     * affected.
     */
    public void shutdownAll(String reason) {
        requireNonNull(reason, "reason is null");
        List<ExecutorConnection> all;
        synchronized (lock) {
            all = new ArrayList<>(executors.values());
            executors.clear();
            for (ExecutorConnection connection : all) {
                publishRemoved(connection.info, reason);
            }
            lock.notifyAll();
        }
        if (!all.isEmpty()) {
            LOG.info("Shutting down {} executor(s): {}", all.size(), reason);
        }
        for (ExecutorConnection connection : all) {
            connection.shutdown(reason);
        }
    }

    /**
     * Refuses new registrations, shuts down every executor ("the driver is stopping"), stops the
     * server and the event thread (after delivering the events already queued). Idempotent.
     */
    @Override
    public void close() {
        synchronized (lock) {
            if (closing) {
                return;
            }
            closing = true;
        }
        shutdownAll("the driver is stopping");
        RpcServer running = server;
        if (running != null) {
            running.close();
        }
        if (!events.shutdown(EVENT_DRAIN)) {
            events.shutdownNow(Duration.ZERO);
        }
    }

    @Override
    public String toString() {
        synchronized (lock) {
            return "DriverEndpoint[" + (server == null ? "not started" : server.address()) + ", application="
                    + applicationId + ", executors=" + executors.keySet() + (closing ? ", closed" : "") + "]";
        }
    }

    private void checkHeartbeatsQuietly() {
        try {
            checkHeartbeats();
        } catch (RuntimeException e) {
            LOG.error("The executor heartbeat check failed", e);
        }
    }

    /** Registers the executor of a stream; answers {@code Registered}, or ends the stream with the reason. */
    private void register(ExecutorConnection connection, RegisterExecutor request) {
        String problem = problem(request);
        if (problem != null) {
            connection.fail(Status.INVALID_ARGUMENT.withDescription(problem));
            return;
        }
        ExecutorConnection replaced = null;
        ExecutorInfo info = null;
        Status refusal = null;
        synchronized (lock) {
            if (closing) {
                refusal = Status.UNAVAILABLE.withDescription("the driver is stopping");
            } else if (applicationId == null) {
                refusal = Status.FAILED_PRECONDITION.withDescription("the driver has no registered application yet");
            } else {
                info = new ExecutorInfo(request.getExecutorId(), applicationId, request.getWorkerId(),
                        request.getHost(), 0, request.getCores());
                connection.wire = new ExecutorWire(info.executorId(), info.host(), info.cores(), connection::send,
                        traffic, setup.maxUploadBytes());
                connection.info = info;
                connection.lastHeardMillis = clock.millis();
                replaced = executors.remove(info.executorId());   // re-inserted last: the order is of registration
                executors.put(info.executorId(), connection);
                if (replaced != null) {
                    publishRemoved(replaced.info, "it connected again on a new stream");
                }
                // Registered goes out before anyone hears of the executor, so that nothing (a task
                // launch) reaches it ahead of its registration. A concurrent shutdownAll may have ended
                // the stream already: then this send does nothing.
                connection.send(registered(info));
                publishAdded(info);
                lock.notifyAll();
            }
        }
        if (refusal != null) {
            connection.fail(refusal);
            return;
        }
        if (replaced != null) {
            LOG.info("Executor {} connected again; closing its previous stream", info.executorId());
            replaced.fail(Status.ABORTED.withDescription("executor " + info.executorId()
                    + " connected again on another stream; this one is closed"));
        }
        LOG.info("Executor {} registered: worker {}, host {}, {} core(s), pid {}", info.executorId(), info.workerId(),
                info.host(), info.cores(), request.getPid());
    }

    private DriverMessage registered(ExecutorInfo info) {
        Registered.Builder registered = Registered.newBuilder()
                .setAppId(info.applicationId())
                .setHeartbeatIntervalMillis(heartbeatInterval.toMillis())
                .setMaxDirectResultBytes(setup.maxDirectResultBytes())
                .setStorageMemoryBytes(setup.storageMemoryBytes())
                .setRecordSerializer(setup.recordSerializer());
        for (ServedJar jar : setup.jars()) {
            registered.addJars(AppJar.newBuilder().setName(jar.name()).setSize(jar.size()).setSha256(jar.sha256()));
        }
        return DriverMessage.newBuilder().setRegistered(registered).build();
    }

    private static String problem(RegisterExecutor request) {
        if (request.getExecutorId().isBlank()) {
            return "RegisterExecutor: executor_id is empty";
        }
        if (request.getWorkerId().isBlank()) {
            return "RegisterExecutor of executor " + request.getExecutorId() + ": worker_id is empty";
        }
        if (request.getHost().isBlank()) {
            return "RegisterExecutor of executor " + request.getExecutorId() + ": host is empty";
        }
        if (request.getCores() < 1) {
            return "RegisterExecutor of executor " + request.getExecutorId() + ": cores must be >= 1: "
                    + request.getCores();
        }
        return null;
    }

    /** The stream of a registered executor ended or broke. */
    private void ended(ExecutorConnection connection, String reason) {
        ExecutorInfo info = connection.info;
        if (info == null) {
            return;
        }
        boolean removed;
        synchronized (lock) {
            removed = executors.remove(info.executorId(), connection);
            if (removed) {
                publishRemoved(info, reason);
                lock.notifyAll();
            }
        }
        if (removed) {
            LOG.info("Executor {} on {} left: {}", info.executorId(), info.host(), reason);
        }
    }

    /** Queues the event; called under lock so events are queued in the order of the changes. */
    private void publishAdded(ExecutorInfo info) {
        publish(listener -> listener.executorAdded(info));
    }

    private void publishRemoved(ExecutorInfo info, String reason) {
        publish(listener -> listener.executorRemoved(info, reason));
    }

    private void publish(Consumer<ExecutorListener> event) {
        // after close() the event is dropped: nobody listens any more
        events.execute(() -> {
            for (ExecutorListener listener : listeners) {
                try {
                    event.accept(listener);
                } catch (RuntimeException e) {
                    LOG.error("An executor listener failed", e);
                }
            }
        });
    }

    /** {@code duration}, at least {@code min} and at most {@code max}. */
    private static Duration clamp(Duration duration, Duration min, Duration max) {
        return duration.compareTo(min) < 0 ? min : duration.compareTo(max) > 0 ? max : duration;
    }

    /** Hands an uploaded result to the wire of the executor that sent it; returns why it was refused, or null. */
    private String resultUploaded(String executorId, long taskId, byte[] result) {
        ExecutorWire wire;
        synchronized (lock) {
            ExecutorConnection connection = executors.get(executorId);
            wire = connection == null ? null : connection.wire;
        }
        return wire == null ? ExecutorWire.notRunning(taskId, executorId) : wire.resultUploaded(taskId, result);
    }

    private boolean isRegistered(String executorId) {
        synchronized (lock) {
            return executors.containsKey(executorId);
        }
    }

    private final class Service extends DriverServiceGrpc.DriverServiceImplBase {

        @Override
        public StreamObserver<ExecutorMessage> connect(StreamObserver<DriverMessage> toExecutor) {
            ServerCallStreamObserver<DriverMessage> out = (ServerCallStreamObserver<DriverMessage>) toExecutor;
            ExecutorConnection connection = new ExecutorConnection(out, clock, connections);
            out.setOnCancelHandler(connection::cancelled);
            return connection;
        }

        @Override
        public StreamObserver<ResultChunk> uploadResult(StreamObserver<Ack> response) {
            return new ResultUpload(response, setup.maxUploadBytes(), DriverEndpoint.this::isRegistered,
                    DriverEndpoint.this::resultUploaded);
        }

        @Override
        public void fetchJar(FetchJarRequest request, StreamObserver<JarChunk> response) {
            jarServer.serve(request, response);
        }
    }
}
