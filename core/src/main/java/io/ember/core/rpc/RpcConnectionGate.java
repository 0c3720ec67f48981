package io.ember.core.rpc;

import static java.util.Objects.requireNonNull;

import io.grpc.netty.shaded.io.netty.channel.Channel;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandler.Sharable;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandlerContext;
import io.grpc.netty.shaded.io.netty.channel.ChannelInboundHandlerAdapter;
import io.grpc.netty.shaded.io.netty.util.concurrent.EventExecutor;
import io.grpc.netty.shaded.io.netty.util.concurrent.ScheduledFuture;
import java.net.SocketAddress;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
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
 * <p>Idle connections are gRPC's to close ({@code maxConnectionIdle}). Refusals and expiries are
 * logged through {@link RateLimitedWarning}s: a line per ten seconds for a flood, whatever its size.
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
    private final boolean authRequired;
    private final RateLimitedWarning fullWarning;
    private final RateLimitedWarning expiredWarning;
    /** Every admitted connection that is still open; guarded by this. */
    private final Set<Channel> admitted = new HashSet<>();
    /** Admitted connections without an authenticated call, oldest first, with their deadline; guarded by this. */
    private final Map<Channel, ScheduledFuture<?>> unauthenticated = new LinkedHashMap<>();
    /** The same connections by remote address, as calls name them; guarded by this. */
    private final Map<SocketAddress, Channel> unauthenticatedByRemote = new HashMap<>();
    private long refused;   // guarded by this
    private long evicted;   // guarded by this
    private long expired;   // guarded by this

    /**
     * @param server names the server in log lines, e.g. {@code master}
     * @param limits the limits to hold to
     * @param authRequired whether calls must authenticate (a secret is set)
     */
    RpcConnectionGate(String server, RpcLimits limits, boolean authRequired, RateLimitedWarning fullWarning,
                      RateLimitedWarning expiredWarning) {
        this.server = requireNonNull(server, "server is null");
        this.limits = requireNonNull(limits, "limits is null");
        this.authRequired = authRequired;
        this.fullWarning = requireNonNull(fullWarning, "fullWarning is null");
        this.expiredWarning = requireNonNull(expiredWarning, "expiredWarning is null");
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
        if (!(message instanceof Channel connection)) {
            ctx.fireChannelRead(message);
            return;
        }
        Channel evict = null;
        boolean admit;
        synchronized (this) {
            if (admitted.size() >= limits.maxConnections() && authRequired) {
                evict = takeOldestUnauthenticated();
            }
            admit = admitted.size() < limits.maxConnections();
            if (admit) {
                admitted.add(connection);
                if (evict != null) {
                    evicted++;
                }
            } else {
                refused++;
            }
        }
        if (!admit) {
            // Not yet registered with an event loop: closing it costs nothing but its socket.
            connection.unsafe().closeForcibly();
            fullWarning.warn("The " + server + "'s RPC server is at its limit of " + limits.maxConnections()
                    + " connections (ember.rpc.maxConnections): refused a connection from " + describe(connection));
            return;
        }
        if (evict != null) {
            closeNow(evict);
            fullWarning.warn("The " + server + "'s RPC server is at its limit of " + limits.maxConnections()
                    + " connections (ember.rpc.maxConnections): closed a connection from " + describe(evict)
                    + " that had made no authenticated call, to admit one from " + describe(connection));
        }
        connection.closeFuture().addListener(closed -> released(connection));
        if (authRequired) {
            ScheduledFuture<?> deadline = ctx.executor().schedule(() -> expire(connection, ctx.executor()),
                    limits.authTimeout().toNanos(), TimeUnit.NANOSECONDS);
            boolean open;
            synchronized (this) {
                open = admitted.contains(connection);
                if (open) {
                    unauthenticated.put(connection, deadline);
                    SocketAddress remote = connection.remoteAddress();
                    if (remote != null) {
                        unauthenticatedByRemote.put(remote, connection);
                    }
                }
            }
            if (!open) {
                deadline.cancel(false);
            }
        }
        ctx.fireChannelRead(connection);
    }

    /** A call from {@code remote} was authenticated: its connection may stay until gRPC finds it idle. */
    void authenticated(SocketAddress remote) {
        if (remote == null) {
            return;
        }
        ScheduledFuture<?> deadline = null;
        synchronized (this) {
            Channel connection = unauthenticatedByRemote.remove(remote);
            if (connection != null) {
                deadline = unauthenticated.remove(connection);
            }
        }
        if (deadline != null) {
            deadline.cancel(false);
        }
    }

    private void expire(Channel connection, EventExecutor executor) {
        synchronized (this) {
            if (!unauthenticated.containsKey(connection)) {
                return;
            }
            if (!connection.isRegistered()) {
                // gRPC's acceptor is behind (a flood): look again shortly rather than make it fail
                unauthenticated.put(connection, executor.schedule(() -> expire(connection, executor),
                        RECHECK_MILLIS, TimeUnit.MILLISECONDS));
                return;
            }
            unauthenticated.remove(connection);
            unauthenticatedByRemote.remove(connection.remoteAddress(), connection);
            expired++;
        }
        closeNow(connection);
        expiredWarning.warn("Closed a connection to the " + server + "'s RPC server from " + describe(connection)
                + ": it made no authenticated call within " + limits.authTimeout().toMillis()
                + " ms (ember.rpc.authTimeout)");
    }

    private void released(Channel connection) {
        ScheduledFuture<?> deadline;
        synchronized (this) {
            admitted.remove(connection);
            deadline = unauthenticated.remove(connection);
            if (deadline != null) {
                unauthenticatedByRemote.remove(connection.remoteAddress(), connection);
            }
        }
        if (deadline != null) {
            deadline.cancel(false);
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

    /**
     * Removes the oldest unauthenticated connection that is already registered with its event loop
     * from the books, or returns null; holds this. One not yet registered (the acceptor is behind)
     * is left alone: closing it would make the acceptor fail, and log, when it comes to it.
     */
    private Channel takeOldestUnauthenticated() {
        Iterator<Map.Entry<Channel, ScheduledFuture<?>>> oldest = unauthenticated.entrySet().iterator();
        while (oldest.hasNext()) {
            Map.Entry<Channel, ScheduledFuture<?>> entry = oldest.next();
            Channel connection = entry.getKey();
            if (!connection.isRegistered()) {
                continue;
            }
            oldest.remove();
            unauthenticatedByRemote.remove(connection.remoteAddress(), connection);
            admitted.remove(connection);
            entry.getValue().cancel(false);
            return connection;
        }
        return null;
    }

    /** Connections admitted and still open. */
    synchronized int open() {
        return admitted.size();
    }

    /** What the gate has done so far. */
    synchronized Counts counts() {
        return new Counts(refused, evicted, expired);
    }

    /**
     * What a gate did.
     *
     * @param refused connections closed at once because the server was full
     * @param evicted connections without an authenticated call closed to admit a new one
     * @param expired connections closed because they made no authenticated call in time
     */
    record Counts(long refused, long evicted, long expired) {
    }

    private static String describe(Channel connection) {
        String text = String.valueOf(connection.remoteAddress());
        return text.startsWith("/") ? text.substring(1) : text;
    }

    @Override
    public String toString() {
        return "RpcConnectionGate[" + server + ", " + limits + (authRequired ? ", authenticated" : "") + "]";
    }
}
