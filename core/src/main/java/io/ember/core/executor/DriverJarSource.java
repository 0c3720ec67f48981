package io.ember.core.executor;

import static java.util.Objects.requireNonNull;

import io.ember.core.rpc.Deadlines;
import io.ember.core.rpc.RpcErrors;
import io.ember.core.rpc.proto.DriverServiceGrpc;
import io.ember.core.rpc.proto.FetchJarRequest;
import io.ember.core.rpc.proto.JarChunk;
import io.grpc.Channel;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;

/**
 * Fetches an application JAR from the driver through {@code DriverService.FetchJar}, chunk by
 * chunk, within a deadline. Blocking, on the caller's thread; a fetch that fails half-way cancels
 * its call.
 */
final class DriverJarSource implements ApplicationJars.JarSource {

    private final Channel channel;
    private final String address;
    private final Duration timeout;

    /**
     * @param address the driver's {@code host:port}, for messages
     * @param timeout how long one JAR may take
     */
    DriverJarSource(Channel channel, String address, Duration timeout) {
        this.channel = requireNonNull(channel, "channel is null");
        this.address = requireNonNull(address, "address is null");
        this.timeout = requireNonNull(timeout, "timeout is null");
    }

    @Override
    public void fetch(String name, OutputStream out) throws IOException {
        try {
            StreamedCalls.copy(() -> Deadlines.withTimeout(DriverServiceGrpc.newBlockingStub(channel), timeout)
                    .fetchJar(FetchJarRequest.newBuilder().setName(name).build()), JarChunk::getData, out);
        } catch (StatusRuntimeException e) {
            throw new IOException("could not fetch application JAR " + name + ": "
                    + RpcErrors.describe("driver", address, e, timeout), e);
        } catch (IOException e) {
            throw new IOException("could not write application JAR " + name + ": " + e.getMessage(), e);
        } catch (Exception e) {
            throw new IOException("could not fetch application JAR " + name + ": " + e, e);
        }
    }

    @Override
    public String toString() {
        return "DriverJarSource[" + address + "]";
    }
}
