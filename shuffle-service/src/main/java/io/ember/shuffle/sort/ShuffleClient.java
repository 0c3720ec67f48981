package io.ember.shuffle.sort;

import static java.util.Objects.requireNonNull;

import io.ember.api.shuffle.ShuffleBlockId;
import io.ember.shuffle.sort.ShuffleMessage.ApplicationRemoved;
import io.ember.shuffle.sort.ShuffleMessage.BlockError;
import io.ember.shuffle.sort.ShuffleMessage.Error;
import io.ember.shuffle.sort.ShuffleMessage.FetchBlocks;
import io.ember.shuffle.sort.ShuffleMessage.Ok;
import io.ember.shuffle.sort.ShuffleMessage.RegisterExecutor;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The client of shuffle servers: one connection per server address, opened on first use and again
 * after it closed, authenticated with the shared secret when the server asks. Requests are matched
 * to their replies by id, so many fetches share a connection.
 *
 * <p>Thread-safe. Listeners and futures complete on Netty event loops. {@link #close()} is
 * idempotent and fails whatever is pending.
 */
final class ShuffleClient implements AutoCloseable {

    private static final int CONNECT_TIMEOUT_MILLIS = 30_000;

    private final Optional<ShuffleAuth> auth;
    private final EventLoopGroup group;
    private final Map<String, CompletableFuture<ClientHandler>> connections = new ConcurrentHashMap<>();
    private final AtomicLong nextRequestId = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();

    /** @param secret the shared secret to authenticate with, when set */
    ShuffleClient(Optional<String> secret) {
        this.auth = requireNonNull(secret, "secret is null").map(ShuffleAuth::new);
        this.group = new MultiThreadIoEventLoopGroup(2, new DefaultThreadFactory("ember-shuffle-client", true),
                NioIoHandler.newFactory());
    }

    /** Registers an executor's directories with a shuffle service; completes when it acknowledged. */
    CompletableFuture<Void> register(String host, int port, String appId, String executorId, List<Path> localDirs) {
        long id = nextRequestId.incrementAndGet();
        return acknowledged(host, port, id, new RegisterExecutor(id, appId, executorId,
                localDirs.stream().map(Path::toString).toList()));
    }

    /** Tells a shuffle service that an application ended; completes when it acknowledged. */
    CompletableFuture<Void> removeApplication(String host, int port, String appId) {
        long id = nextRequestId.incrementAndGet();
        return acknowledged(host, port, id, new ApplicationRemoved(id, appId));
    }

    /**
     * Fetches blocks of one executor from a server; {@code listener} hears exactly once about each.
     *
     * @param blockIds the blocks; none is a request that completes at once
     */
    void fetch(String host, int port, String appId, String executorId, List<ShuffleBlockId> blockIds,
               BlockListener listener) {
        requireNonNull(listener, "listener is null");
        if (blockIds.isEmpty()) {
            return;
        }
        long id = nextRequestId.incrementAndGet();
        FetchBlocks request = new FetchBlocks(id, appId, executorId,
                blockIds.stream().map(ShuffleBlockId::toString).toList());
        PendingFetch pending = new PendingFetch(blockIds, listener);
        connection(host, port).whenComplete((handler, failure) -> {
            if (failure != null) {
                pending.onFailure(failure);
            } else {
                handler.send(id, request, pending);
            }
        });
    }

    private CompletableFuture<Void> acknowledged(String host, int port, long id, ShuffleMessage request) {
        CompletableFuture<Void> result = new CompletableFuture<>();
        connection(host, port).whenComplete((handler, failure) -> {
            if (failure != null) {
                result.completeExceptionally(failure);
                return;
            }
            handler.send(id, request, new ClientHandler.PendingRequest() {
                @Override
                public boolean onReply(Object reply) {
                    if (reply instanceof Ok) {
                        result.complete(null);
                    } else if (reply instanceof Error error) {
                        result.completeExceptionally(new IOException(host + ":" + port + " refused: " + error.message()));
                    } else {
                        throw new MalformedFrameException("unexpected reply " + reply.getClass().getSimpleName());
                    }
                    return true;
                }

                @Override
                public void onFailure(Throwable cause) {
                    result.completeExceptionally(cause);
                }
            });
        });
        return result;
    }

    private CompletableFuture<ClientHandler> connection(String host, int port) {
        if (closed.get()) {
            return CompletableFuture.failedFuture(new IOException("the shuffle client is closed"));
        }
        String address = host + ":" + port;
        return connections.compute(address, (key, existing) -> {
            if (existing != null && (!existing.isDone() || (!existing.isCompletedExceptionally()
                    && existing.join().isOpen()))) {
                return existing;
            }
            return connect(address, host, port);
        });
    }

    private CompletableFuture<ClientHandler> connect(String address, String host, int port) {
        ClientHandler handler = new ClientHandler(address, auth);
        ChannelFuture connected = new Bootstrap()
                .group(group)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channel.pipeline().addLast("replies", new ResponseDecoder()).addLast("client", handler);
                    }
                })
                .connect(host, port);
        connected.addListener(future -> {
            if (!future.isSuccess()) {
                handler.ready().completeExceptionally(new IOException("cannot connect to " + address + ": "
                        + future.cause().getMessage(), future.cause()));
            }
        });
        return handler.ready();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        for (CompletableFuture<ClientHandler> connection : connections.values()) {
            connection.thenAccept(ClientHandler::close);
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
    }

    @Override
    public String toString() {
        return "ShuffleClient[" + connections.size() + " connection(s)" + (auth.isPresent() ? ", authenticated" : "")
                + "]";
    }

    /** The replies of one fetch, handed to its listener block by block. */
    private static final class PendingFetch implements ClientHandler.PendingRequest {

        private final BlockListener listener;
        private final Map<String, ShuffleBlockId> remaining = new ConcurrentHashMap<>();

        PendingFetch(List<ShuffleBlockId> blockIds, BlockListener listener) {
            this.listener = listener;
            for (ShuffleBlockId id : blockIds) {
                remaining.put(id.toString(), id);
            }
        }

        @Override
        public boolean onReply(Object reply) {
            if (reply instanceof FetchedBlock block) {
                listener.onBlock(take(block.blockId()), block);
            } else if (reply instanceof BlockError error) {
                listener.onFailure(take(error.blockId()), error.message(), null);
            } else if (reply instanceof Error error) {
                // the whole request was refused (unknown application or executor): nothing is served there
                failAll(error.message(), new java.io.IOException(error.message()));
            } else {
                throw new MalformedFrameException("unexpected reply " + reply.getClass().getSimpleName());
            }
            return remaining.isEmpty();
        }

        private ShuffleBlockId take(String blockId) {
            ShuffleBlockId id = remaining.remove(blockId);
            if (id == null) {
                throw new MalformedFrameException("a block that was not requested: " + ExecutorRegistry.quote(blockId));
            }
            return id;
        }

        @Override
        public void onFailure(Throwable cause) {
            failAll(cause.getMessage(), cause);
        }

        private void failAll(String reason, Throwable cause) {
            Set<String> ids = new HashSet<>(remaining.keySet());
            for (String id : ids) {
                ShuffleBlockId block = remaining.remove(id);
                if (block != null) {
                    listener.onFailure(block, reason, cause);
                }
            }
        }
    }
}
