package io.ember.shuffle.sort;

import static java.util.Objects.requireNonNull;

import io.ember.api.shuffle.ConnectionLimits;
import io.ember.api.shuffle.ShuffleBlockId;
import io.ember.shuffle.sort.ShuffleMessage.ApplicationRemoved;
import io.ember.shuffle.sort.ShuffleMessage.ShuffleRemoved;
import io.ember.shuffle.sort.ShuffleMessage.BlockError;
import io.ember.shuffle.sort.ShuffleMessage.Error;
import io.ember.shuffle.sort.ShuffleMessage.FetchBlocks;
import io.ember.shuffle.sort.ShuffleMessage.Ok;
import io.ember.shuffle.sort.ShuffleMessage.RegisterExecutor;
import io.ember.shuffle.sort.ShuffleMessage.Registered;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

// Longer than 400 lines because a connection's pending requests, their retry on a new connection
// and the reply timeout share one state per server; the frames are in MessageCodec and the
// handler in ClientHandler.
/**
 * The client of shuffle servers: one connection per server address, opened on first use and again
 * after it closed, authenticated with the shared secret when the server asks. Requests are matched
 * to their replies by id, so many fetches share a connection. A request whose connection fails
 * before it is answered (it cannot be opened, or the server closes it: at its connection limit, or
 * as idle just as the request went out) is sent again, what is left of it, on a new connection, up
 * to {@code RETRY_DELAYS_MILLIS.length} times; a refusal the server answers is not retried. A
 * connection on which requests wait and nothing arrives for the reply timeout (the idle timeout of
 * {@code ember.shuffle.service.*}, 2 min by default) is closed and its requests fail, not retried:
 * a server that stops in the middle of a block cannot hold a reader for ever.
 *
 * <p>Thread-safe. Listeners and futures complete on Netty event loops. {@link #close()} is
 * idempotent and fails whatever is pending.
 */
final class ShuffleClient implements AutoCloseable {

    /** How long to wait before each new attempt of a request whose connection failed. */
    static final long[] RETRY_DELAYS_MILLIS = {100, 500, 2_000};

    private final Optional<ShuffleAuth> auth;
    private final long[] retryDelaysMillis;
    private final Duration replyTimeout;
    private final Duration connectTimeout;
    private final FetchToDisk toDisk;
    private final EventLoopGroup group;
    private final Map<String, CompletableFuture<ClientHandler>> connections = new ConcurrentHashMap<>();
    private final AtomicLong nextRequestId = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();

    /** @param secret the shared secret to authenticate with, when set */
    ShuffleClient(Optional<String> secret) {
        this(secret, ConnectionLimits.DEFAULTS.idleTimeout());
    }

    /**
     * @param secret the shared secret to authenticate with, when set
     * @param replyTimeout how long a connection with waiting requests may stay silent before it is closed
     */
    ShuffleClient(Optional<String> secret, Duration replyTimeout) {
        this(secret, replyTimeout, ConnectionLimits.DEFAULT_CONNECT_TIMEOUT, RETRY_DELAYS_MILLIS);
    }

    /**
     * @param secret the shared secret to authenticate with, when set
     * @param limits the idle timeout (how long a connection with waiting requests may stay silent
     *     before it is closed) and the connect timeout (after which a request fails, not retried)
     */
    ShuffleClient(Optional<String> secret, ConnectionLimits limits) {
        this(secret, limits, FetchToDisk.NEVER);
    }

    /**
     * As the constructor above, writing blocks larger than {@code toDisk}'s threshold to files as they
     * arrive instead of holding them in memory.
     */
    ShuffleClient(Optional<String> secret, ConnectionLimits limits, FetchToDisk toDisk) {
        this(secret, limits.idleTimeout(), limits.connectTimeout(), RETRY_DELAYS_MILLIS, toDisk);
    }

    /** A client that retries a request whose connection failed after each of {@code retryDelaysMillis} (for tests). */
    ShuffleClient(Optional<String> secret, Duration replyTimeout, Duration connectTimeout, long[] retryDelaysMillis) {
        this(secret, replyTimeout, connectTimeout, retryDelaysMillis, FetchToDisk.NEVER);
    }

