package io.ember.core.rpc;

import static java.util.Objects.requireNonNull;

import com.google.common.net.HostAndPort;
import io.grpc.Channel;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The client side of the control plane: one channel per peer {@code host:port}, created on first
 * use and shared by every caller (a channel multiplexes any number of calls and reconnects by
 * itself).
 *
 * <p>Channels are plaintext HTTP/2 with keepalive (a ping after {@link RpcServer#KEEPALIVE} of
 * silence, also without calls, so a dead peer is noticed), accept messages up to
 * {@link RpcServer#MAX_MESSAGE_BYTES}, and, when a secret is given, sign every call
 * ({@link ClientAuthInterceptor}). Asynchronous and streaming callbacks run on a small pool of
 * daemon threads named {@code ember-rpc-<name>-N}; blocking stubs run on the caller's thread.
 *
 * <p>Thread-safe. {@link #close()} is idempotent; after it, {@link #channel} is refused.
 */
public final class RpcChannels implements AutoCloseable {

    private static final long CLOSE_GRACE_MILLIS = 1_000;

    private final Optional<ClientAuthInterceptor> auth;
    private final ExecutorService executor;
    private final ConcurrentMap<String, ManagedChannel> channels = new ConcurrentHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * @param name names the callback threads, e.g. {@code worker-client}
     * @param secret {@code ember.auth.secret}: when present, every call is signed with it
     */
    public RpcChannels(String name, Optional<String> secret) {
        requireNonNull(name, "name is null");
        requireNonNull(secret, "secret is null");
        if (name.isBlank()) {
            throw new IllegalArgumentException("name is blank");
        }
        this.auth = secret.map(ClientAuthInterceptor::new);
        this.executor = RpcExecutors.pool(name);
    }

    /**
     * The channel to {@code address} ({@code host:port}, IPv6 hosts in brackets), created on first
     * use. Creating one does not connect: the first call does.
     *
     * @throws IllegalArgumentException when {@code address} is not {@code host:port}
     * @throws IllegalStateException once closed
     */
    public Channel channel(String address) {
        requireNonNull(address, "address is null");
        ManagedChannel channel = channels.get(address);
        if (channel == null) {
            checkOpen();
            channel = channels.computeIfAbsent(address, this::open);
            if (closed.get()) {   // raced with close(): do not leave this one behind
                channels.remove(address, channel);
                channel.shutdownNow();
                checkOpen();
            }
        }
        return channel;
    }

    /**
     * Forgets the channel to {@code address}, if any: its running calls may finish, the next
     * {@link #channel} call opens a new one. For a peer that moved or went away for good.
     */
    public void evict(String address) {
        requireNonNull(address, "address is null");
        ManagedChannel channel = channels.remove(address);
        if (channel != null) {
            channel.shutdown();
        }
    }

    /** Closes every channel (running calls get a moment to finish, then are cancelled). Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        List<ManagedChannel> closing = new ArrayList<>(channels.values());
        channels.clear();
        closing.forEach(ManagedChannel::shutdown);
        try {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSE_GRACE_MILLIS);
            for (ManagedChannel channel : closing) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !channel.awaitTermination(left, TimeUnit.NANOSECONDS)) {
                    channel.shutdownNow();
                }
            }
        } catch (InterruptedException e) {
            closing.forEach(ManagedChannel::shutdownNow);
            Thread.currentThread().interrupt();
        } finally {
            executor.shutdownNow();
        }
    }

    @Override
    public String toString() {
        return "RpcChannels[" + channels.keySet() + (closed.get() ? ", closed" : "") + "]";
    }

    private ManagedChannel open(String address) {
        HostAndPort target = parse(address);
        NettyChannelBuilder builder = NettyChannelBuilder.forAddress(target.getHost(), target.getPort())
                .usePlaintext()
                .executor(executor)
                .maxInboundMessageSize(RpcServer.MAX_MESSAGE_BYTES)
                .keepAliveTime(RpcServer.KEEPALIVE.toMillis(), TimeUnit.MILLISECONDS)
                .keepAliveTimeout(RpcServer.KEEPALIVE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .keepAliveWithoutCalls(true);
        auth.ifPresent(builder::intercept);
        return builder.build();
    }

    private static HostAndPort parse(String address) {
        HostAndPort target;
        try {
            target = HostAndPort.fromString(address);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a host:port address: " + address, e);
        }
        if (!target.hasPort() || target.getHost().isEmpty() || target.getPort() == 0) {
            throw new IllegalArgumentException("not a host:port address: " + address);
        }
        return target;
    }

    private void checkOpen() {
        if (closed.get()) {
            throw new IllegalStateException("RPC channels are closed");
        }
    }
}
