package io.ember.core.rpc;

import static java.util.Objects.requireNonNull;

import com.google.common.net.HostAndPort;
import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
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
 * <p>Limits: inbound messages up to {@link #MAX_MESSAGE_BYTES}; clients may ping as often as every
 * {@link #PERMIT_KEEPALIVE} even without calls (so {@link RpcChannels}' keepalive is never
 * refused); the server pings an idle connection after {@link #KEEPALIVE} and drops it when no
 * answer comes within {@link #KEEPALIVE_TIMEOUT}. Handlers run on the server's own pool of a few
 * daemon threads named {@code ember-rpc-<name>-N}, so they must not block for long. With a secret,
 * every call must carry an {@link AuthToken} ({@link ServerAuthInterceptor}).
 *
 * <p>Thread-safe. {@link #close()} is idempotent.
 */
public final class RpcServer implements AutoCloseable {

    /** Largest inbound message: task results travel on the control plane. */
    public static final int MAX_MESSAGE_BYTES = 64 * 1024 * 1024;
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
    private final AtomicBoolean closed = new AtomicBoolean();

    private RpcServer(String name, String address, int port, Server server, ExecutorService executor,
                      ProtocolErrors protocolErrors) {
        this.name = name;
        this.address = address;
        this.port = port;
        this.server = server;
        this.executor = executor;
        this.protocolErrors = protocolErrors;
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
        return start(name, host, port, services, secret, Clock.systemUTC());
    }

    static RpcServer start(String name, String host, int port, List<BindableService> services,
            Optional<String> secret, Clock clock) {
        requireNonNull(name, "name is null");
        requireNonNull(host, "host is null");
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
        Optional<ServerAuthInterceptor> auth =
                secret.map(s -> new ServerAuthInterceptor(name, new AuthToken(s, clock), clock));
        ExecutorService executor = RpcExecutors.pool(name);
        NettyServerBuilder builder = NettyServerBuilder.forAddress(bindAddress)
                .executor(executor)
                .maxInboundMessageSize(MAX_MESSAGE_BYTES)
                .keepAliveTime(KEEPALIVE.toMillis(), TimeUnit.MILLISECONDS)
                .keepAliveTimeout(KEEPALIVE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .permitKeepAliveTime(PERMIT_KEEPALIVE.toMillis(), TimeUnit.MILLISECONDS)
                .permitKeepAliveWithoutCalls(true)
                .handshakeTimeout(HANDSHAKE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        services.forEach(service -> builder.addService(requireNonNull(service, "service is null")));
        auth.ifPresent(builder::intercept);
        ProtocolErrors protocolErrors = new ProtocolErrors(name, clock);
        protocolErrors.install(builder);
        Server server = builder.build();
        try {
            server.start();
        } catch (IOException | RuntimeException e) {
            protocolErrors.uninstall();
            executor.shutdownNow();
            throw new UncheckedIOException("cannot listen on " + requested + ": " + reason(e),
                    e instanceof IOException io ? io : new IOException(e));
        }
        RpcServer started = new RpcServer(name, HostAndPort.fromParts(host, server.getPort()).toString(),
                server.getPort(), server, executor, protocolErrors);
        LOG.info("RPC server {} listening on {}{}", name, started.address,
                auth.isPresent() ? " (calls must authenticate)" : "");
        return started;
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
        }
        LOG.debug("RPC server {} on {} closed", name, address);
    }

    @Override
    public String toString() {
        return "RpcServer[" + name + " on " + address + (closed.get() ? ", closed" : "") + "]";
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
