package io.ember.shuffle.sort;

import static java.util.Objects.requireNonNull;

import com.sun.management.UnixOperatingSystemMXBean;
import io.ember.api.shuffle.ConnectionLimits;
import io.ember.api.shuffle.ShuffleService;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultEventExecutorGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutorGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A shuffle server: serves the map output of the executors in its {@link ExecutorRegistry} over the
 * protocol of {@link MessageCodec}. It is the external shuffle service of a worker host (clients
 * register executors; the registry is persisted) or an executor's own server when there is no
 * service (the executor registers itself locally; no registrations over the network).
 *
 * <p>Network I/O runs on Netty event loops; requests run on a small blocking executor, because
 * they read index files. Blocks are sent as file regions (zero-copy) or chunks.
 *
 * <p>Connections are held to the config's {@link io.ember.api.shuffle.ConnectionLimits}: a
 * {@link ConnectionGate} on the listening channel caps them and closes those that do not
 * authenticate in time, an {@link IdleStateHandler} closes idle ones, and a {@link FrameDecoder}
 * refuses oversized frames before allocating them. What strangers cause is logged through
 * {@link RateLimitedWarning}s, at most a line per kind per ten seconds.
 *
 * <p>Thread-safe. {@link #close()} is idempotent; the registry stays persisted for the next start.
 */
final class ShuffleServer implements ShuffleService {

    private static final Logger LOG = LoggerFactory.getLogger(ShuffleServer.class);
    private static final int REQUEST_THREADS = 4;
    /** How long the request executor waits for the last events of closed connections before it stops. */
    private static final long QUIET_MILLIS = 50;

    private final ShuffleServerConfig config;
    private final ExecutorRegistry registry;
    private final EventLoopGroup bossGroup;
    private final EventLoopGroup ioGroup;
    private final EventExecutorGroup requestGroup;
    private final ChannelGroup channels;
    private final ConnectionGate gate;
    private final Channel serverChannel;
    private final int port;
    private final AtomicBoolean closed = new AtomicBoolean();

    private ShuffleServer(ShuffleServerConfig config, ExecutorRegistry registry) {
        this.config = requireNonNull(config, "config is null");
        this.registry = requireNonNull(registry, "registry is null");
        Optional<ShuffleAuth> auth = config.secret().map(ShuffleAuth::new);
        this.bossGroup = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("ember-shuffle-accept", true),
                NioIoHandler.newFactory());
        this.ioGroup = new MultiThreadIoEventLoopGroup(0, new DefaultThreadFactory("ember-shuffle-io", true),
                NioIoHandler.newFactory());
        this.requestGroup = new DefaultEventExecutorGroup(REQUEST_THREADS,
                new DefaultThreadFactory("ember-shuffle-request", true));
        this.channels = new DefaultChannelGroup("ember-shuffle", GlobalEventExecutor.INSTANCE);
        Clock clock = Clock.systemUTC();
        this.gate = new ConnectionGate(config.limits(), auth.isPresent(), new RateLimitedWarning(LOG, clock),
                new RateLimitedWarning(LOG, clock));
        RateLimitedWarning protocolWarning = new RateLimitedWarning(LoggerFactory.getLogger(ShuffleServerHandler.class),
                clock);
        RateLimitedWarning refusals = new RateLimitedWarning(LoggerFactory.getLogger(ShuffleServerHandler.class), clock);
        long idleNanos = config.limits().idleTimeout().toNanos();
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(bossGroup, ioGroup)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .handler(gate)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channels.add(channel);
                        FrameDecoder frames = new FrameDecoder(auth.isPresent());
                        channel.pipeline()
                                .addLast("idle", new IdleStateHandler(true, 0, 0, idleNanos, TimeUnit.NANOSECONDS))
                                .addLast("frames", frames)
                                .addLast("chunks", new ChunkedWriteHandler())
                                .addLast("requests", new ShuffleServerHandler(registry, auth, config,
                                        ShuffleServer.this::remove, requestGroup.next(),
                                        new ShuffleServerHandler.Guards(frames, gate, protocolWarning, refusals)));
                    }
                });
        try {
            this.serverChannel = bootstrap.bind(config.host(), config.port()).sync().channel();
        } catch (Exception e) {
            shutDownThreads();
            throw new UncheckedIOException("cannot listen on " + config.host() + ":" + config.port() + ": "
                    + e.getMessage(), e instanceof IOException io ? io : new IOException(e));
        }
        this.port = ((InetSocketAddress) serverChannel.localAddress()).getPort();
        gate.describeServer("shuffle server on " + config.host() + ":" + port);
        LOG.info("Shuffle server listening on {}:{} ({})", config.host(), port, config);
        warnAboveOpenFileLimit(config.limits().maxConnections());
    }

    /**
     * One WARN line when this process may not open as many files as the server would admit
     * connections: the operating system would then refuse connections before the server's own
     * limit does, and the process would run out of descriptors for its files too.
     */
    private void warnAboveOpenFileLimit(int maxConnections) {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean unix) {
            long limit = unix.getMaxFileDescriptorCount();
            if (maxConnections >= limit) {
                LOG.warn("The shuffle server on {}:{} admits up to {} connections "
                        + "(ember.shuffle.service.maxConnections), but this process may open only {} files "
                        + "(ulimit -n): raise the limit or lower the setting", config.host(), port, maxConnections,
                        limit);
            }
        }
    }

    /** The gate its connections pass: for tests to read what it refused. */
    ConnectionGate gate() {
        return gate;
    }

    /**
     * Starts a server.
     *
     * @throws UncheckedIOException when it cannot listen
     */
    static ShuffleServer start(ShuffleServerConfig config, ExecutorRegistry registry) {
        return new ShuffleServer(config, registry);
    }

    /**
     * Starts the external shuffle service of a host, remembering the executors registered in
     * {@code stateDir} before a restart.
     *
     * @throws UncheckedIOException when it cannot read its state or listen
     */
    static ShuffleServer startService(String host, int port, Path stateDir, Optional<String> secret) {
        return startService(host, port, stateDir, secret, ConnectionLimits.DEFAULTS);
    }

    /**
     * As {@link #startService(String, int, Path, Optional)}, holding its connections to {@code limits}.
     *
     * @throws UncheckedIOException when it cannot read its state or listen
     */
    static ShuffleServer startService(String host, int port, Path stateDir, Optional<String> secret,
                                      ConnectionLimits limits) {
        return start(new ShuffleServerConfig(host, port, secret, true, true, limits),
                ExecutorRegistry.persistent(stateDir));
    }

    /** The executors it serves. */
    ExecutorRegistry registry() {
        return registry;
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public void applicationRemoved(String applicationId) {
        remove(requireNonNull(applicationId, "applicationId is null"));
    }

    /**
     * The applications it holds anything of: those with registered executors, and those with a
     * directory below its root (left by a registration whose state was lost).
     */
    @Override
    public Set<String> applications() {
        Set<String> apps = new TreeSet<>(registry.applications());
        if (registry.directories().isPresent()) {
            try {
                apps.addAll(registry.directories().get().applications());
            } catch (IOException e) {
                LOG.warn("Cannot list the applications in {}: {}", registry.directories().get().root(), e.toString());
            }
        }
        return Set.copyOf(apps);
    }

    /**
     * Forgets an application and deletes {@code <root>/<appId>}, the directory this service created
     * for it: never a path a message or the state file named. An executor's own server deletes nothing.
     */
    private void remove(String appId) {
        int executors = registry.remove(appId);
        if (registry.directories().isEmpty() || !ServiceDirectories.isId(appId)) {
            return;
        }
        ServiceDirectories directories = registry.directories().get();
        boolean deleted;
        try {
            deleted = directories.deleteApplication(appId);
        } catch (IOException e) {
            LOG.warn("Cannot delete the shuffle files of application {} in {}: {}", ExecutorRegistry.quote(appId),
                    directories.root(), e.getMessage());
            return;
        }
        if (executors > 0 || deleted) {
            LOG.info("Application {} ended: forgot {} executor(s){}", ExecutorRegistry.quote(appId), executors,
                    deleted ? ", deleted their shuffle files" : "");
        }
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        serverChannel.close().awaitUninterruptibly();
        channels.close().awaitUninterruptibly();
        shutDownThreads();
        LOG.info("Shuffle server on {}:{} stopped", config.host(), port);
    }

    /**
     * Stops the request executor first, while the event loops still take the events it forwards,
     * then the event loops.
     */
    private void shutDownThreads() {
        requestGroup.shutdownGracefully(QUIET_MILLIS, 2_000, TimeUnit.MILLISECONDS).awaitUninterruptibly();
        ioGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        bossGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        ioGroup.terminationFuture().awaitUninterruptibly();
        bossGroup.terminationFuture().awaitUninterruptibly();
    }

    @Override
    public String toString() {
        return "ShuffleServer[" + config.host() + ":" + port + ", " + registry + "]";
    }
}
