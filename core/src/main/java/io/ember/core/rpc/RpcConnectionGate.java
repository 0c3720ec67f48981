package io.ember.core.rpc;

import static java.util.Objects.requireNonNull;

import io.ember.api.shuffle.ConnectionLedger;
import io.grpc.netty.shaded.io.netty.channel.Channel;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandler.Sharable;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandlerContext;
import io.grpc.netty.shaded.io.netty.channel.ChannelInboundHandlerAdapter;
import io.grpc.netty.shaded.io.netty.util.concurrent.EventExecutor;
import java.net.SocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Holds an {@link RpcServer} to its {@link RpcLimits}: the cap on connections and, with a secret,
 * the time a connection has to carry its first authenticated call. It sits in the pipeline of the
 * listening channel, ahead of the handler that hands accepted connections to gRPC, so it sees each
 * connection before gRPC sets anything up for it (gRPC's own hook, a {@code ServerTransportFilter},
 * hears of a connection only once its HTTP/2 preface arrived, and cannot close one):
 *
 * <ul>
 *   <li>at most {@code maxConnections} are admitted at once. When the server is full, a new
 *       connection takes the place of the oldest one that has carried no authenticated call yet
 *       (only with a secret), or else is closed at once, before it is registered with an event loop;
 *   <li>with a secret, an admitted connection that has carried no authenticated call within
 *       {@code authTimeout} is closed. {@link ServerAuthInterceptor} reports each accepted call by
 *       its remote address ({@link #authenticated}), which names one open connection.
 * </ul>
 *
 * <p>The books, and the decisions, are a {@link ConnectionLedger}'s, as for the shuffle service; this
 * handler acts on them. Idle connections are gRPC's to close ({@code maxConnectionIdle}). Refusals
 * and expiries are logged through {@link RateLimitedWarning}s: a line per ten seconds for a flood,
 * whatever its size.
 *
 * <p>Thread-safe: connections arrive on the listening channel's event loop, close on their own,
 * and authenticate on gRPC's executor; the bookkeeping is one short critical section each.
 */
@Sharable
final class RpcConnectionGate extends ChannelInboundHandlerAdapter {

    /** How soon an expired connection that gRPC has not registered yet is looked at again. */
    private static final long RECHECK_MILLIS = 100;

    private final String server;
    private final RpcLimits limits;
    private final ConnectionLedger<Channel> ledger;
    private final RateLimitedWarning fullWarning;
    private final RateLimitedWarning expiredWarning;
    /** The connections waiting to authenticate, by remote address, as calls name them. */
    private final Map<SocketAddress, Channel> unauthenticatedByRemote = new ConcurrentHashMap<>();

    /**
     * @param server names the server in log lines, e.g. {@code master}
     * @param limits the limits to hold to
     * @param authRequired whether calls must authenticate (a secret is set)
     */
    RpcConnectionGate(String server, RpcLimits limits, boolean authRequired, RateLimitedWarning fullWarning,
                      RateLimitedWarning expiredWarning) {
        this.server = requireNonNull(server, "server is null");
        this.limits = requireNonNull(limits, "limits is null");
        this.ledger = new ConnectionLedger<>(limits.maxConnections(), authRequired);
        this.fullWarning = requireNonNull(fullWarning, "fullWarning is null");
        this.expiredWarning = requireNonNull(expiredWarning, "expiredWarning is null");
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
        if (!(message instanceof Channel connection)) {
            ctx.fireChannelRead(message);
            return;
        }
        // One not yet registered with its loop (gRPC's acceptor is behind) is not evicted: closing it
        // would make the acceptor fail, and log, when it comes to it.
        ConnectionLedger.Admission<Channel> admission = ledger.admit(connection, Channel::isRegistered);
        if (!admission.admitted()) {
            // Not yet registered with an event loop: closing it costs nothing but its socket.
            connection.unsafe().closeForcibly();
            fullWarning.warn("The " + server + "'s RPC server is at its limit of " + limits.maxConnections()
                    + " connections (ember.rpc.maxConnections): refused a connection from " + describe(connection));
            return;
        }
        Channel evicted = admission.evicted();
        if (evicted != null) {
            forgetRemote(evicted);
            closeNow(evicted);
            fullWarning.warn("The " + server + "'s RPC server is at its limit of " + limits.maxConnections()
                    + " connections (ember.rpc.maxConnections): closed a connection from " + describe(evicted)
                    + " that had made no authenticated call, to admit one from " + describe(connection));
        }
        connection.closeFuture().addListener(closed -> {
            ledger.released(connection);
            forgetRemote(connection);
        });
        if (ledger.authRequired()) {
            SocketAddress remote = connection.remoteAddress();
            if (remote != null) {
                unauthenticatedByRemote.put(remote, connection);
            }
            if (!ledger.awaitAuthentication(connection, ctx.executor().schedule(
                    () -> expire(connection, ctx.executor()), limits.authTimeout().toNanos(), TimeUnit.NANOSECONDS))) {
                forgetRemote(connection);
            }
        }
        ctx.fireChannelRead(connection);
    }

    /** A call from {@code remote} was authenticated: its connection may stay until gRPC finds it idle. */
    void authenticated(SocketAddress remote) {
        if (remote == null) {
            return;
        }
        Channel connection = unauthenticatedByRemote.remove(remote);
        if (connection != null) {
            ledger.authenticated(connection);
        }
    }

    private void expire(Channel connection, EventExecutor executor) {
        // One gRPC has not registered yet (its acceptor is behind in a flood) is looked at again shortly.
        ConnectionLedger.Expiry expiry = ledger.expire(connection, Channel::isRegistered,
                () -> executor.schedule(() -> expire(connection, executor), RECHECK_MILLIS, TimeUnit.MILLISECONDS));
        if (expiry != ConnectionLedger.Expiry.CLOSE) {
            return;
        }
        forgetRemote(connection);
        closeNow(connection);
        expiredWarning.warn("Closed a connection to the " + server + "'s RPC server from " + describe(connection)
                + ": it made no authenticated call within " + limits.authTimeout().toMillis()
                + " ms (ember.rpc.authTimeout)");
    }

    private void forgetRemote(Channel connection) {
        SocketAddress remote = connection.remoteAddress();
        if (remote != null) {
            unauthenticatedByRemote.remove(remote, connection);
        }
    }

    /**
     * Closes a connection at once. Not through its pipeline: gRPC's handler there would close it
     * gracefully, waiting for an HTTP/2 preface that a stranger never sends.
     */
    private static void closeNow(Channel connection) {
        if (connection.isRegistered()) {
            connection.eventLoop().execute(() -> connection.unsafe().close(connection.unsafe().voidPromise()));
        } else {
            connection.unsafe().closeForcibly();   // gRPC's acceptor then fails to register it, and gives up on it
        }
    }

    /** Connections admitted and still open. */
    int open() {
        return ledger.open();
    }

    /** What the gate has done so far. */
    ConnectionLedger.Counts counts() {
        return ledger.counts();
    }

    private static String describe(Channel connection) {
        String text = String.valueOf(connection.remoteAddress());
        return text.startsWith("/") ? text.substring(1) : text;
    }

    @Override
    public String toString() {
        return "RpcConnectionGate[" + server + ", " + limits + (ledger.authRequired() ? ", authenticated" : "") + "]";
    }
}
