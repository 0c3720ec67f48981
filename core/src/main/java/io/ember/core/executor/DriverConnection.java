package io.ember.core.executor;

import static java.util.Objects.requireNonNull;

import io.ember.core.concurrent.EventLoop;
import io.ember.core.rpc.proto.DriverMessage;
import io.ember.core.rpc.proto.DriverServiceGrpc;
import io.ember.core.rpc.proto.ExecutorMessage;
import io.ember.core.storage.BlockChange;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * An executor's one stream to its driver ({@code DriverService.Connect}), open for the executor's
 * whole life: everything the executor says ({@link #register}, {@link #heartbeat}, and its task
 * executor's {@link TaskExecutor.Reports}) and everything the driver says ({@link Listener})
 * travels on it. The messages are made and read by {@link ExecutorMessages}.
 *
 * <p><b>Threads.</b> What the executor says may be sent from any thread (sends are serialised; a
 * message sent after the stream ended is dropped). Inbound messages are decoded and handed to the
 * listener in order on one thread of this connection, {@code ember-executor-inbound}, never on
 * gRPC's threads, so a handler may take its time (deserialising a task, say) without holding up the
 * transport. {@link Listener#onEnd} is called once, last, on the same thread.
 */
final class DriverConnection implements TaskExecutor.Reports {

    /** What the driver says, in the executor's types; called on the inbound thread, in order. */
    interface Listener {

        /** The driver accepted this executor ({@code Registered}). */
        void registered(RegistrationAnswer answer);

        /** The driver shuts this executor down ({@code Shutdown}); {@code reason} may be blank. */
        void shutdown(String reason);

        /**
         * A command for the executor's tasks ({@code LaunchTasks}, {@code KillTask},
         * {@code DropBlocks}, {@code ForgetStages}): {@code command} runs it on a task executor.
         *
         * @param kind the message's kind, for a log line
         */
        void taskCommand(String kind, Consumer<TaskExecutor> command);

        /** A message of a kind this executor does not act on. */
        void ignored(String kind);

        /**
         * The stream ended: {@link Status#OK} when the driver completed it, else why it broke
         * (the driver went away, the connection dropped, the call was refused). Called once.
         */
        void onEnd(Status status);
    }

    private final String address;
    private final EventLoop inbound;
    private final Object sendLock = new Object();
    private final AtomicBoolean ended = new AtomicBoolean();
    /** Guarded by sendLock. */
    private ClientCallStreamObserver<ExecutorMessage> requests;
    /** Guarded by sendLock: true once this side completed or cancelled, or the driver ended the call. */
    private boolean closed;

    /**
     * A connection to the driver at {@code address}; {@link #start} opens the stream.
     *
     * @param address the driver's {@code host:port}, for messages
     */
    DriverConnection(String address) {
        this.address = requireNonNull(address, "address is null");
        this.inbound = EventLoop.start("ember-executor-inbound");
    }

    /**
     * Opens the stream (the channel connects in the background); nothing is sent yet. Call once,
     * before {@link #send}.
     *
     * @param channel a channel to the driver
     * @param listener hears what the driver says
     */
    void start(Channel channel, Listener listener) {
        requireNonNull(channel, "channel is null");
        requireNonNull(listener, "listener is null");
        synchronized (sendLock) {
            if (requests != null) {
                throw new IllegalStateException("the stream to the driver at " + address + " was already started");
            }
        }
        DriverServiceGrpc.newStub(channel).connect(new Responses(listener));
    }

    /** The driver's {@code host:port}. */
    String address() {
        return address;
    }

    /** Sends {@code RegisterExecutor}, the stream's first message; see {@link #send}. */
    boolean register(ExecutorArguments arguments, long pid) {
        return send(ExecutorMessages.register(arguments, pid));
    }

    /** Sends a {@code Heartbeat}; see {@link #send}. */
    boolean heartbeat(ExecutorHeartbeat heartbeat) {
        return send(ExecutorMessages.heartbeat(heartbeat));
    }

    /** Sends the reports as one {@code TaskUpdates} message. */
    @Override
    public void tasksEnded(List<TaskReport> reports) {
        send(ExecutorMessages.taskUpdates(reports));
    }

    /** Sends the changes as one {@code BlockUpdates} message. */
    @Override
    public void blocksChanged(List<BlockChange> changes) {
        send(ExecutorMessages.blockUpdates(changes));
    }

    /**
     * Sends a message to the driver; safe from any thread.
     *
     * @return whether it was handed to the transport ({@code false} once the stream has ended)
     */
    private boolean send(ExecutorMessage message) {
        requireNonNull(message, "message is null");
        synchronized (sendLock) {
            if (closed || requests == null) {
                return false;
            }
            try {
                requests.onNext(message);
                return true;
            } catch (IllegalStateException e) {   // the call ended under us
                closed = true;
                return false;
            }
        }
    }

    /**
     * Ends this side of the stream cleanly (the driver sees it complete); the driver's side ends
     * when the driver completes it, or when the channel closes. Idempotent.
     */
    void close() {
        synchronized (sendLock) {
            if (closed || requests == null) {
                closed = true;
                return;
            }
            closed = true;
            try {
                requests.onCompleted();
            } catch (IllegalStateException e) {
                // already over
            }
        }
    }

    /** Stops the inbound thread (after what is queued on it); call when the stream is no longer needed. */
    void shutdownInbound() {
        inbound.shutdown(Duration.ZERO);
    }

    private void dispatchEnd(Listener listener, Status status) {
        synchronized (sendLock) {
            closed = true;
        }
        if (ended.compareAndSet(false, true)) {
            dispatch(() -> listener.onEnd(status));
        }
    }

    private void dispatch(Runnable task) {
        inbound.execute(task); // dropped once shut down: this executor is stopping and no longer listens
    }

    /** gRPC's callbacks for the call; they only hand each event to the inbound thread. */
    private final class Responses implements ClientResponseObserver<ExecutorMessage, DriverMessage> {

        private final Listener listener;

        Responses(Listener listener) {
            this.listener = listener;
        }

        @Override
        public void beforeStart(ClientCallStreamObserver<ExecutorMessage> requestStream) {
            synchronized (sendLock) {
                requests = requestStream;
            }
        }

        @Override
        public void onNext(DriverMessage message) {
            dispatch(() -> ExecutorMessages.deliver(message, listener));
        }

        @Override
        public void onError(Throwable t) {
            dispatchEnd(listener, Status.fromThrowable(t));
        }

        @Override
        public void onCompleted() {
            dispatchEnd(listener, Status.OK);
        }
    }

    @Override
    public String toString() {
        return "DriverConnection[" + address + (ended.get() ? ", ended" : "") + "]";
    }
}
