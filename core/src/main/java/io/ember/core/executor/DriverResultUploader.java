package io.ember.core.executor;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.UnsafeByteOperations;
import io.ember.api.config.Durations;
import io.ember.core.rpc.RpcErrors;
import io.ember.core.rpc.proto.Ack;
import io.ember.core.rpc.proto.DriverServiceGrpc;
import io.ember.core.rpc.proto.ResultChunk;
import io.grpc.Channel;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Uploads a large task result to the driver through {@code DriverService.UploadResult}: chunks of
 * {@value #CHUNK_BYTES} bytes (the first naming the executor and the task), sent as the transport
 * is ready for them (so a large result is not copied into the transport's buffers all at once),
 * then waits for the driver's {@code Ack}. The call has a deadline that grows with the result's size.
 *
 * <p>Thread-safe; {@link #upload} blocks its caller (a task thread) and gives up, cancelling the
 * call, when that thread is interrupted.
 */
final class DriverResultUploader implements TaskExecutor.ResultUploader {

    static final int CHUNK_BYTES = 1 << 20;
    /** The deadline of an upload: this much, plus {@link #TIME_PER_MIB} for every MiB. */
    static final Duration BASE_TIMEOUT = Duration.ofSeconds(30);
    static final Duration TIME_PER_MIB = Duration.ofMillis(500);

    private final Channel channel;
    private final String address;
    private final String executorId;

    /**
     * @param channel the channel to the driver
     * @param address the driver's {@code host:port}, for messages
     * @param executorId this executor, named in each upload's first chunk
     */
    DriverResultUploader(Channel channel, String address, String executorId) {
        this.channel = requireNonNull(channel, "channel is null");
        this.address = requireNonNull(address, "address is null");
        this.executorId = requireNonNull(executorId, "executorId is null");
    }

    @Override
    public void upload(long taskId, byte[] result) throws Exception {
        requireNonNull(result, "result is null");
        Duration timeout = BASE_TIMEOUT.plus(TIME_PER_MIB.multipliedBy(result.length / CHUNK_BYTES + 1));
        Upload upload = new Upload(taskId, result);
        DriverServiceGrpc.newStub(channel)
                .withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS)
                .uploadResult(upload);
        try {
            // The call's own deadline ends it; the margin only guards against a call that never ends.
            upload.acked.get(timeout.toMillis() + 5_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            upload.cancel("the task was interrupted");
            throw e;
        } catch (ExecutionException e) {
            throw new IOException("could not upload the result of task " + taskId + " (" + result.length
                    + " bytes): " + RpcErrors.describe("driver", address, e.getCause(), timeout), e.getCause());
        } catch (TimeoutException e) {
            upload.cancel("no answer");
            throw new IOException("could not upload the result of task " + taskId + " (" + result.length
                    + " bytes): the driver at " + address + " did not answer within " + Durations.format(timeout));
        }
    }

    @Override
    public String toString() {
        return "DriverResultUploader[" + address + "]";
    }

    /** One upload: sends its chunks whenever the call is ready for more. */
    private final class Upload implements ClientResponseObserver<ResultChunk, Ack> {

        final CompletableFuture<Void> acked = new CompletableFuture<>();
        private final long taskId;
        private final byte[] result;
        /** Guarded by this. */
        private ClientCallStreamObserver<ResultChunk> requests;
        /** Guarded by this: the next byte to send; -1 once completed. */
        private int offset;

        Upload(long taskId, byte[] result) {
            this.taskId = taskId;
            this.result = result;
        }

        @Override
        public synchronized void beforeStart(ClientCallStreamObserver<ResultChunk> requestStream) {
            this.requests = requestStream;
            requestStream.setOnReadyHandler(this::sendWhileReady);
        }

        private synchronized void sendWhileReady() {
            while (offset >= 0 && requests.isReady()) {
                int length = Math.min(CHUNK_BYTES, result.length - offset);
                ResultChunk.Builder chunk = ResultChunk.newBuilder()
                        .setData(UnsafeByteOperations.unsafeWrap(result, offset, length));
                if (offset == 0) {
                    chunk.setExecutorId(executorId).setTaskId(taskId);
                }
                requests.onNext(chunk.build());
                offset += length;
                if (offset >= result.length) {
                    offset = -1;
                    requests.onCompleted();
                }
            }
        }

        synchronized void cancel(String why) {
            if (requests != null) {
                requests.cancel(why, null);
            }
        }

        @Override
        public void onNext(Ack ack) {
        }

        @Override
        public void onError(Throwable t) {
            acked.completeExceptionally(t);
        }

        @Override
        public void onCompleted() {
            acked.complete(null);
        }
    }
}
