package io.ember.core.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.core.rpc.proto.MasterServiceGrpc;
import io.ember.core.rpc.proto.RequestTotalExecutorsRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

final class DeadlinesTest {

    private final TestingMasterService master = new TestingMasterService();
    private RpcServer server;
    private RpcChannels channels;

    @BeforeEach
    void start() {
        server = RpcServer.start("test", "127.0.0.1", 0, List.of(master), Optional.empty());
        channels = new RpcChannels("test-client", Optional.empty());
    }

    @AfterEach
    void cleanUp() {
        master.release();
        channels.close();
        server.close();
    }

    @Test
    void aCallThatDoesNotAnswerInTimeFailsWithDeadlineExceeded() {
        Duration timeout = Duration.ofMillis(300);
        var stub = Deadlines.withTimeout(MasterServiceGrpc.newBlockingStub(channels.channel(server.address())), timeout);
        StatusRuntimeException late = assertThrows(StatusRuntimeException.class,
                () -> stub.requestTotalExecutors(RequestTotalExecutorsRequest.newBuilder().setAppId("app-1").build()));
        assertEquals(Status.Code.DEADLINE_EXCEEDED, late.getStatus().getCode());

        assertEquals("master at " + server.address() + " did not answer within 300ms",
                RpcErrors.describe("master", server.address(), late, timeout));
        String fromGrpc = RpcErrors.describe("master", server.address(), late);
        assertTrue(fromGrpc.matches("master at \\S+ did not answer within \\d+(\\.\\d)?m?s"), fromGrpc);
    }

    @Test
    void refusesANonPositiveTimeout() {
        var stub = MasterServiceGrpc.newBlockingStub(channels.channel(server.address()));
        assertThrows(IllegalArgumentException.class, () -> Deadlines.withTimeout(stub, Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> Deadlines.withTimeout(stub, Duration.ofSeconds(-1)));
    }

    @Test
    void acceptsAnEnormousTimeout() {
        var stub = MasterServiceGrpc.newBlockingStub(channels.channel(server.address()));
        assertTrue(Deadlines.withTimeout(stub, Duration.ofDays(365_000_000)).getCallOptions().getDeadline() != null);
    }
}
