package io.ember.core.driver.endpoint;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.ByteString;
import io.ember.core.rpc.proto.FetchMapOutputsRequest;
import io.ember.core.rpc.proto.MapOutputsChunk;
import io.ember.core.shuffle.MapOutputSnapshots;
import io.ember.core.shuffle.MapOutputsRef;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.Optional;

/**
 * Serves the map outputs running stages read ({@code FetchMapOutputs}) from the driver's
 * {@link MapOutputSnapshots}, in chunks of 256 KiB.
 *
 * <p>Threading: thread-safe; each fetch runs on the calling RPC thread.
 */
final class MapOutputServer {

    private static final int CHUNK_BYTES = 256 * 1024;

    private final MapOutputSnapshots snapshots;

    MapOutputServer(MapOutputSnapshots snapshots) {
        this.snapshots = requireNonNull(snapshots, "snapshots is null");
    }

    /** Streams the encoded statuses, or ends with {@code NOT_FOUND} when no running stage reads them. */
    void serve(FetchMapOutputsRequest request, StreamObserver<MapOutputsChunk> response) {
        MapOutputsRef ref = new MapOutputsRef(request.getShuffleId(), request.getVersion());
        Optional<byte[]> encoded = snapshots.encoded(ref);
        if (encoded.isEmpty()) {
            response.onError(Status.NOT_FOUND.withDescription("this driver serves no " + ref
                    + ": no running stage reads it").asRuntimeException());
            return;
        }
        byte[] bytes = encoded.get();
        for (int offset = 0; offset < bytes.length; offset += CHUNK_BYTES) {
            response.onNext(MapOutputsChunk.newBuilder()
                    .setData(ByteString.copyFrom(bytes, offset, Math.min(CHUNK_BYTES, bytes.length - offset))).build());
        }
        response.onCompleted();
    }
}
