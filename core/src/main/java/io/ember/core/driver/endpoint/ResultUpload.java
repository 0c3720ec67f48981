package io.ember.core.driver.endpoint;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.ByteString;
import io.ember.core.rpc.proto.Ack;
import io.ember.core.rpc.proto.ResultChunk;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.function.Predicate;

/**
 * One result upload: the chunks of one task's result, from a registered executor, put together and
 * handed to that executor's {@link ExecutorWire}, which keeps it for the task's outcome. Refused
 * (the stream ends with an error status) when the sender is not registered, the result is larger
 * than {@code ember.driver.maxResultSize}, or the wire does not take it.
 *
 * <p>Threading: one upload's callbacks arrive one at a time on the RPC server's pool.
 */
final class ResultUpload implements StreamObserver<ResultChunk> {

    /** Takes a whole uploaded result. */
    interface Sink {

        /** @return {@code null} when accepted, else why it was refused */
        String resultUploaded(String executorId, long taskId, byte[] result);
    }

    private final StreamObserver<Ack> response;
    private final long maxUploadBytes;
    private final Predicate<String> registered;
    private final Sink sink;
    private ByteString bytes = ByteString.EMPTY;
    private String executorId;
    private long taskId;
    private boolean refused;

    /**
     * @param maxUploadBytes the largest result accepted ({@code ember.driver.maxResultSize})
     * @param registered whether an executor id is registered now
     */
    ResultUpload(StreamObserver<Ack> response, long maxUploadBytes, Predicate<String> registered, Sink sink) {
        this.response = requireNonNull(response, "response is null");
        this.maxUploadBytes = maxUploadBytes;
        this.registered = requireNonNull(registered, "registered is null");
        this.sink = requireNonNull(sink, "sink is null");
    }

    @Override
    public void onNext(ResultChunk chunk) {
        if (refused) {
            return;
        }
        if (executorId == null) {
            executorId = chunk.getExecutorId();
            taskId = chunk.getTaskId();
            if (executorId.isEmpty() || !registered.test(executorId)) {
                refuse(Status.FAILED_PRECONDITION.withDescription("results are accepted only from registered "
                        + "executors; '" + executorId + "' is not one"));
                return;
            }
        }
        if (bytes.size() + (long) chunk.getData().size() > maxUploadBytes) {
            refuse(Status.RESOURCE_EXHAUSTED.withDescription("the result of task " + taskId + " exceeds "
                    + "ember.driver.maxResultSize (" + maxUploadBytes + " bytes)"));
            return;
        }
        bytes = bytes.concat(chunk.getData());
    }

    private void refuse(Status status) {
        refused = true;
        bytes = ByteString.EMPTY;
        response.onError(status.asRuntimeException());
    }

    @Override
    public void onError(Throwable t) {
        refused = true;
    }

    @Override
    public void onCompleted() {
        if (refused) {
            return;
        }
        if (executorId == null) {
            response.onError(Status.INVALID_ARGUMENT.withDescription("an upload without chunks").asRuntimeException());
            return;
        }
        String refusal = sink.resultUploaded(executorId, taskId, bytes.toByteArray());
        if (refusal != null) {
            response.onError(Status.FAILED_PRECONDITION.withDescription(refusal).asRuntimeException());
        } else {
            response.onNext(Ack.getDefaultInstance());
            response.onCompleted();
        }
    }
}
