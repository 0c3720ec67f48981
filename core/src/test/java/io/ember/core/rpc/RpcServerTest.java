package io.ember.core.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.core.rpc.proto.DescribeClusterRequest;
import io.ember.core.rpc.proto.MasterServiceGrpc;
import io.ember.core.rpc.proto.RequestTotalExecutorsRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

final class RpcServerTest {

    private final TestingMasterService master = new TestingMasterService();
    private RpcServer server;
    private RpcChannels channels;

    @AfterEach
    void cleanUp() {
        if (channels != null) {
            channels.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void listensOnAFreePortWhenAskedForPortZero() {
        server = RpcServer.start("test", "127.0.0.1", 0, List.of(master), Optional.empty());
        assertTrue(server.port() > 0, "port " + server.port());
        assertEquals("127.0.0.1:" + server.port(), server.address());
    }

    @Test
    void runsHandlersOnItsOwnNamedDaemonThreads() {
        server = RpcServer.start("unit", "127.0.0.1", 0, List.of(master), Optional.empty());
        channels = new RpcChannels("test-client", Optional.empty());
        MasterServiceGrpc.newBlockingStub(channels.channel(server.address()))
                .describeCluster(DescribeClusterRequest.getDefaultInstance());
        assertEquals(1, master.handlerThreads.size());
        assertTrue(master.handlerThreads.iterator().next().matches("ember-rpc-unit-\\d+"), master.handlerThreads.toString());
    }

    @Test
    void reportsAPortInUseInOneLine() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            UncheckedIOException refused = assertThrows(UncheckedIOException.class,
                    () -> RpcServer.start("test", "127.0.0.1", taken.getLocalPort(), List.of(master), Optional.empty()));
            assertEquals("cannot listen on 127.0.0.1:" + taken.getLocalPort() + ": address already in use",
                    refused.getMessage());
        }
    }

    @Test
    void reportsAPortTakenByAnotherServerInOneLine() {
        server = RpcServer.start("first", "127.0.0.1", 0, List.of(master), Optional.empty());
        UncheckedIOException refused = assertThrows(UncheckedIOException.class,
                () -> RpcServer.start("second", "127.0.0.1", server.port(), List.of(master), Optional.empty()));
        assertEquals("cannot listen on " + server.address() + ": address already in use", refused.getMessage());
    }

    @Test
    void closeIsIdempotentAndStopsServing() {
        server = RpcServer.start("test", "127.0.0.1", 0, List.of(master), Optional.empty());
        channels = new RpcChannels("test-client", Optional.empty());
        String address = server.address();
        server.close();
        server.close();
        StatusRuntimeException refused = assertThrows(StatusRuntimeException.class,
                () -> Deadlines.withTimeout(MasterServiceGrpc.newBlockingStub(channels.channel(address)),
                        Duration.ofSeconds(5)).describeCluster(DescribeClusterRequest.getDefaultInstance()));
        assertEquals(Status.Code.UNAVAILABLE, refused.getStatus().getCode());
        assertTrue(server.toString().contains("closed"), server.toString());
    }

    @Test
    void closeCancelsCallsStillRunningAfterTheGrace() throws Exception {
        server = RpcServer.start("test", "127.0.0.1", 0, List.of(master), Optional.empty());
        channels = new RpcChannels("test-client", Optional.empty());
        var future = MasterServiceGrpc.newFutureStub(channels.channel(server.address()))
                .requestTotalExecutors(RequestTotalExecutorsRequest.getDefaultInstance());
        master.blockedCallEntered.await();
        server.close(Duration.ofMillis(100));
        master.release();
        var failure = assertThrows(ExecutionException.class,
                () -> future.get(10, TimeUnit.SECONDS));
        assertFalse(Status.fromThrowable(failure.getCause()).isOk());
    }

    @Test
    void refusesBadArguments() {
        assertThrows(IllegalArgumentException.class,
                () -> RpcServer.start("test", "127.0.0.1", 70_000, List.of(master), Optional.empty()));
        assertThrows(IllegalArgumentException.class,
                () -> RpcServer.start(" ", "127.0.0.1", 0, List.of(master), Optional.empty()));
        assertThrows(IllegalArgumentException.class,
                () -> RpcServer.start("test", "127.0.0.1", 0, List.of(master), Optional.of("")));
    }
}
