package io.ember.core.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.ember.api.testkit.ManualClock;
import io.ember.core.rpc.proto.ClusterDescription;
import io.ember.core.rpc.proto.DescribeClusterRequest;
import io.ember.core.rpc.proto.DriverMessage;
import io.ember.core.rpc.proto.DriverServiceGrpc;
import io.ember.core.rpc.proto.ExecutorMessage;
import io.ember.core.rpc.proto.MasterServiceGrpc;
import io.ember.core.rpc.proto.MasterServiceGrpc.MasterServiceBlockingStub;
import io.ember.core.rpc.proto.RegisterExecutor;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Authentication over real sockets: a real server with the fake master and driver, real clients. */
final class RpcAuthenticationTest {

    private static final String SECRET = "the-cluster-secret-0123";
    private static final String DESCRIBE = MasterServiceGrpc.getDescribeClusterMethod().getFullMethodName();

    private final ManualClock serverClock = new ManualClock(Instant.now());
    private final Logger interceptorLog = (Logger) LoggerFactory.getLogger(ServerAuthInterceptor.class);
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    private RpcServer server;
    private RpcChannels authenticated;
    private RpcChannels anonymous;

    @BeforeEach
    void captureLog() {
        logged.start();
        interceptorLog.addAppender(logged);
    }

