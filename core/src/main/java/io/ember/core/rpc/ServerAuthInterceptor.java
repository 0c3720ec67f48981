package io.ember.core.rpc;

import static java.util.Objects.requireNonNull;

import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refuses every call that does not carry a valid {@link AuthToken} (see there for the scheme) with
 * {@link Status#UNAUTHENTICATED} and the description {@value #DESCRIPTION}, whatever the reason.
 * {@link RpcServer} installs it when {@code ember.auth.secret} is set. Streams are checked once,
 * when they start.
 *
 * <p>A refusal is logged at WARN as one line naming the caller's address, the method and the
 * reason, without a stack trace; at most one line per {@link #LOG_INTERVAL}, the next line counting
 * the refusals left out, so a flood of bad calls cannot flood the log.
 *
 * <p>Thread-safe. An accepted call costs one HMAC and one short critical section (the replay
 * memory); nothing is logged for it.
 */
public final class ServerAuthInterceptor implements ServerInterceptor {

    /** What a refused caller is told. */
    static final String DESCRIPTION = "not authenticated";

    /** At most one WARN line per this interval. */
    static final Duration LOG_INTERVAL = Duration.ofSeconds(10);

    private static final Logger LOG = LoggerFactory.getLogger(ServerAuthInterceptor.class);

    private final String serverName;
    private final AuthToken tokens;
    private final Clock clock;
    private final Consumer<SocketAddress> onAccepted;
    private final AtomicLong nextLogAt = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong unlogged = new AtomicLong();

    /** Checks calls against this secret; {@code serverName} appears in the log lines. */
    public ServerAuthInterceptor(String serverName, String secret) {
        this(serverName, new AuthToken(secret), Clock.systemUTC(), remote -> { });
    }

    /**
     * @param onAccepted told the remote address of every accepted call (its connection proved it
     *     knows the secret)
     */
    ServerAuthInterceptor(String serverName, AuthToken tokens, Clock clock, Consumer<SocketAddress> onAccepted) {
        this.serverName = requireNonNull(serverName, "serverName is null");
        this.tokens = requireNonNull(tokens, "tokens is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.onAccepted = requireNonNull(onAccepted, "onAccepted is null");
    }

    @Override
    public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
            ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
        String method = call.getMethodDescriptor().getFullMethodName();
        AuthToken.Verdict verdict;
        try {
            verdict = tokens.verify(headers.get(AuthToken.HEADER), method);
        } catch (RuntimeException e) {   // verify() does not throw; should it ever, refuse rather than leak
            verdict = AuthToken.Verdict.MALFORMED;
        }
        if (verdict == AuthToken.Verdict.ACCEPTED) {
            onAccepted.accept(call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR));
            return next.startCall(call, headers);
        }
        logRefusal(call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR), method, verdict);
        call.close(Status.UNAUTHENTICATED.withDescription(DESCRIPTION), new Metadata());
        return new ServerCall.Listener<>() {};
    }

    private void logRefusal(SocketAddress remote, String method, AuthToken.Verdict verdict) {
        long now = clock.millis();
        long next = nextLogAt.get();
        if (now < next || !nextLogAt.compareAndSet(next, now + LOG_INTERVAL.toMillis())) {
            unlogged.incrementAndGet();
            return;
        }
        long more = unlogged.getAndSet(0);
        LOG.warn("RPC server {} refused an unauthenticated call to {} from {}: {}{}", serverName, method,
                describe(remote), verdict.reason(),
                more == 0 ? "" : " (" + more + " more refused calls not logged since the previous line)");
    }

    private static String describe(SocketAddress remote) {
        if (remote instanceof InetSocketAddress inet) {
            return inet.getHostString() + ':' + inet.getPort();
        }
        return String.valueOf(remote);
    }
}
