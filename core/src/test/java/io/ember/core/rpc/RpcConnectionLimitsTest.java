package io.ember.core.rpc;

import static io.ember.core.testing.RawConnections.assertAdmitted;
import static io.ember.core.testing.RawConnections.assertClosed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import io.ember.core.rpc.proto.ClusterDescription;
import io.ember.core.rpc.proto.DescribeClusterRequest;
import io.ember.core.rpc.proto.MasterServiceGrpc;
import io.ember.core.testing.CapturedLog;
import io.ember.core.testing.Eventually;
import io.ember.core.testing.RawConnections;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An RPC server holds its connections to its {@link RpcLimits}: a real gRPC server on 127.0.0.1,
 * plain sockets that never speak HTTP/2, and real clients that must still be served.
 */
@Timeout(60)
final class RpcConnectionLimitsTest {

    private static final String SECRET = "the-secret-of-this-rpc-test";
    private static final Duration LONG = Duration.ofMinutes(5);

    private final RawConnections connections = new RawConnections();
    private final List<RpcChannels> clients = new ArrayList<>();
    private final CapturedLog log = CapturedLog.of(RpcServer.class);
    private RpcServer server;

    @AfterEach
    void cleanUp() throws IOException {
        log.close();
        connections.close();
        clients.forEach(RpcChannels::close);
        if (server != null) {
            server.close();
        }
    }

    @Test
    void refusesConnectionsBeyondItsLimitWithOneWarningLine() throws IOException {
        server = start(Optional.empty(), new RpcLimits(3, LONG, LONG));
        Socket first = connect();
        assertAdmitted(first);
        for (int i = 0; i < 2; i++) {
            assertAdmitted(connect());
        }
        for (int i = 0; i < 20; i++) {
            assertClosed(connect());
        }
        assertEquals(20, server.gate().counts().refused());
        assertEquals(3, server.gate().open());
        // the line is written on the server's event loop, right after it counted the connection
        Eventually.await("the warning " + "at its limit of 3 connections", () -> !warnings("at its limit of 3 connections").isEmpty());
        List<String> lines = warnings("at its limit of 3 connections");
        assertEquals(1, lines.size(), "one line for 20 refusals: " + lines);
        assertTrue(lines.get(0).contains("ember.rpc.maxConnections"), lines.get(0));

        first.close();
        Eventually.await("the server forgets a connection its client closed", () -> server.gate().open() == 2);
        assertEquals(TestingMasterService.CLUSTER, describe(client(Optional.empty())), "a client gets the freed place");
    }

    @Test
    void withASecretAClientThatAuthenticatesTakesThePlaceOfTheOldestThatDidNot() throws IOException {
        server = start(Optional.of(SECRET), new RpcLimits(3, LONG, LONG));
        RpcChannels first = client(Optional.of(SECRET));
        describe(first);
        Socket squatter = connect();
        assertAdmitted(squatter);
        Socket another = connect();
        assertAdmitted(another);
        assertEquals(3, server.gate().open(), "full: a client and two strangers");

        describe(client(Optional.of(SECRET)));
        assertClosed(squatter);
        assertEquals(1, server.gate().counts().evicted());
        assertEquals(0, server.gate().counts().refused());
        describe(first);
        assertEquals(3, server.gate().open());
    }

    @Test
    void closesAConnectionThatMakesNoAuthenticatedCallInTime() throws IOException {
        server = start(Optional.of(SECRET), new RpcLimits(10, Duration.ofMillis(500), LONG));
        Socket silent = connect();
        assertAdmitted(silent);
        RpcChannels impostor = client(Optional.of("not-the-secret-of-this-test"));
        assertThrows(StatusRuntimeException.class, () -> describe(impostor));

        assertClosed(silent);
        Eventually.await("the impostor's connection is closed too", () -> server.gate().counts().expired() == 2);
        // the line is written on the server's event loop, right after it counted the connection
        Eventually.await("the warning " + "made no authenticated call within 500 ms", () -> !warnings("made no authenticated call within 500 ms").isEmpty());
        List<String> lines = warnings("made no authenticated call within 500 ms");
        assertEquals(1, lines.size(), "one line for two: " + lines);
        assertTrue(lines.get(0).contains("ember.rpc.authTimeout"), lines.get(0));
        assertEquals(TestingMasterService.CLUSTER, describe(client(Optional.of(SECRET))));
    }

    @Test
    void closesAConnectionWithoutCallsAfterTheIdleTimeoutAndItsClientReconnects() throws IOException {
        server = start(Optional.empty(), new RpcLimits(10, LONG, Duration.ofSeconds(1)));
        Socket silent = connect();
        assertAdmitted(silent);
        RpcChannels client = client(Optional.empty());
        describe(client);
        assertEquals(2, server.gate().open());

        assertClosed(silent);
        Eventually.await("the client's idle connection is closed too", () -> server.gate().open() == 0);
        assertEquals(TestingMasterService.CLUSTER, describe(client), "the client connects again");
    }

    @Test
    void refusesACallWhoseMetadataIsLargerThanTheLimitAndServesOn() {
        server = start(Optional.empty(), RpcLimits.DEFAULTS);
        RpcChannels client = client(Optional.empty());
        Metadata large = new Metadata();
        large.put(Metadata.Key.of("x-padding", Metadata.ASCII_STRING_MARSHALLER), "x".repeat(
                RpcServer.MAX_METADATA_BYTES + 1));
        assertThrows(StatusRuntimeException.class, () -> MasterServiceGrpc.newBlockingStub(
                        client.channel(server.address()))
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(large))
                .withDeadlineAfter(10, TimeUnit.SECONDS)
                .describeCluster(DescribeClusterRequest.getDefaultInstance()));
        assertEquals(TestingMasterService.CLUSTER, describe(client));
    }

    private RpcServer start(Optional<String> secret, RpcLimits limits) {
        return RpcServer.start("test", "127.0.0.1", 0, List.of(new TestingMasterService()), secret, limits);
    }

    private RpcChannels client(Optional<String> secret) {
        RpcChannels channels = new RpcChannels("test-client", secret);
        clients.add(channels);
        return channels;
    }

    private ClusterDescription describe(RpcChannels client) {
        return MasterServiceGrpc.newBlockingStub(client.channel(server.address()))
                .withDeadlineAfter(10, TimeUnit.SECONDS)
                .describeCluster(DescribeClusterRequest.getDefaultInstance());
    }

    private Socket connect() throws IOException {
        return connections.connect(server.port());
    }

    /** The WARN lines so far that hold {@code containing}. */
    private List<String> warnings(String containing) {
        return log.messages(Level.WARN).stream().filter(line -> line.contains(containing)).toList();
    }
}
