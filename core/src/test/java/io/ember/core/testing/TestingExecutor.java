package io.ember.core.testing;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.google.protobuf.ByteString;
import io.ember.core.rpc.RpcChannels;
import io.ember.core.rpc.proto.Ack;
import io.ember.core.rpc.proto.DriverMessage;
import io.ember.core.rpc.proto.DriverServiceGrpc;
import io.ember.core.rpc.proto.ExecutorMessage;
import io.ember.core.rpc.proto.Heartbeat;
import io.ember.core.rpc.proto.RegisterExecutor;
import io.ember.core.rpc.proto.ResultChunk;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A fake executor: a gRPC client of the driver's {@code DriverService} that opens one stream and
 * sends what the test says. Records what the driver sends and how the stream ended.
 */
public final class TestingExecutor implements AutoCloseable {

    private final RpcChannels channels;
    private final String address;
    private final BlockingQueue<DriverMessage> received = new LinkedBlockingQueue<>();
    private volatile ClientCallStreamObserver<ExecutorMessage> out;
    private volatile Status endStatus;

    /** Opens a stream to the driver at {@code address}, signing calls with the secret if present. */
    public TestingExecutor(String address, Optional<String> secret) {
        this.channels = new RpcChannels("testing-executor", secret);
        this.address = address;
        DriverServiceGrpc.newStub(channels.channel(address)).connect(new ClientResponseObserver<ExecutorMessage, DriverMessage>() {
            @Override
            public void beforeStart(ClientCallStreamObserver<ExecutorMessage> requestStream) {
                out = requestStream;
            }

            @Override
            public void onNext(DriverMessage message) {
                received.add(message);
            }

            @Override
            public void onError(Throwable t) {
                endStatus = Status.fromThrowable(t);
            }

            @Override
            public void onCompleted() {
                endStatus = Status.OK;
            }
        });
    }

    public TestingExecutor(String address) {
        this(address, Optional.empty());
    }

    public void register(String executorId) {
        out.onNext(ExecutorMessage.newBuilder()
                .setRegister(RegisterExecutor.newBuilder()
                        .setExecutorId(executorId).setWorkerId("worker-1").setHost("127.0.0.1").setCores(2).setPid(42))
                .build());
    }

    /** Sends a message on the stream. */
    public void send(ExecutorMessage message) {
        out.onNext(message);
    }

    /**
     * Uploads a task's result as {@code executorId}, in one chunk, and waits for the answer.
     *
     * @return {@code OK} when the driver acknowledged it, else the status it refused it with
     */
    public Status upload(String executorId, long taskId, byte[] result) throws Exception {
        return upload(channels, address, List.of(ResultChunk.newBuilder().setExecutorId(executorId).setTaskId(taskId)
                .setData(ByteString.copyFrom(result)).build()));
    }

    /**
     * Sends these chunks on one {@code UploadResult} call to the driver at {@code address}, and waits
     * for the answer.
     *
     * @return {@code OK} when the driver acknowledged them, else the status it refused them with
     */
    public static Status upload(RpcChannels channels, String address, List<ResultChunk> chunks) throws Exception {
        CompletableFuture<Status> answer = new CompletableFuture<>();
        StreamObserver<ResultChunk> upload = DriverServiceGrpc.newStub(channels.channel(address))
                .uploadResult(new StreamObserver<Ack>() {
                    @Override
                    public void onNext(Ack ack) {
                    }

                    @Override
                    public void onError(Throwable t) {
                        answer.complete(Status.fromThrowable(t));
                    }

                    @Override
                    public void onCompleted() {
                        answer.complete(Status.OK);
                    }
                });
        chunks.forEach(upload::onNext);
        upload.onCompleted();
        return answer.get(10, TimeUnit.SECONDS);
    }

    public void heartbeat() {
        out.onNext(ExecutorMessage.newBuilder()
                .setHeartbeat(Heartbeat.newBuilder().setSentAtMillis(System.currentTimeMillis()))
                .build());
    }

    /** Breaks the stream as a crashed executor's connection would (cancel). */
    public void breakStream() {
        out.cancel("the testing executor breaks its stream", null);
    }

    /** Ends the stream from this side, as an executor that exits cleanly. */
    public void completeStream() {
        out.onCompleted();
    }

    /** The next message from the driver, waiting up to 10 s. */
    public DriverMessage next() throws InterruptedException {
        DriverMessage message = received.poll(10, TimeUnit.SECONDS);
        assertNotNull(message, "the driver sent nothing within 10 s");
        return message;
    }

    /** A message the driver sent, if any, without waiting. */
    public DriverMessage poll() {
        return received.poll();
    }

    /** How the driver ended the stream: OK for a completed stream, the error's status, else null (still open). */
    public Status endStatus() {
        return endStatus;
    }

    public boolean ended() {
        return endStatus != null;
    }

    @Override
    public void close() {
        ClientCallStreamObserver<ExecutorMessage> stream = out;
        if (stream != null && endStatus == null) {
            stream.cancel("test over", null);
        }
        channels.close();
    }
}
