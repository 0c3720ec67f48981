package io.ember.core.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ember.core.rpc.proto.DescribeClusterRequest;
import io.ember.core.rpc.proto.MasterServiceGrpc;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

final class RpcErrorsTest {

    private static final String ADDRESS = "127.0.0.1:7077";

    private final RpcChannels channels = new RpcChannels("test-client", Optional.empty());

    @AfterEach
    void cleanUp() {
        channels.close();
    }

    @Test
    void saysConnectionRefusedForAPortNobodyListensOn() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = socket.getLocalPort();
        }
        String address = "127.0.0.1:" + port;
        StatusRuntimeException failure = assertThrows(StatusRuntimeException.class,
                () -> Deadlines.withTimeout(MasterServiceGrpc.newBlockingStub(channels.channel(address)), Duration.ofSeconds(10))
                        .describeCluster(DescribeClusterRequest.getDefaultInstance()));
        assertEquals("master at " + address + " is unreachable (connection refused)",
                RpcErrors.describe("master", address, failure));
    }

    @Test
    void saysConnectionRefusedForAPlainConnectException() {
        assertEquals("master at 127.0.0.1:7077 is unreachable (connection refused)",
                RpcErrors.describe("master", ADDRESS, new ConnectException("Connection refused")));
    }

    @Test
    void pointsAtTheSecretWhenNotAuthenticated() {
        assertEquals("master at 127.0.0.1:7077 refused the call: not authenticated (check ember.auth.secret)",
                describe("master", Status.UNAUTHENTICATED.withDescription("not authenticated")));
    }

    @Test
    void passesAStaleEpochOn() {
        EpochFence fence = new EpochFence();
        fence.observe(4);
        StatusRuntimeException stale = assertThrows(StatusRuntimeException.class, () -> fence.check(3));
        assertEquals("worker at 10.0.0.5:7078 refused the call: stale leader epoch 3; newest seen is 4",
                RpcErrors.describe("worker", "10.0.0.5:7078", stale));
    }

    @Test
    void namesTheTimeoutOfADeadline() {
        StatusRuntimeException late = Status.DEADLINE_EXCEEDED
                .withDescription("deadline exceeded after 9.998765432s. [closed=[], open=[[remote_addr=/127.0.0.1:7077]]]")
                .asRuntimeException();
        assertEquals("master at 127.0.0.1:7077 did not answer within 10s", RpcErrors.describe("master", ADDRESS, late));
        assertEquals("master at 127.0.0.1:7077 did not answer within 10s",
                RpcErrors.describe("master", ADDRESS, late, Duration.ofSeconds(10)));
        assertEquals("master at 127.0.0.1:7077 did not answer within the deadline",
                describe("master", Status.DEADLINE_EXCEEDED));
    }

    @Test
    void saysAStandbyIsUnavailableAndWhy() {
        assertEquals("master at 127.0.0.1:7077 is unavailable: not the leader",
                describe("master", Status.UNAVAILABLE.withDescription("not the leader")));
    }

    @Test
    void keepsAServerFailureOnOneLine() {
        assertEquals("driver at 127.0.0.1:7077 failed on its side: boom at line 2",
                describe("driver", Status.INTERNAL.withDescription("Boom\n  at line 2")));
        assertEquals("driver at 127.0.0.1:7077 refused the call: message too large",
                describe("driver", Status.RESOURCE_EXHAUSTED.withDescription("message too large")));
        assertEquals("driver at 127.0.0.1:7077 refused the call: not_found",
                describe("driver", Status.NOT_FOUND));
    }

    @Test
    void namesAGivenTimeoutAsItIsConfigured() {
        StatusRuntimeException late = Status.DEADLINE_EXCEEDED
                .withDescription("deadline exceeded after 1.500123456s").asRuntimeException();
        assertEquals("master at 127.0.0.1:7077 did not answer within 1500ms",
                RpcErrors.describe("master", ADDRESS, late, Duration.ofMillis(1_500)));
        assertEquals("master at 127.0.0.1:7077 did not answer within 2m",
                RpcErrors.describe("master", ADDRESS, late, Duration.ofMinutes(2)));
    }

    @Test
    void roundsTheTimeGrpcReports() {
        assertEquals("master at 127.0.0.1:7077 did not answer within 100ms",
                describe("master", Status.DEADLINE_EXCEEDED.withDescription("deadline exceeded after 0.099800000s")));
        assertEquals("master at 127.0.0.1:7077 did not answer within 1.5s",
                describe("master", Status.DEADLINE_EXCEEDED.withDescription("deadline exceeded after 1.520000000s")));
        assertEquals("master at 127.0.0.1:7077 did not answer within 2m",
                describe("master", Status.DEADLINE_EXCEEDED.withDescription("deadline exceeded after 119.960000000s")));
    }

    private static String describe(String what, Status status) {
        return RpcErrors.describe(what, ADDRESS, status.asRuntimeException());
    }
}
