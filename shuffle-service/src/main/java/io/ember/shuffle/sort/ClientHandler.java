package io.ember.shuffle.sort;

import static java.util.Objects.requireNonNull;

import io.ember.shuffle.sort.ShuffleMessage.AuthResponse;
import io.ember.shuffle.sort.ShuffleMessage.Hello;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection of a {@link ShuffleClient} to a shuffle server: answers the server's hello
 * (authenticating when asked), then matches every reply to its pending request by id. When the
 * connection closes, every pending request fails.
 *
 * <p>Thread-safe: requests are sent from any thread; replies arrive on the connection's event loop.
 */
final class ClientHandler extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(ClientHandler.class);

    /** A request waiting for its replies. */
    interface PendingRequest {
        /** Takes one reply; returns whether the request is complete. */
        boolean onReply(Object reply);

        /** The request failed as a whole (the connection closed or the frame was refused). */
        void onFailure(Throwable cause);
    }

    private final String address;
    private final Optional<ShuffleAuth> auth;
    private final Duration replyTimeout;
    private final CompletableFuture<ClientHandler> ready = new CompletableFuture<>();
    private final Map<Long, PendingRequest> pending = new ConcurrentHashMap<>();
    private volatile Channel channel;
    private volatile boolean closed;
    private volatile String closeReason = "the connection closed";
    private volatile boolean worthNoRetry;

    /** @param replyTimeout how long the connection may stay silent while requests wait (an {@link IdleStateHandler} says when) */
    ClientHandler(String address, Optional<ShuffleAuth> auth, Duration replyTimeout) {
        this.address = requireNonNull(address, "address is null");
        this.auth = requireNonNull(auth, "auth is null");
        this.replyTimeout = requireNonNull(replyTimeout, "replyTimeout is null");
    }

    /** Completes when the server's hello was answered; fails when the connection closes before. */
    CompletableFuture<ClientHandler> ready() {
        return ready;
    }

    /** Sends a request; its replies go to {@code request}, or a failure when it cannot be sent. */
    void send(long requestId, ShuffleMessage message, PendingRequest request) {
        pending.put(requestId, request);
        if (closed) {
            failPending(requestId, new IOException("connection to " + address + " closed: " + closeReason));
            return;
        }
        channel.writeAndFlush(MessageCodec.encode(message, channel.alloc())).addListener(future -> {
            if (!future.isSuccess()) {
                failPending(requestId, new IOException("cannot send to " + address + ": " + future.cause().getMessage(),
                        future.cause()));
            }
        });
    }

    /** Whether the connection is still usable. */
    boolean isOpen() {
        return !closed && channel != null && channel.isActive();
    }

    /** Closes the connection; pending requests fail. */
    void close() {
        Channel c = channel;
        if (c != null) {
            c.close();
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
        if (message instanceof Hello hello) {
            if (ready.isDone()) {
                throw new MalformedFrameException("a second hello");
            }
            if (hello.authRequired()) {
                if (auth.isEmpty()) {
                    closeReason = "the server requires authentication and no ember.auth.secret is set";
                    worthNoRetry = true;
                    ctx.close();
                    return;
                }
                ctx.writeAndFlush(MessageCodec.encode(new AuthResponse(auth.get().respond(hello.nonce())), ctx.alloc()));
            }
            ready.complete(this);
            return;
        }
        long requestId = requestIdOf(message);
        PendingRequest request = pending.get(requestId);
        if (request == null) {
            if (message instanceof FetchedBlock block) {
                block.discard();
            }
            throw new MalformedFrameException("a reply to no pending request (" + requestId + ")");
        }
        boolean done;
        try {
            done = request.onReply(message);
        } catch (MalformedFrameException e) {
            pending.remove(requestId);
            request.onFailure(e);
            throw e;
        }
        if (done) {
            pending.remove(requestId);
        }
    }

    private static long requestIdOf(Object message) {
        if (message instanceof FetchedBlock m) {
            return m.requestId();
        } else if (message instanceof ShuffleMessage.BlockError m) {
            return m.requestId();
        } else if (message instanceof ShuffleMessage.Ok m) {
            return m.requestId();
        } else if (message instanceof ShuffleMessage.Registered m) {
            return m.requestId();
        } else if (message instanceof ShuffleMessage.Error m) {
            return m.requestId();
        }
        throw new MalformedFrameException("a server does not send " + message.getClass().getSimpleName());
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closed = true;
        if (!ready.isDone() && !worthNoRetry) {
            closeReason = "the server closed it before greeting it (a server at its connection limit, "
                    + "ember.shuffle.service.maxConnections, closes new connections at once)";
        }
        IOException cause = worthNoRetry ? new NotRetryableException("connection to " + address + " closed: "
                + closeReason) : new IOException("connection to " + address + " closed: " + closeReason);
        ready.completeExceptionally(cause);
        for (Long requestId : pending.keySet()) {
            failPending(requestId, cause);
        }
        ctx.fireChannelInactive();
    }

    private void failPending(long requestId, Throwable cause) {
        PendingRequest request = pending.remove(requestId);
        if (request != null) {
            request.onFailure(cause);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof MalformedFrameException || cause instanceof DecoderException) {
            Throwable reason = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
            closeReason = "malformed reply: " + reason.getMessage();
            worthNoRetry = true;
            LOG.warn("Closing shuffle connection to {}: {}", address, closeReason);
        } else if (cause instanceof IOException) {
            closeReason = cause.getMessage();
            LOG.debug("Shuffle connection to {} failed: {}", address, cause.getMessage());
        } else {
            closeReason = "unexpected error: " + cause;
            worthNoRetry = true;
            LOG.warn("Closing shuffle connection to {} after an unexpected error", address, cause);
        }
        ctx.close();
    }

    /**
     * Closes the connection when nothing arrived for the reply timeout while the hello or requests
     * wait: their failure names the silence and is not retried. An idle connection with nothing
     * waiting stays open (the server closes it at its own idle timeout).
     */
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof IdleStateEvent && (!ready.isDone() || !pending.isEmpty())) {
            closeReason = "nothing arrived from the server for " + replyTimeout.toMillis() + " ms while "
                    + (ready.isDone() ? pending.size() + " request(s) waited" : "its greeting was awaited")
                    + " (a block it announced may be shorter than it said)";
            worthNoRetry = true;
            LOG.warn("Closing shuffle connection to {}: {}", address, closeReason);
            ctx.close();
            return;
        }
        ctx.fireUserEventTriggered(event);
    }

    /** A failure that trying again on a new connection cannot mend. */
    static final class NotRetryableException extends IOException {

        private static final long serialVersionUID = 1L;

        NotRetryableException(String message) {
            super(message);
        }
    }

    @Override
    public String toString() {
        return "ClientHandler[" + address + (closed ? ", closed" : "") + "]";
    }
}