    private ShuffleClient(Optional<String> secret, Duration replyTimeout, Duration connectTimeout,
                          long[] retryDelaysMillis, FetchToDisk toDisk) {
        this.toDisk = requireNonNull(toDisk, "toDisk is null");
        this.auth = requireNonNull(secret, "secret is null").map(ShuffleAuth::new);
        this.replyTimeout = requireNonNull(replyTimeout, "replyTimeout is null");
        if (replyTimeout.isNegative() || replyTimeout.isZero()) {
            throw new IllegalArgumentException("replyTimeout must be > 0: " + replyTimeout);
        }
        this.connectTimeout = requireNonNull(connectTimeout, "connectTimeout is null");
        if (connectTimeout.isNegative() || connectTimeout.isZero() || connectTimeout.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("connectTimeout must be > 0 and fit in an int of milliseconds: "
                    + connectTimeout);
        }
        this.retryDelaysMillis = retryDelaysMillis.clone();
        this.group = new MultiThreadIoEventLoopGroup(2, new DefaultThreadFactory("ember-shuffle-client", true),
                NioIoHandler.newFactory());
    }

    /**
     * Registers an executor with a shuffle service, which creates {@code dirCount} directories for
     * its output; completes with them, in order. Directories that are not absolute, or not as many
     * as asked for, fail it.
     */
    CompletableFuture<List<Path>> register(String host, int port, String appId, String executorId, int dirCount) {
        return replied(host, port, id -> new RegisterExecutor(id, appId, executorId, dirCount), reply -> {
            if (!(reply instanceof Registered registered)) {
                throw new MalformedFrameException("unexpected reply " + reply.getClass().getSimpleName()
                        + " to a registration");
            }
            return directories(registered.dirs(), dirCount);
        });
    }

    private static List<Path> directories(List<String> named, int expected) {
        if (named.size() != expected) {
            throw new MalformedFrameException("the service named " + named.size() + " directories, not " + expected);
        }
        List<Path> dirs = new ArrayList<>(named.size());
        for (String text : named) {
            Path dir;
            try {
                dir = Path.of(text);
            } catch (InvalidPathException e) {
                throw new MalformedFrameException("the service named a directory that is no path: "
                        + ExecutorRegistry.quote(text));
            }
            if (!dir.isAbsolute() || !dir.equals(dir.normalize())) {
                throw new MalformedFrameException("the service named a directory that is not absolute and normalized: "
                        + ExecutorRegistry.quote(text));
            }
            dirs.add(dir);
        }
        return List.copyOf(dirs);
    }

    /** Tells a shuffle service that an application ended; completes when it acknowledged. */
    CompletableFuture<Void> removeApplication(String host, int port, String appId) {
        return replied(host, port, id -> new ApplicationRemoved(id, appId), reply -> {
            if (!(reply instanceof Ok)) {
                throw new MalformedFrameException("unexpected reply " + reply.getClass().getSimpleName());
            }
            return null;
        });
    }

    /**
     * Tells a shuffle service that the application's driver cleaned up a shuffle: it deletes the
     * shuffle's files of every executor of the application it serves. Completes when it acknowledged.
     */
    CompletableFuture<Void> removeShuffle(String host, int port, String appId, int shuffleId) {
        return replied(host, port, id -> new ShuffleRemoved(id, appId, shuffleId), reply -> {
            if (!(reply instanceof Ok)) {
                throw new MalformedFrameException("unexpected reply " + reply.getClass().getSimpleName());
            }
            return null;
        });
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
        PendingFetch pending = new PendingFetch(blockIds, listener);
        send(host, port, 0, id -> new FetchBlocks(id, appId, executorId, pending.remainingIds()), pending);
    }

