package io.ember.core.driver.endpoint;

import static java.util.Objects.requireNonNull;

import io.ember.api.cluster.ExecutorInfo;
import io.ember.core.rpc.proto.DriverMessage;
import io.ember.core.rpc.proto.ExecutorMessage;
import io.ember.core.rpc.proto.RegisterExecutor;
import io.ember.core.rpc.proto.Shutdown;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One executor's stream on the driver: its registration, every later message as a sign of life
 * (the heartbeat time the registry checks), what it reports handed to its {@link ExecutorWire},
 * and sends that never throw once the stream has ended.
 *
 * <p>Threading: stream callbacks arrive on the RPC server's pool, one at a time; sends are
 * serialized on this object; {@link #info}, {@link #wire} and {@link #lastHeardMillis} are read
 * from any thread.
 */
final class ExecutorConnection implements StreamObserver<ExecutorMessage> {

    /** What the driver's service ({@link DriverService}) does with a stream's registration and its end. */
    interface Owner {

        /** The stream's first message: register its executor, or end the stream with the reason. */
        void register(ExecutorConnection connection, RegisterExecutor request);

        /** The stream of a registered executor ended or broke. */
        void ended(ExecutorConnection connection, String reason);
    }

    /** Logged as the driver endpoint's, as before the endpoint was split. */
    private static final Logger LOG = LoggerFactory.getLogger(DriverEndpoint.class);

    private final ServerCallStreamObserver<DriverMessage> out;
    private final Clock clock;
    private final Owner owner;
    /** Set once, by register, before the connection is published in executors. */
    volatile ExecutorInfo info;
    /** Set once, by register, before info. */
    volatile ExecutorWire wire;
    volatile long lastHeardMillis;
    /** Guarded by this: no more sends once the stream was ended by either side. */
    private boolean ended;

    ExecutorConnection(ServerCallStreamObserver<DriverMessage> out, Clock clock, Owner owner) {
        this.out = requireNonNull(out, "out is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.owner = requireNonNull(owner, "owner is null");
    }

    @Override
    public void onNext(ExecutorMessage message) {
        switch (message.getKindCase()) {
            case REGISTER -> {
                if (info != null) {
                    fail(Status.FAILED_PRECONDITION.withDescription("executor " + info.executorId()
                            + " is already registered on this stream"));
                    owner.ended(this, "it registered twice on one stream");
                } else {
                    owner.register(this, message.getRegister());
                }
            }
            default -> {
                ExecutorInfo registered = info;
                if (registered == null) {
                    fail(Status.FAILED_PRECONDITION.withDescription(
                            "the first message on a stream must be RegisterExecutor"));
                } else {
                    lastHeardMillis = clock.millis();
                    if (message.getKindCase() != ExecutorMessage.KindCase.HEARTBEAT) {
                        try {
                            wire.received(message);
                        } catch (IllegalArgumentException malformed) {
                            malformed(registered, malformed.getMessage());
                        }
                    }
                }
            }
        }
    }

    /**
     * The executor sent what no executor of this driver sends (a field out of range): it is broken or
     * not ours. One line says so; its stream ends and it is dropped, as an executor whose stream broke.
     */
    private void malformed(ExecutorInfo registered, String problem) {
        LOG.warn("Executor {} sent a malformed message ({}); its stream is closed and it is dropped",
                registered.executorId(), problem);
        fail(Status.INVALID_ARGUMENT.withDescription("malformed message: " + problem));
        owner.ended(this, "it sent a malformed message");
    }

    @Override
    public void onError(Throwable t) {
        markEnded();
        owner.ended(this, "its stream broke (" + Status.fromThrowable(t).getCode() + describe(t) + ")");
    }

    @Override
    public void onCompleted() {
        owner.ended(this, "it closed its stream");
        complete();
    }

    void cancelled() {
        markEnded();
    }

    /** Sends a message unless the stream has ended; never throws. */
    synchronized void send(DriverMessage message) {
        if (ended) {
            return;
        }
        try {
            out.onNext(message);
        } catch (StatusRuntimeException | IllegalStateException e) {
            ended = true;
            LOG.debug("Could not send to executor {}: {}", executorId(), e.toString());
        }
    }

    /** Sends {@code Shutdown} and ends the stream. */
    synchronized void shutdown(String reason) {
        send(DriverMessage.newBuilder().setShutdown(Shutdown.newBuilder().setReason(reason)).build());
        complete();
    }

    synchronized void complete() {
        if (ended) {
            return;
        }
        ended = true;
        try {
            out.onCompleted();
        } catch (StatusRuntimeException | IllegalStateException e) {
            LOG.debug("Could not end the stream of executor {}: {}", executorId(), e.toString());
        }
    }

    synchronized void fail(Status status) {
        if (ended) {
            return;
        }
        ended = true;
        try {
            out.onError(status.asRuntimeException());
        } catch (StatusRuntimeException | IllegalStateException e) {
            LOG.debug("Could not end the stream of executor {}: {}", executorId(), e.toString());
        }
    }

    private synchronized void markEnded() {
        ended = true;
    }

    private String executorId() {
        ExecutorInfo known = info;
        return known == null ? "(unregistered)" : known.executorId();
    }

    private static String describe(Throwable t) {
        String description = Status.fromThrowable(t).getDescription();
        return description == null || description.isBlank() ? "" : ": " + description;
    }
}
