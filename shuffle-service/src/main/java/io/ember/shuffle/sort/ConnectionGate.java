package io.ember.shuffle.sort;

import static java.util.Objects.requireNonNull;

import io.ember.api.shuffle.ConnectionLimits;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Holds a {@link ShuffleServer} to its {@link ConnectionLimits}. It sits on the listening
 * channel, so it sees each accepted connection before the server sets anything up for it:
 *
 * <ul>
 *   <li>at most {@code maxConnections} are admitted at once. When the server is full, a new
 *       connection takes the place of the oldest one that has not authenticated yet (only with a
 *       secret), or else is closed at once, before it is registered with an event loop;
 *   <li>with a secret, an admitted connection that has not authenticated within
 *       {@code authTimeout} is closed ({@link #authenticated} stops the clock).
 * </ul>
 *
 * <p>Refusals, evictions and expiries are logged through {@link RateLimitedWarning}s: one line per
 * ten seconds for a flood, whatever its size. The idle timeout is not kept here but by each
 * connection's pipeline.
 *
 * <p>Thread-safe: connections arrive on the listening channel's event loop, close on their own
 * loops, and authenticate on theirs; the bookkeeping is one short critical section each.
 */
@Sharable
final class ConnectionGate extends ChannelInboundHandlerAdapter {

    private final ConnectionLimits limits;
    private final boolean authRequired;
    private final RateLimitedWarning fullWarning;
    private final RateLimitedWarning expiredWarning;
    private volatile String server = "the shuffle server";
    /** Every admitted connection that is still open; guarded by this. */
    private final Set<Channel> admitted = new HashSet<>();
    /** Admitted connections that have not authenticated, oldest first, with their deadline; guarded by this. */
    private final Map<Channel, ScheduledFuture<?>> unauthenticated = new LinkedHashMap<>();
    private long refused;   // guarded by this
    private long evicted;   // guarded by this
    private long expired;   // guarded by this

    /**
     * @param limits the limits to hold to
     * @param authRequired whether connections must authenticate (a secret is set)
     * @param fullWarning where "the server is full" lines go
     * @param expiredWarning where "did not authenticate in time" lines go
     */
    ConnectionGate(ConnectionLimits limits, boolean authRequired, RateLimitedWarning fullWarning,
                   RateLimitedWarning expiredWarning) {
        this.limits = requireNonNull(limits, "limits is null");
        this.authRequired = authRequired;
        this.fullWarning = requireNonNull(fullWarning, "fullWarning is null");
        this.expiredWarning = requireNonNull(expiredWarning, "expiredWarning is null");
    }

    /** Names the server in log lines, once it knows its address. */
    void describeServer(String description) {
        this.server = requireNonNull(description, "description is null");
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
            fullWarning.warn("The " + server + " is at its limit of " + limits.maxConnections() + " connections "
                    + "(ember.shuffle.service.maxConnections): refused a connection from "
                    + describe(connection));
            return;
        }
        if (evict != null) {
            evict.close();
            fullWarning.warn("The " + server + " is at its limit of " + limits.maxConnections() + " connections "
                    + "(ember.shuffle.service.maxConnections): closed a connection from " + describe(evict)
                    + " that had not authenticated, to admit one from " + describe(connection));
        }
        connection.closeFuture().addListener(closed -> released(connection));
        if (authRequired) {
            ScheduledFuture<?> deadline = ctx.executor().schedule(() -> expire(connection),
                    limits.authTimeout().toNanos(), TimeUnit.NANOSECONDS);
            boolean open;
            synchronized (this) {
                open = admitted.contains(connection);
                if (open) {
                    unauthenticated.put(connection, deadline);
                }
            }
            if (!open) {
                deadline.cancel(false);
            }
        }
        ctx.fireChannelRead(connection);
    }

    /** The connection proved it knows the secret: it may stay until it is idle. */
    void authenticated(Channel connection) {
        ScheduledFuture<?> deadline;
        synchronized (this) {
            deadline = unauthenticated.remove(connection);
        }
        if (deadline != null) {
            deadline.cancel(false);
        }
    }

    private void expire(Channel connection) {
        synchronized (this) {
            if (unauthenticated.remove(connection) == null) {
                return;
            }
            expired++;
        }
        connection.close();
        expiredWarning.warn("Closed a connection to the " + server + " from " + describe(connection)
                + ": it did not authenticate within " + limits.authTimeout().toMillis()
                + " ms (ember.shuffle.service.authTimeout)");
    }

    private void released(Channel connection) {
        ScheduledFuture<?> deadline;
        synchronized (this) {
            admitted.remove(connection);
            deadline = unauthenticated.remove(connection);
        }
        if (deadline != null) {
            deadline.cancel(false);
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

    /** What the gate has done so far: refused, evicted and expired connections. */
    synchronized Counts counts() {
        return new Counts(refused, evicted, expired);
    }

    /**
     * What a gate did.
     *
     * @param refused connections closed at once because the server was full
     * @param evicted unauthenticated connections closed to admit a new one
     * @param expired connections closed because they did not authenticate in time
     */
    record Counts(long refused, long evicted, long expired) {
    }

    private static String describe(Channel connection) {
        Object remote = connection.remoteAddress();
        String text = String.valueOf(remote);
        return text.startsWith("/") ? text.substring(1) : text;
    }

    @Override
    public String toString() {
        return "ConnectionGate[" + limits + (authRequired ? ", authenticated" : "") + "]";
    }
}
