package io.ember.core.driver.endpoint;

import static java.util.Objects.requireNonNull;

import io.ember.api.cluster.ExecutorInfo;
import io.ember.core.rpc.proto.Ack;
import io.ember.core.rpc.proto.AppJar;
import io.ember.core.rpc.proto.DriverMessage;
import io.ember.core.rpc.proto.DriverServiceGrpc;
import io.ember.core.rpc.proto.ExecutorMessage;
import io.ember.core.rpc.proto.FetchJarRequest;
import io.ember.core.rpc.proto.FetchMapOutputsRequest;
import io.ember.core.rpc.proto.JarChunk;
import io.ember.core.rpc.proto.MapOutputsChunk;
import io.ember.core.rpc.proto.RegisterExecutor;
import io.ember.core.rpc.proto.Registered;
import io.ember.core.rpc.proto.ResultChunk;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The driver's {@code DriverService}, the gRPC face of the {@link DriverEndpoint}: each
 * {@code Connect} stream becomes an {@link ExecutorConnection}, each result upload a
 * {@link ResultUpload}, JAR fetches go to the {@link JarServer} and map output fetches to the
 * {@link MapOutputServer}.
 *
 * <p>It speaks the registration handshake. A stream's first message must be a well-formed
 * {@code RegisterExecutor} (else the stream ends with {@code INVALID_ARGUMENT}); the endpoint admits
 * the executor and the service answers {@code Registered} with the application id, the heartbeat
 * interval and the {@link ExecutorSetup}, or ends the stream with the endpoint's refusal. An
 * executor registering again on a new stream closes its old one with {@code ABORTED}.
 *
 * <p>Threading: thread-safe; calls arrive on the RPC server's pool.
 */
final class DriverService extends DriverServiceGrpc.DriverServiceImplBase implements ExecutorConnection.Owner {

    /** Logged as the driver endpoint's, as before the endpoint was split. */
    private static final Logger LOG = LoggerFactory.getLogger(DriverEndpoint.class);

    private final DriverEndpoint endpoint;
    private final Duration heartbeatInterval;
    private final ExecutorSetup setup;
    private final Clock clock;
    private final JarServer jarServer;
    private final MapOutputServer mapOutputServer;

    /**
     * @param endpoint the registry of executors
     * @param heartbeatInterval how often executors are told to heartbeat
     * @param setup what executors are told when they register, and the JARs they may fetch
     * @param clock what a stream's sign-of-life times are read from
     */
    DriverService(DriverEndpoint endpoint, Duration heartbeatInterval, ExecutorSetup setup, Clock clock) {
        this.endpoint = requireNonNull(endpoint, "endpoint is null");
        this.heartbeatInterval = requireNonNull(heartbeatInterval, "heartbeatInterval is null");
        this.setup = requireNonNull(setup, "setup is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.jarServer = new JarServer(setup.jars());
        this.mapOutputServer = new MapOutputServer(setup.mapOutputs());
    }

    @Override
    public StreamObserver<ExecutorMessage> connect(StreamObserver<DriverMessage> toExecutor) {
        ServerCallStreamObserver<DriverMessage> out = (ServerCallStreamObserver<DriverMessage>) toExecutor;
        ExecutorConnection connection = new ExecutorConnection(out, clock, this);
        out.setOnCancelHandler(connection::cancelled);
        return connection;
    }

    @Override
    public StreamObserver<ResultChunk> uploadResult(StreamObserver<Ack> response) {
        return new ResultUpload(response, setup.maxUploadBytes(), endpoint::isRegistered, endpoint::resultUploaded);
    }

    @Override
    public void fetchJar(FetchJarRequest request, StreamObserver<JarChunk> response) {
        jarServer.serve(request, response);
    }

    @Override
    public void fetchMapOutputs(FetchMapOutputsRequest request, StreamObserver<MapOutputsChunk> response) {
        mapOutputServer.serve(request, response);
    }

    /** Registers the executor of a stream; answers {@code Registered}, or ends the stream with the reason. */
    @Override
    public void register(ExecutorConnection connection, RegisterExecutor request) {
        String problem = problem(request);
        if (problem != null) {
            connection.fail(Status.INVALID_ARGUMENT.withDescription(problem));
            return;
        }
        DriverEndpoint.Admission admission = endpoint.admit(connection, request.getExecutorId(),
                request.getWorkerId(), request.getHost(), request.getCores(), info -> connection.send(registered(info)));
        if (admission.refusal() != null) {
            connection.fail(admission.refusal());
            return;
        }
        ExecutorInfo info = admission.executor();
        if (admission.replaced() != null) {
            LOG.info("Executor {} connected again; closing its previous stream", info.executorId());
            admission.replaced().fail(Status.ABORTED.withDescription("executor " + info.executorId()
                    + " connected again on another stream; this one is closed"));
        }
        LOG.info("Executor {} registered: worker {}, host {}, {} core(s), pid {}", info.executorId(), info.workerId(),
                info.host(), info.cores(), request.getPid());
    }

    @Override
    public void ended(ExecutorConnection connection, String reason) {
        endpoint.ended(connection, reason);
    }

    private DriverMessage registered(ExecutorInfo info) {
        Registered.Builder registered = Registered.newBuilder()
                .setAppId(info.applicationId())
                .setHeartbeatIntervalMillis(heartbeatInterval.toMillis())
                .setMaxDirectResultBytes(setup.maxDirectResultBytes())
                .setMemoryFraction(setup.memory().fraction())
                .setMemoryStorageFraction(setup.memory().storageFraction())
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
}
