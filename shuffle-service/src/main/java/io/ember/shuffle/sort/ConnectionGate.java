package io.ember.shuffle.sort;

import static java.util.Objects.requireNonNull;

import io.ember.api.shuffle.ConnectionLedger;
import io.ember.api.shuffle.ConnectionLimits;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
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
 * <p>The books, and the decisions, are a {@link ConnectionLedger}'s, as for Ember's RPC servers; this
 * handler acts on them. Refusals, evictions and expiries are logged through
 * {@link RateLimitedWarning}s: one line per ten seconds for a flood, whatever its size. The idle
 * timeout is not kept here but by each connection's pipeline.
 *
 * <p>Thread-safe: connections arrive on the listening channel's event loop, close on their own
 * loops, and authenticate on theirs; the bookkeeping is one short critical section each.
 */
@Sharable
final class ConnectionGate extends ChannelInboundHandlerAdapter {

    private final ConnectionLimits limits;
    private final ConnectionLedger<Channel> ledger;
    private final RateLimitedWarning fullWarning;
    private final RateLimitedWarning expiredWarning;
    private volatile String server = "the shuffle server";

    /**
     * @param limits the limits to hold to
     * @param authRequired whether connections must authenticate (a secret is set)
     * @param fullWarning where "the server is full" lines go
     * @param expiredWarning where "did not authenticate in time" lines go
     */
    ConnectionGate(ConnectionLimits limits, boolean authRequired, RateLimitedWarning fullWarning,
                   RateLimitedWarning expiredWarning) {
        this.limits = requireNonNull(limits, "limits is null");
        this.ledger = new ConnectionLedger<>(limits.maxConnections(), authRequired);
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
        // One not yet registered with its loop (the acceptor is behind) is not evicted: closing it
        // would make the acceptor fail, and log, when it comes to it.
        ConnectionLedger.Admission<Channel> admission = ledger.admit(connection, Channel::isRegistered);
        if (!admission.admitted()) {
            // Not yet registered with an event loop: closing it costs nothing but its socket.
            connection.unsafe().closeForcibly();
            fullWarning.warn("The " + server + " is at its limit of " + limits.maxConnections() + " connections "
                    + "(ember.shuffle.service.maxConnections): refused a connection from "
                    + describe(connection));
            return;
        }
        Channel evicted = admission.evicted();
        if (evicted != null) {
            evicted.close();
            fullWarning.warn("The " + server + " is at its limit of " + limits.maxConnections() + " connections "
                    + "(ember.shuffle.service.maxConnections): closed a connection from " + describe(evicted)
                    + " that had not authenticated, to admit one from " + describe(connection));
        }
        connection.closeFuture().addListener(closed -> ledger.released(connection));
        if (ledger.authRequired()) {
            ledger.awaitAuthentication(connection, ctx.executor().schedule(() -> expire(connection),
                    limits.authTimeout().toNanos(), TimeUnit.NANOSECONDS));
        }
        ctx.fireChannelRead(connection);
    }

    /** The connection proved it knows the secret: it may stay until it is idle. */
    void authenticated(Channel connection) {
        ledger.authenticated(connection);
    }

    private void expire(Channel connection) {
        if (ledger.expire(connection, c -> true, () -> null) != ConnectionLedger.Expiry.CLOSE) {
            return;
        }
        connection.close();
        expiredWarning.warn("Closed a connection to the " + server + " from " + describe(connection)
                + ": it did not authenticate within " + limits.authTimeout().toMillis()
                + " ms (ember.shuffle.service.authTimeout)");
    }

    /** Connections admitted and still open. */
    int open() {
        return ledger.open();
    }

    /** What the gate has done so far: refused, evicted and expired connections. */
    ConnectionLedger.Counts counts() {
        return ledger.counts();
    }

    private static String describe(Channel connection) {
        Object remote = connection.remoteAddress();
        String text = String.valueOf(remote);
        return text.startsWith("/") ? text.substring(1) : text;
    }

    @Override
    public String toString() {
        return "ConnectionGate[" + limits + (ledger.authRequired() ? ", authenticated" : "") + "]";
    }
}
