package io.ember.core.rpc;

import static java.util.Objects.requireNonNull;

import com.google.common.net.HostAndPort;
import io.ember.api.config.Durations;
import io.ember.core.config.ServerAddress;
import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.MultiThreadIoEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.nio.NioIoHandler;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioServerSocketChannel;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A gRPC server of the control plane (plaintext HTTP/2 over Netty) offering some services on one
 * address.
 *
 * <p>Limits: inbound messages up to {@link #MAX_MESSAGE_BYTES} and metadata (headers) up to
 * {@link #MAX_METADATA_BYTES}, both checked by gRPC against the declared length before it holds the
 * bytes; clients may ping as often as every {@link #PERMIT_KEEPALIVE} even without calls (so
 * {@link RpcChannels}' keepalive is never refused); the server pings an idle connection after
 * {@link #KEEPALIVE} and drops it when no answer comes within {@link #KEEPALIVE_TIMEOUT}. Its
 * connections are held to {@link RpcLimits}: a {@link RpcConnectionGate} on the listening channel
 * caps them and, with a secret, closes those that carry no authenticated call in time; gRPC's
 * {@code maxConnectionIdle} closes those without calls for the idle timeout. For the gate to sit on
 * the listening channel, the server runs its own NIO event loops ({@code ember-rpc-<name>-accept}
 * and {@code -io-N}, daemon threads) instead of gRPC's shared ones. Handlers run on the server's
 * own pool of a few daemon threads named {@code ember-rpc-<name>-N}, so they must not block for
 * long. With a secret, every call must carry an {@link AuthToken} ({@link ServerAuthInterceptor}).
 *
 * <p>Thread-safe. {@link #close()} is idempotent.
 */
public final class RpcServer implements AutoCloseable {

    /** Largest inbound message: task results travel on the control plane. */
    public static final int MAX_MESSAGE_BYTES = 64 * 1024 * 1024;
    /**
     * Largest inbound metadata of a call (HTTP/2 header list): gRPC's default, stated here on
     * purpose. Ember's calls carry an {@link AuthToken} of about a hundred bytes and gRPC's own
     * headers; a stranger's kilobytes of headers are refused before they are held.
     */
    static final int MAX_METADATA_BYTES = 8 * 1024;
    /** Event-loop threads of one server's connections: enough for a control plane. */
    private static final int IO_THREADS = Math.min(4, Math.max(1, Runtime.getRuntime().availableProcessors()));
    static final Duration KEEPALIVE = Duration.ofSeconds(30);
    static final Duration KEEPALIVE_TIMEOUT = Duration.ofSeconds(10);
    static final Duration PERMIT_KEEPALIVE = Duration.ofSeconds(10);
    static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);
    /** How long {@link #close()} lets running calls finish before cancelling them. */
    static final Duration CLOSE_GRACE = Duration.ofSeconds(2);

    private static final Logger LOG = LoggerFactory.getLogger(RpcServer.class);

    private final String name;
    private final String address;
    private final int port;
    private final Server server;
    private final ExecutorService executor;
    private final ProtocolErrors protocolErrors;
    private final EventLoops loops;
    private final RpcConnectionGate gate;
    private final CallErrors callErrors;
    private final AtomicBoolean closed = new AtomicBoolean();

    private RpcServer(String name, String address, int port, Server server, ExecutorService executor,
                      ProtocolErrors protocolErrors, EventLoops loops, RpcConnectionGate gate,
                      CallErrors callErrors) {
        this.name = name;
        this.address = address;
        this.port = port;
        this.server = server;
        this.executor = executor;
        this.protocolErrors = protocolErrors;
        this.loops = loops;
        this.gate = gate;
        this.callErrors = callErrors;
    }

    /**
     * Starts a server listening on {@code host:port}.
     *
     * @param name names the server's threads and log lines, e.g. {@code master}
     * @param port 0 for any free port ({@link #port()} tells which)
     * @param secret {@code ember.auth.secret}: when present, every call must authenticate
     * @throws UncheckedIOException with one line such as
     *     {@code cannot listen on 127.0.0.1:7077: address already in use}
     */
    public static RpcServer start(String name, String host, int port, List<BindableService> services,
            Optional<String> secret) {
        return start(name, host, port, services, secret, RpcLimits.DEFAULTS);
    }

    /**
     * As {@link #start(String, String, int, List, Optional)}, holding connections to {@code limits}
     * ({@code ember.rpc.*}).
     */
    public static RpcServer start(String name, String host, int port, List<BindableService> services,
            Optional<String> secret, RpcLimits limits) {
        return start(name, host, port, services, secret, limits, Clock.systemUTC());
    }

    static RpcServer start(String name, String host, int port, List<BindableService> services,
            Optional<String> secret, Clock clock) {
        return start(name, host, port, services, secret, RpcLimits.DEFAULTS, clock);
    }

    static RpcServer start(String name, String host, int port, List<BindableService> services,
            Optional<String> secret, RpcLimits limits, Clock clock) {
        return start(name, ServerAddress.of(requireNonNull(host, "host is null")), port, services, secret, limits,
                clock);
    }

    /**
     * As {@link #start(String, String, int, List, Optional, RpcLimits)}, listening on
     * {@code address.bind()}; its {@link #address()} is {@code address.advertised()} with the port.
     */
    public static RpcServer start(String name, ServerAddress address, int port, List<BindableService> services,
            Optional<String> secret, RpcLimits limits) {
        return start(name, address, port, services, secret, limits, Clock.systemUTC());
    }

    static RpcServer start(String name, ServerAddress address, int port, List<BindableService> services,
            Optional<String> secret, RpcLimits limits, Clock clock) {
        requireNonNull(name, "name is null");
        requireNonNull(limits, "limits is null");
        requireNonNull(address, "address is null");
        String host = address.bind();
        requireNonNull(services, "services is null");
        requireNonNull(secret, "secret is null");
        requireNonNull(clock, "clock is null");
        if (name.isBlank()) {
            throw new IllegalArgumentException("name is blank");
        }
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be in [0, 65535]: " + port);
        }
        String requested = HostAndPort.fromParts(host, port).toString();
        InetSocketAddress bindAddress = new InetSocketAddress(host, port);
        if (bindAddress.isUnresolved()) {
            throw new UncheckedIOException("cannot listen on " + requested + ": unknown host",
                    new UnknownHostException(host));
        }
        RpcConnectionGate gate = new RpcConnectionGate(name, limits, secret.isPresent(),
                new RateLimitedWarning(LOG, clock), new RateLimitedWarning(LOG, clock));
        Optional<ServerAuthInterceptor> auth =
                secret.map(s -> new ServerAuthInterceptor(name, new AuthToken(s, clock), clock, gate::authenticated));
        ExecutorService executor = RpcExecutors.pool(name);
        EventLoops loops = new EventLoops(name);
        ProtocolErrors protocolErrors = new ProtocolErrors(name, clock);
        NettyServerBuilder builder = NettyServerBuilder.forAddress(bindAddress)
                .channelFactory(() -> {
                    NioServerSocketChannel channel = new NioServerSocketChannel();
                    channel.pipeline().addLast("ember-connection-gate", gate);   // ahead of gRPC's acceptor
                    channel.pipeline().addLast("ember-protocol-errors", protocolErrors.acceptedConnections());
                    return channel;
                })
                .bossEventLoopGroup(loops.accept())
                .workerEventLoopGroup(loops.io())
                .executor(executor)
                .maxInboundMessageSize(MAX_MESSAGE_BYTES)
                .maxInboundMetadataSize(MAX_METADATA_BYTES)
                .maxConnectionIdle(limits.idleTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .keepAliveTime(KEEPALIVE.toMillis(), TimeUnit.MILLISECONDS)
                .keepAliveTimeout(KEEPALIVE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .permitKeepAliveTime(PERMIT_KEEPALIVE.toMillis(), TimeUnit.MILLISECONDS)
                .permitKeepAliveWithoutCalls(true)
                // A connection that never starts HTTP/2 is never idle in gRPC's sense; this closes it.
                .handshakeTimeout(Math.min(HANDSHAKE_TIMEOUT.toMillis(), limits.idleTimeout().toMillis()),
                        TimeUnit.MILLISECONDS);
        services.forEach(service -> builder.addService(requireNonNull(service, "service is null")));
        auth.ifPresent(builder::intercept);
        CallErrors callErrors = new CallErrors();
        builder.intercept(callErrors);   // added last, so it runs first: refusals by the others count too
        protocolErrors.install(builder);
        Server server = builder.build();
        try {
            server.start();
        } catch (IOException | RuntimeException e) {
            protocolErrors.uninstall();
            executor.shutdownNow();
            loops.close();
            throw new UncheckedIOException("cannot listen on " + requested + ": " + reason(e),
                    e instanceof IOException io ? io : new IOException(e));
        }
        String advertised = HostAndPort.fromParts(address.advertised(), server.getPort()).toString();
        RpcServer started = new RpcServer(name, advertised, server.getPort(), server, executor, protocolErrors, loops,
                gate, callErrors);
        LOG.info("RPC server {} listening on {}{}{}; at most {} connections, those without calls closed after {}{}",
                name, HostAndPort.fromParts(host, server.getPort()),
                host.equals(address.advertised()) ? "" : " (reached at " + started.address + ")", auth.isPresent() ? " (calls must authenticate)" : "", limits.maxConnections(),
                Durations.format(limits.idleTimeout()), auth.isPresent()
                        ? ", those without an authenticated call after " + Durations.format(limits.authTimeout()) : "");
        OpenFiles.warnIfBelow(limits.maxConnections(), "the " + name + "'s RPC server", "ember.rpc.maxConnections");
        return started;
    }

    /** The gate its connections pass: for tests to read what it refused. */
    RpcConnectionGate gate() {
        return gate;
    }

    /** The calls it ended with a status other than OK, counted by code. */
    public CallErrors callErrors() {
        return callErrors;
    }

    /** The port it listens on (the one chosen when started with port 0). */
    public int port() {
        return port;
    }

    /** {@code host:port} as it listens, IPv6 hosts in brackets. */
    public String address() {
        return address;
    }

    /**
     * Stops accepting calls, lets running calls finish for {@link #CLOSE_GRACE}, then cancels what
     * is left (long-lived streams end with UNAVAILABLE). Idempotent.
     */
    @Override
    public void close() {
        close(CLOSE_GRACE);
    }

    /** {@link #close()} with another grace period. */
    public void close(Duration grace) {
        requireNonNull(grace, "grace is null");
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        server.shutdown();
        try {
            if (!server.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                server.shutdownNow();
                server.awaitTermination(1, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            server.shutdownNow();
            Thread.currentThread().interrupt();
        } finally {
            executor.shutdownNow();
            protocolErrors.uninstall();
            loops.close();
        }
        LOG.debug("RPC server {} on {} closed", name, address);
    }

    @Override
    public String toString() {
        return "RpcServer[" + name + " on " + address + (closed.get() ? ", closed" : "") + "]";
    }

    /**
     * The event loops of one server: one thread accepting connections, a few serving them. Daemon
     * threads; {@link #close()} lets them finish what is queued and stops them.
     */
    private record EventLoops(EventLoopGroup accept, EventLoopGroup io) {

        EventLoops(String name) {
            this(new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("ember-rpc-" + name + "-accept", true),
                            NioIoHandler.newFactory()),
                    new MultiThreadIoEventLoopGroup(IO_THREADS, new DefaultThreadFactory("ember-rpc-" + name + "-io",
                            true), NioIoHandler.newFactory()));
        }

        void close() {
            accept.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            io.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            accept.terminationFuture().awaitUninterruptibly(2, TimeUnit.SECONDS);
            io.terminationFuture().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
    }

    /** What the innermost I/O failure says, e.g. "address already in use". */
    private static String reason(Throwable e) {
        Throwable io = e;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IOException) {
                io = t;
            }
        }
        return RpcErrors.ioReason(io);
    }
}