    @AfterEach
    void cleanUp() {
        interceptorLog.detachAppender(logged);
        if (authenticated != null) {
            authenticated.close();
        }
        if (anonymous != null) {
            anonymous.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void callsWorkWithoutSecret() {
        server = start(Optional.empty());
        anonymous = new RpcChannels("test-anonymous", Optional.empty());
        assertEquals(TestingMasterService.CLUSTER, describe(anonymous));
    }

    @Test
    void serverWithoutSecretIgnoresTheHeader() {
        server = start(Optional.empty());
        authenticated = new RpcChannels("test-auth", Optional.of(SECRET));
        assertEquals(TestingMasterService.CLUSTER, describe(authenticated));
    }

    @Test
    void callsWorkWithTheRightSecret() {
        startSecured();
        for (int i = 0; i < 3; i++) {
            assertEquals(TestingMasterService.CLUSTER, describe(authenticated));
        }
        assertTrue(logged.list.isEmpty(), logged.list.toString());
    }

    @Test
    void refusesCallWithoutHeader() {
        startSecured();
        assertRefused(() -> describe(anonymous));
        assertServerUnharmed();
    }

    @Test
    void refusesCallWithWrongSecret() {
        startSecured();
        try (RpcChannels wrong = new RpcChannels("test-wrong", Optional.of("not-the-cluster-secret"))) {
            assertRefused(() -> describe(wrong));
        }
        assertServerUnharmed();
    }

    @Test
    void refusesCallWithMalformedHeader() {
        startSecured();
        for (String header : List.of("v1:garbage", "v1:1:2:3", "", "v9:" + "0".repeat(60), "x".repeat(1000))) {
            assertRefused(() -> describeWithHeader(header));
            assertServerUnharmed();
        }
    }

    @Test
    void refusesReplayedHeader() {
        startSecured();
        String token = new AuthToken(SECRET).create(DESCRIBE);
        assertEquals(TestingMasterService.CLUSTER, describeWithHeader(token));
        assertRefused(() -> describeWithHeader(token));
        assertServerUnharmed();
    }

    @Test
    void refusesHeaderTimestampedOutsideTheWindow() {
        startSecured();
        Clock late = Clock.offset(serverClock, AuthToken.WINDOW.plusSeconds(1).negated());
        Clock early = Clock.offset(serverClock, AuthToken.WINDOW.plusSeconds(1));
        assertRefused(() -> describeWithHeader(new AuthToken(SECRET, late).create(DESCRIBE)));
        assertRefused(() -> describeWithHeader(new AuthToken(SECRET, early).create(DESCRIBE)));
        assertServerUnharmed();
    }

    @Test
    void refusesHeaderMadeForAnotherMethod() {
        startSecured();
        String token = new AuthToken(SECRET).create(MasterServiceGrpc.getKillExecutorsMethod().getFullMethodName());
        assertRefused(() -> describeWithHeader(token));
        assertServerUnharmed();
    }

    @Test
    void refusesStreamWithoutSecretAndAcceptsItWithTheSecret() throws Exception {
        startSecured();

        CompletableFuture<DriverMessage> refused = new CompletableFuture<>();
        StreamObserver<ExecutorMessage> toDriver = DriverServiceGrpc.newStub(anonymous.channel(server.address()))
                .connect(firstMessageInto(refused));
        toDriver.onNext(registration());
        ExecutionException failure = assertThrows(ExecutionException.class, () -> refused.get(10, TimeUnit.SECONDS));
        assertEquals(Status.Code.UNAUTHENTICATED, Status.fromThrowable(failure.getCause()).getCode());

        CompletableFuture<DriverMessage> accepted = new CompletableFuture<>();
        toDriver = DriverServiceGrpc.newStub(authenticated.channel(server.address())).connect(firstMessageInto(accepted));
        toDriver.onNext(registration());
        DriverMessage reply = accepted.get(10, TimeUnit.SECONDS);
        toDriver.onCompleted();
        assertEquals("app-1", reply.getRegistered().getAppId());
    }

    @Test
    void logsRefusalsAsOneWarnLineWithoutStackTraceAtMostOncePerInterval() {
        startSecured();
        for (int i = 0; i < 20; i++) {
            assertRefused(() -> describe(anonymous));
        }
        assertEquals(1, logged.list.size(), logged.list.toString());
        ILoggingEvent line = logged.list.get(0);
        assertEquals(Level.WARN, line.getLevel());
        assertNull(line.getThrowableProxy());
        String message = line.getFormattedMessage();
        assertTrue(message.contains(DESCRIBE), message);
        assertTrue(message.contains("from 127.0.0.1:"), message);
        assertTrue(message.contains("no ember-auth header"), message);
        assertFalse(message.contains("\n"), message);

        serverClock.advance(ServerAuthInterceptor.LOG_INTERVAL);
        assertRefused(() -> describe(anonymous));
        assertEquals(2, logged.list.size(), logged.list.toString());
        assertTrue(logged.list.get(1).getFormattedMessage().contains("(19 more refused calls not logged"),
                logged.list.get(1).getFormattedMessage());
    }

    @Test
    void logsTheReasonButTellsTheCallerNothingMore() {
        startSecured();
        try (RpcChannels wrong = new RpcChannels("test-wrong", Optional.of("not-the-cluster-secret"))) {
            StatusRuntimeException refused = assertThrows(StatusRuntimeException.class, () -> describe(wrong));
            assertEquals("not authenticated", refused.getStatus().getDescription());
        }
        assertTrue(logged.list.get(0).getFormattedMessage().contains("wrong MAC"), logged.list.toString());
        assertFalse(logged.list.get(0).getFormattedMessage().contains(SECRET));
    }

    private RpcServer start(Optional<String> secret) {
        return RpcServer.start("test", "127.0.0.1", 0, List.of(new TestingMasterService(), new TestingDriverService()),
                secret, serverClock);
    }

    private void startSecured() {
        server = start(Optional.of(SECRET));
        authenticated = new RpcChannels("test-auth", Optional.of(SECRET));
        anonymous = new RpcChannels("test-anonymous", Optional.empty());
    }

    private ClusterDescription describe(RpcChannels channels) {
        return stub(channels).describeCluster(DescribeClusterRequest.getDefaultInstance());
    }

    private ClusterDescription describeWithHeader(String header) {
        Metadata headers = new Metadata();
        headers.put(AuthToken.HEADER, header);
        return stub(anonymous).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                .describeCluster(DescribeClusterRequest.getDefaultInstance());
    }

    private MasterServiceBlockingStub stub(RpcChannels channels) {
        return Deadlines.withTimeout(MasterServiceGrpc.newBlockingStub(channels.channel(server.address())),
                Duration.ofSeconds(10));
    }

    private static void assertRefused(Runnable call) {
        StatusRuntimeException refused = assertThrows(StatusRuntimeException.class, call::run);
        assertEquals(Status.Code.UNAUTHENTICATED, refused.getStatus().getCode(), refused.toString());
        assertEquals(ServerAuthInterceptor.DESCRIPTION, refused.getStatus().getDescription());
    }

    private void assertServerUnharmed() {
        assertEquals(TestingMasterService.CLUSTER, describe(authenticated));
    }

    private static ExecutorMessage registration() {
        return ExecutorMessage.newBuilder()
                .setRegister(RegisterExecutor.newBuilder().setExecutorId("1").setWorkerId("worker-1").setCores(2))
                .build();
    }

    private static StreamObserver<DriverMessage> firstMessageInto(CompletableFuture<DriverMessage> first) {
        return new StreamObserver<>() {
            @Override
            public void onNext(DriverMessage message) {
                first.complete(message);
            }

            @Override
            public void onError(Throwable t) {
                first.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
                first.completeExceptionally(new IllegalStateException("stream ended without a message"));
            }
        };
    }
}