    /** Sends a request answered by one reply, which {@code success} turns into the result (or refuses). */
    private <T> CompletableFuture<T> replied(String host, int port, RequestFactory request,
                                             Function<Object, T> success) {
        CompletableFuture<T> result = new CompletableFuture<>();
        send(host, port, 0, request, new ClientHandler.PendingRequest() {
            @Override
            public boolean onReply(Object reply) {
                if (reply instanceof Error error) {
                    result.completeExceptionally(new IOException(host + ":" + port + " refused: " + error.message()));
                } else {
                    result.complete(success.apply(reply));
                }
                return true;
            }

            @Override
            public void onFailure(Throwable cause) {
                result.completeExceptionally(cause);
            }
        });
        return result;
    }

    /**
     * Sends a request built for a fresh id; when its connection fails before the request is
     * answered (it could not be opened, the server closed it at its connection limit or as idle
     * just as the request went out), sends what is still unanswered again on a new connection,
     * after {@link #RETRY_DELAYS_MILLIS}; then the failure goes to {@code request}.
     */
    private void send(String host, int port, int attempt, RequestFactory factory, ClientHandler.PendingRequest request) {
        long id = nextRequestId.incrementAndGet();
        ShuffleMessage message = factory.create(id);
        ClientHandler.PendingRequest thisAttempt = new ClientHandler.PendingRequest() {
            @Override
            public boolean onReply(Object reply) {
                return request.onReply(reply);
            }

            @Override
            public void onFailure(Throwable cause) {
                if (!retry(host, port, attempt, factory, request, cause)) {
                    request.onFailure(cause);
                }
            }
        };
        connection(host, port).whenComplete((handler, failure) -> {
            if (failure != null) {
                thisAttempt.onFailure(failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure);
            } else {
                handler.send(id, message, thisAttempt);
            }
        });
    }

    private boolean retry(String host, int port, int attempt, RequestFactory factory,
                          ClientHandler.PendingRequest request, Throwable cause) {
        if (closed.get() || attempt >= retryDelaysMillis.length || !(cause instanceof IOException)
                || cause instanceof ClientHandler.NotRetryableException) {
            return false;
        }
        try {
            group.schedule(() -> send(host, port, attempt + 1, factory, request), retryDelaysMillis[attempt],
                    TimeUnit.MILLISECONDS);
            return true;
        } catch (RejectedExecutionException closing) {
            return false;
        }
    }

    /** Builds a request for a request id. */
    @FunctionalInterface
    private interface RequestFactory {
        ShuffleMessage create(long requestId);
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
        ClientHandler handler = new ClientHandler(address, auth, replyTimeout);
        ChannelFuture connected = new Bootstrap()
                .group(group)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) connectTimeout.toMillis())
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channel.pipeline()
                                .addLast("silence", new IdleStateHandler(replyTimeout.toNanos(), 0, 0,
                                        TimeUnit.NANOSECONDS))
                                .addLast("replies", new ResponseDecoder(toDisk))
                                .addLast("client", handler);
                    }
                })
                .connect(host, port);
        connected.addListener(future -> {
            if (future.isSuccess()) {
                return;
            }
            if (future.cause() instanceof ConnectTimeoutException) {
                // The host answers nothing at all (down, or cut off): trying again only waits as long again.
                handler.ready().completeExceptionally(new ClientHandler.NotRetryableException("cannot connect to "
                        + address + ": no answer within " + connectTimeout.toMillis() + " ms"));
            } else {
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

        /** The blocks that neither arrived nor failed yet: what a new attempt asks for. */
        List<String> remainingIds() {
            return List.copyOf(remaining.keySet());
        }

        @Override
        public boolean onReply(Object reply) {
            if (reply instanceof FetchedBlock block) {
                ShuffleBlockId id;
                try {
                    id = take(block.blockId());
                } catch (MalformedFrameException e) {
                    block.discard();
                    throw e;
                }
                listener.onBlock(id, block);
            } else if (reply instanceof BlockError error) {
                listener.onFailure(take(error.blockId()), error.message(), null);
            } else if (reply instanceof Error error) {
                // the whole request was refused (unknown application or executor): nothing is served there
                failAll(error.message(), new IOException(error.message()));
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
