package io.ember.core.rpc;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.ember.api.testkit.ManualClock;
import io.ember.core.rpc.proto.DescribeClusterRequest;
import io.ember.core.rpc.proto.MasterServiceGrpc;
import io.ember.core.testing.Eventually;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Someone else's protocol error on an RPC port: one line with their address, rate-limited, and the server goes on. */
final class ProtocolErrorsTest {

    private final Logger logger = (Logger) LoggerFactory.getLogger(ProtocolErrors.class);
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    private final ManualClock clock = new ManualClock();
    private RpcServer server;
    private RpcChannels channels;

    @BeforeEach
    void captureLog() {
        logged.start();
        logger.addAppender(logged);
    }

    @AfterEach
    void cleanUp() {
        logger.detachAppender(logged);
        if (channels != null) {
            channels.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void anHttp1RequestIsOneWarningNamingTheRemoteAndTheServerServesOn() throws Exception {
        server = RpcServer.start("master", "127.0.0.1", 0, List.of(new TestingMasterService()), Optional.empty(),
                clock);

        String local = sendHttp1Request();

        Eventually.await(() -> !logged.list.isEmpty(), "the protocol error was reported");
        ILoggingEvent line = logged.list.get(0);
        assertEquals(Level.WARN, line.getLevel());
        // Before the HTTP/2 preface gRPC tells no filter the remote address: the read marker does.
        assertEquals("Closed a connection from " + local + " to the master's RPC port: it broke the gRPC protocol "
                + "(Http2Exception: Unexpected HTTP/1.x request: GET /)", line.getFormattedMessage());
        assertEquals(null, line.getThrowableProxy(), "no stack trace for someone else's fault");
        assertFalse(java.util.logging.Logger.getLogger(ProtocolErrors.TRANSPORT_LOGGER).getUseParentHandlers(),
                "gRPC's own report with its stack trace reaches no other handler");

        channels = new RpcChannels("client", Optional.empty());
        assertEquals(TestingMasterService.CLUSTER, MasterServiceGrpc.newBlockingStub(channels.channel(server.address()))
                .describeCluster(DescribeClusterRequest.getDefaultInstance()));
    }

    @Test
    void atMostOneLineEveryTenSecondsWithACountOfTheRest() {
        ProtocolErrors errors = new ProtocolErrors("worker", clock);
        IllegalStateException failure = new IllegalStateException("bad frame\n  with detail");
        for (int i = 0; i < 5; i++) {
            errors.report(Optional.of("10.0.0.1:" + (1000 + i)), failure);
            clock.advance(Duration.ofSeconds(1));
        }
        clock.advance(ProtocolErrors.EVERY);
        errors.report(Optional.of("10.0.0.2:2000"), failure);

        assertEquals(List.of(
                "Closed a connection from 10.0.0.1:1000 to the worker's RPC port: it broke the gRPC protocol "
                        + "(IllegalStateException: bad frame)",
                "Closed a connection from 10.0.0.2:2000 to the worker's RPC port: it broke the gRPC protocol "
                        + "(IllegalStateException: bad frame); 4 more like it in the last 10s not shown"),
                logged.list.stream().map(ILoggingEvent::getFormattedMessage).toList());
    }

    /** Sends {@code GET /} over HTTP/1.1 and reads until the server closes the connection. */
    /** Sends an HTTP/1 request and reads until the server closes; returns the client's address, as host:port. */
    private String sendHttp1Request() throws IOException {
        try (Socket socket = new Socket(InetAddress.getByName("127.0.0.1"), server.port())) {
            String local = "127.0.0.1:" + socket.getLocalPort();
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(US_ASCII));
            InputStream in = socket.getInputStream();
            while (in.read() >= 0) {
                // drain until the server closes
            }
            return local;
        }
    }
}
