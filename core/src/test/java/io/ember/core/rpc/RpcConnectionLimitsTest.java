package io.ember.core.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.ember.core.rpc.proto.ClusterDescription;
import io.ember.core.rpc.proto.DescribeClusterRequest;
import io.ember.core.rpc.proto.MasterServiceGrpc;
import io.ember.core.testing.Eventually;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/**
 * An RPC server holds its connections to its {@link RpcLimits}: a real gRPC server on 127.0.0.1,
 * plain sockets that never speak HTTP/2, and real clients that must still be served.
 */
@Timeout(60)
final class RpcConnectionLimitsTest {

    private static final String SECRET = "the-secret-of-this-rpc-test";
    private static final Duration LONG = Duration.ofMinutes(5);

    private final List<Socket> sockets = new ArrayList<>();
    private final List<RpcChannels> clients = new ArrayList<>();
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger serverLogger = (Logger) LoggerFactory.getLogger(RpcServer.class);
    private RpcServer server;

    @BeforeEach
    void captureTheServersLog() {
        log.start();
        serverLogger.addAppender(log);
    }

    @AfterEach
    void cleanUp() throws IOException {
        serverLogger.detachAppender(log);
        for (Socket socket : sockets) {
            socket.close();
        }
        clients.forEach(RpcChannels::close);
        if (server != null) {
            server.close();
        }
    }

    @Test
    void refusesConnectionsBeyondItsLimitWithOneWarningLine() throws IOException {
        server = start(Optional.empty(), new RpcLimits(3, LONG, LONG));
        for (int i = 0; i < 3; i++) {
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

        sockets.get(0).close();
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
        Socket socket = new Socket();
        sockets.add(socket);
        socket.connect(new InetSocketAddress("127.0.0.1", server.port()));
        socket.setSoTimeout(20_000);   // a server that never closes fails the test instead of hanging it
        return socket;
    }

    /** An admitted connection hears the server's HTTP/2 settings frame. */
    private static void assertAdmitted(Socket socket) throws IOException {
        assertTrue(socket.getInputStream().read() >= 0, "the server greeted the connection");
    }

    /** Reads until the server closes the connection. */
    private static void assertClosed(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        try {
            while (in.read() >= 0) {
                // what the server sent before closing (its settings, a GOAWAY)
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server kept the connection open", e);
        } catch (IOException reset) {
            // a reset is a close too
        }
    }

    /** The WARN lines so far that hold {@code containing}; the appender adds under its own lock. */
    private List<String> warnings(String containing) {
        List<ILoggingEvent> events;
        synchronized (log) {
            events = List.copyOf(log.list);
        }
        return events.stream().filter(e -> e.getLevel() == Level.WARN).map(ILoggingEvent::getFormattedMessage)
                .filter(line -> line.contains(containing)).toList();
    }
}
