package io.ember.core.driver.endpoint;

import com.google.protobuf.ByteString;
import io.ember.core.rpc.proto.FetchJarRequest;
import io.ember.core.rpc.proto.JarChunk;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the application's JARs to executors ({@code FetchJar}), in chunks of 256 KiB, by name.
 *
 * <p>Threading: thread-safe (immutable); each fetch runs on the calling RPC thread.
 */
final class JarServer {

    /** Logged as the driver endpoint's, as before the endpoint was split. */
    private static final Logger LOG = LoggerFactory.getLogger(DriverEndpoint.class);
    private static final int JAR_CHUNK_BYTES = 256 * 1024;

    private final Map<String, ServedJar> jars;

    JarServer(List<ServedJar> jars) {
        Map<String, ServedJar> byName = new LinkedHashMap<>();
        jars.forEach(jar -> byName.put(jar.name(), jar));
        this.jars = Map.copyOf(byName);
    }

    /** Streams the named JAR in chunks, or ends with {@code NOT_FOUND} / {@code UNAVAILABLE}. */
    void serve(FetchJarRequest request, StreamObserver<JarChunk> response) {
        ServedJar jar = jars.get(request.getName());
        if (jar == null) {
            response.onError(Status.NOT_FOUND.withDescription("this driver serves no JAR called '"
                    + request.getName() + "'").asRuntimeException());
            return;
        }
        try (InputStream in = Files.newInputStream(jar.path())) {
            byte[] buffer = new byte[JAR_CHUNK_BYTES];
            int read;
            while ((read = in.readNBytes(buffer, 0, buffer.length)) > 0) {
                response.onNext(JarChunk.newBuilder().setData(ByteString.copyFrom(buffer, 0, read)).build());
            }
            response.onCompleted();
        } catch (IOException e) {
            LOG.warn("Cannot serve application JAR {} to an executor: {}", jar.path(), e.toString());
            response.onError(Status.UNAVAILABLE.withDescription("the driver cannot read JAR " + jar.name())
                    .asRuntimeException());
        }
    }
}
