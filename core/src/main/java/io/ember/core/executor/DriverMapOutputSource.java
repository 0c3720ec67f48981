package io.ember.core.executor;

import static java.util.Objects.requireNonNull;

import io.ember.core.rpc.Deadlines;
import io.ember.core.rpc.RpcErrors;
import io.ember.core.rpc.proto.DriverServiceGrpc;
import io.ember.core.rpc.proto.FetchMapOutputsRequest;
import io.ember.core.rpc.proto.MapOutputsChunk;
import io.ember.core.shuffle.MapOutputsRef;
import io.grpc.Channel;
import io.grpc.StatusRuntimeException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;

/**
 * Fetches the encoded map outputs of a running stage from the driver through
 * {@code DriverService.FetchMapOutputs}, chunk by chunk, within a deadline. Blocking, on the caller's
 * thread; a fetch that fails half-way cancels its call.
 */
final class DriverMapOutputSource implements DriverMapOutputs.Fetcher {

    private final Channel channel;
    private final String address;
    private final Duration timeout;

    /**
     * @param address the driver's {@code host:port}, for messages
     * @param timeout how long one fetch may take
     */
    DriverMapOutputSource(Channel channel, String address, Duration timeout) {
        this.channel = requireNonNull(channel, "channel is null");
        this.address = requireNonNull(address, "address is null");
        this.timeout = requireNonNull(timeout, "timeout is null");
    }

    @Override
    public byte[] fetch(MapOutputsRef ref) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            StreamedCalls.copy(() -> Deadlines.withTimeout(DriverServiceGrpc.newBlockingStub(channel), timeout)
                    .fetchMapOutputs(FetchMapOutputsRequest.newBuilder().setShuffleId(ref.shuffleId())
                            .setVersion(ref.version()).build()), MapOutputsChunk::getData, bytes);
            return bytes.toByteArray();
        } catch (StatusRuntimeException e) {
            throw new IOException(RpcErrors.describe("driver", address, e, timeout), e);
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e.toString(), e);
        }
    }

    @Override
    public String toString() {
        return "DriverMapOutputSource[" + address + "]";
    }
}
