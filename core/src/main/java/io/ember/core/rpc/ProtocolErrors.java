package io.ember.core.rpc;

import static java.util.Objects.requireNonNull;

import io.grpc.Attributes;
import io.grpc.Grpc;
import io.grpc.ServerTransportFilter;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.Channel;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandler.Sharable;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandler;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandlerContext;
import io.grpc.netty.shaded.io.netty.channel.ChannelInboundHandlerAdapter;
import java.net.SocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports connections that a server closed because the other side broke the protocol (an HTTP/1
 * request, garbage, a bad frame) as one WARN line naming the remote address, at most one line per
 * {@link #EVERY} for a server, with a count of those left out; never a stack trace, since the fault
 * is someone else's. A peer that simply went away is not reported.
 *
 * <p>gRPC's Netty transport logs such failures itself, through {@code java.util.logging}, with a
 * stack trace and without the address. This class takes that logger over while a server runs: it
 * stops the record from reaching any other handler, keeps it for the thread it was logged on, and
 * reports it when the transport's termination reaches the server's {@link ServerTransportFilter} on
 * that same thread. gRPC logs the failure and then ends the transport, synchronously, on the
 * transport's event-loop thread; {@code ProtocolErrorsTest} keeps that so. The filter knows the
 * remote address only of a connection that got past the HTTP/2 preface; for one that did not (an
 * HTTP/1 request, say), the address comes from a handler at the head of each accepted connection's
 * pipeline ({@link #acceptedConnections()}), which names the connection whose bytes are being read
 * on the thread, around each read: the failure is decoded, and logged, within that read.
 *
 * <p>Thread-safe.
 */
final class ProtocolErrors extends ServerTransportFilter {

    /** At most one line per server in this time. */
    static final Duration EVERY = Duration.ofSeconds(10);

    /** The logger gRPC's Netty server transport reports failed connections on. */
    static final String TRANSPORT_LOGGER =
            "io.grpc.netty.shaded.io.grpc.netty.NettyServerTransport.connections";

    private static final Logger LOG = LoggerFactory.getLogger(ProtocolErrors.class);

    /** The failure gRPC just logged on this thread, for the filter to pick up. */
    private static final ThreadLocal<Failure> LAST_FAILURE = new ThreadLocal<>();
    /** The remote address of the connection whose bytes this thread is reading now, if any. */
    private static final ThreadLocal<SocketAddress> READING_FROM = new ThreadLocal<>();
    private static final ChannelHandler READ_MARKER = new ReadMarker();

    private final String server;
    private final java.util.logging.Logger transportLogger;
    private final Handler handler = new Capture();
    private final RateLimitedWarning warnings;

    ProtocolErrors(String server, Clock clock) {
        this.server = requireNonNull(server, "server is null");
        this.warnings = new RateLimitedWarning(LOG, EVERY, requireNonNull(clock, "clock is null"));
        // Held here: java.util.logging keeps loggers only weakly, and with them their settings.
        this.transportLogger = java.util.logging.Logger.getLogger(TRANSPORT_LOGGER);
    }

    /** Takes gRPC's transport logger over and adds this filter to {@code builder}. */
    void install(NettyServerBuilder builder) {
        transportLogger.setLevel(Level.INFO);   // failures a peer caused; FINE is a peer that went away
        transportLogger.setUseParentHandlers(false);
        transportLogger.addHandler(handler);
        builder.addTransportFilter(this);
    }

    /**
     * A handler for the listening channel's pipeline, ahead of gRPC's acceptor: it puts the read
     * marker at the head of each accepted connection's pipeline, so that a failure logged while the
     * connection's bytes are read can be told its remote address.
     */
    ChannelHandler acceptedConnections() {
        return new AcceptedConnections();
    }

    /** Stops capturing (when the server closes); other servers' capture goes on. */
    void uninstall() {
        transportLogger.removeHandler(handler);
    }

    @Override
    public void transportTerminated(Attributes transportAttrs) {
        Failure failure = LAST_FAILURE.get();
        if (failure == null) {
            return;
        }
        LAST_FAILURE.remove();
        SocketAddress remote = transportAttrs == null ? null : transportAttrs.get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
        if (remote == null) {
            remote = failure.remote();
        }
        report(remote == null ? Optional.empty() : Optional.of(describe(remote)), failure.thrown());
    }

    /** Logs the line for one failed connection, unless one was logged in the last {@link #EVERY}. */
    void report(Optional<String> remote, Throwable failure) {
        warnings.warn(() -> "Closed a connection " + remote.map(r -> "from " + r + " ").orElse("") + "to the " + server
                + "'s RPC port: it broke the gRPC protocol (" + reason(failure) + ")");
    }

    private static String describe(SocketAddress remote) {
        String text = remote.toString();
        return text.startsWith("/") ? text.substring(1) : text;
    }

    private static String reason(Throwable failure) {
        String message = failure.getMessage();
        String kind = failure.getClass().getSimpleName();
        if (message == null || message.isBlank()) {
            return kind;
        }
        String firstLine = message.strip().lines().findFirst().orElse("");
        return kind + ": " + (firstLine.length() > 120 ? firstLine.substring(0, 120) + "..." : firstLine);
    }

    /** Keeps what gRPC's transport logs for the filter, and lets nothing else see it. */
    private static final class Capture extends Handler {

        @Override
        public void publish(LogRecord record) {
            if (record != null && record.getThrown() != null && record.getLevel().intValue() >= Level.INFO.intValue()) {
                LAST_FAILURE.set(new Failure(record.getThrown(), READING_FROM.get()));
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }

    /** What gRPC logged, and from whom the bytes came that were read as it did (null: not known). */
    private record Failure(Throwable thrown, SocketAddress remote) {
    }

    /** On the listening channel: marks each accepted connection's reads. */
    @Sharable
    private static final class AcceptedConnections extends ChannelInboundHandlerAdapter {

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object message) {
            if (message instanceof Channel connection) {
                // Not registered yet: gRPC's handlers, added when it is, come after this one.
                connection.pipeline().addFirst("ember-read-marker", READ_MARKER);
            }
            ctx.fireChannelRead(message);
        }
    }

    /** On each accepted connection: names it as the one being read, while its bytes go up the pipeline. */
    @Sharable
    private static final class ReadMarker extends ChannelInboundHandlerAdapter {

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object message) {
            SocketAddress before = READING_FROM.get();
            READING_FROM.set(ctx.channel().remoteAddress());
            try {
                ctx.fireChannelRead(message);
            } finally {
                if (before == null) {
                    READING_FROM.remove();
                } else {
                    READING_FROM.set(before);
                }
            }
        }
    }
}
