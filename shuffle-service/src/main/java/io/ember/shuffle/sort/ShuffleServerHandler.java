package io.ember.shuffle.sort;

import static java.util.Objects.requireNonNull;

import io.ember.api.shuffle.ShuffleBlockId;
import io.ember.shuffle.sort.ShuffleMessage.ApplicationRemoved;
import io.ember.shuffle.sort.ShuffleMessage.ShuffleRemoved;
import io.ember.shuffle.sort.ShuffleMessage.AuthResponse;
import io.ember.shuffle.sort.ShuffleMessage.BlockError;
import io.ember.shuffle.sort.ShuffleMessage.BlockHeader;
import io.ember.shuffle.sort.ShuffleMessage.Error;
import io.ember.shuffle.sort.ShuffleMessage.FetchBlocks;
import io.ember.shuffle.sort.ShuffleMessage.Hello;
import io.ember.shuffle.sort.ShuffleMessage.Ok;
import io.ember.shuffle.sort.ShuffleMessage.RegisterExecutor;
import io.ember.shuffle.sort.ShuffleMessage.RegisterExecutorDirs;
import io.ember.shuffle.sort.ShuffleMessage.Registered;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.DefaultFileRegion;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.stream.ChunkedNioFile;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.concurrent.EventExecutor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection to a {@link ShuffleServer}: authenticates it when a secret is set, then answers
 * its requests. A refused request (unknown application or executor, a bad block id or directory) is
 * answered with an error and the connection stays open; a malformed frame or a failed
 * authentication closes this connection only. Neither is logged with a stack trace, and both are
 * rate-limited ({@link RateLimitedWarning}). A connection idle for the idle timeout is closed.
 *
 * <p>One instance per connection. Events arrive on the connection's event loop, where the first
 * frame is checked as the answer to the challenge; each request after it is handled on the
 * connection's own request executor (it reads index files and opens data files), one at a time
 * and in order.
 */
final class ShuffleServerHandler extends SimpleChannelInboundHandler<ByteBuf> {

    private static final Logger LOG = LoggerFactory.getLogger(ShuffleServerHandler.class);
    private static final int CHUNK_BYTES = 64 << 10;

    private final ExecutorRegistry registry;
    private final Optional<ShuffleAuth> auth;
    private final ShuffleServerConfig config;
    private final ApplicationRemover remover;
    private final EventExecutor requests;
    private final Guards guards;
    private byte[] nonce;            // only on the event loop
    private boolean authenticated;   // only on the event loop

    /**
     * What holds a connection to the server's limits.
     *
     * @param frames the connection's frame decoder, whose limit rises once it authenticated
     * @param gate the server's gate, told when the connection authenticated
     * @param warning where lines about connections closed for a stranger's fault go
     * @param refusals where lines about refused requests and blocks that cannot be served go
     */
    record Guards(FrameDecoder frames, ConnectionGate gate, RateLimitedWarning warning, RateLimitedWarning refusals) {
        Guards {
            requireNonNull(frames, "frames is null");
            requireNonNull(gate, "gate is null");
            requireNonNull(warning, "warning is null");
            requireNonNull(refusals, "refusals is null");
        }
    }

    /** What the handler calls when a client reports an application's end. */
    @FunctionalInterface
    interface ApplicationRemover {
        void remove(String appId);
    }

    ShuffleServerHandler(ExecutorRegistry registry, Optional<ShuffleAuth> auth, ShuffleServerConfig config,
                         ApplicationRemover remover, EventExecutor requests, Guards guards) {
        this.registry = requireNonNull(registry, "registry is null");
        this.auth = requireNonNull(auth, "auth is null");
        this.config = requireNonNull(config, "config is null");
        this.remover = requireNonNull(remover, "remover is null");
        this.requests = requireNonNull(requests, "requests is null");
        this.guards = requireNonNull(guards, "guards is null");
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        nonce = auth.map(ShuffleAuth::newNonce).orElse(new byte[0]);
        ctx.writeAndFlush(MessageCodec.encode(new Hello(auth.isPresent(), nonce), ctx.alloc()))
                .addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        ctx.fireChannelActive();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
        if (auth.isPresent() && !authenticated) {
            authenticate(ctx, frame);
            return;
        }
        frame.retain();
        try {
            requests.execute(() -> {
                try {
                    handle(ctx, frame);
                } catch (RuntimeException e) {
                    exceptionCaught(ctx, e);
                } finally {
                    frame.release();
                }
            });
        } catch (RejectedExecutionException stopping) {
            frame.release();
            ctx.close();
        }
    }

    private void handle(ChannelHandlerContext ctx, ByteBuf frame) {
        if (!ctx.channel().isActive()) {
            return;
        }
        ShuffleMessage message = MessageCodec.decode(frame);
        if (message instanceof FetchBlocks fetch) {
            fetch(ctx, fetch);
        } else if (message instanceof RegisterExecutor register) {
            answer(ctx, register.requestId(), () -> {
                checkAcceptsRegistrations();
                List<Path> dirs = registry.create(register.appId(), register.executorId(), register.dirCount());
                LOG.info("Registered executor {} of application {}: its output goes to {}",
                        ExecutorRegistry.quote(register.executorId()), ExecutorRegistry.quote(register.appId()), dirs);
                return new Registered(register.requestId(), dirs.stream().map(Path::toString).toList());
            });
        } else if (message instanceof RegisterExecutorDirs old) {
            refuse(ctx, old.requestId(), "this shuffle service creates the directories of the executors it serves "
                    + "and takes none from a client; the executor runs an older version of Ember than the service");
        } else if (message instanceof ApplicationRemoved removed) {
            answer(ctx, removed.requestId(), () -> {
                checkAcceptsRegistrations();
                remover.remove(removed.appId());
                return new Ok(removed.requestId());
            });
        } else if (message instanceof ShuffleRemoved removed) {
            answer(ctx, removed.requestId(), () -> {
                checkAcceptsRegistrations();
                if (removed.shuffleId() < 0) {
                    throw new RefusedRequestException("a shuffle id must be >= 0: " + removed.shuffleId());
                }
                int deleted = registry.deleteShuffle(removed.appId(), removed.shuffleId());
                LOG.info("Deleted the files of shuffle {} of application {} ({} executor(s)): its driver cleaned it up",
                        removed.shuffleId(), ExecutorRegistry.quote(removed.appId()), deleted);
                return new Ok(removed.requestId());
            });
        } else {
            throw new MalformedFrameException("a client does not send " + message.getClass().getSimpleName());
        }
    }

    /**
     * Checks the connection's first frame, on the event loop (one HMAC): before the next frame is
     * cut, so that frame is already held to the limit the answer decides.
     */
    private void authenticate(ChannelHandlerContext ctx, ByteBuf frame) {
        ShuffleMessage message;
        try {
            message = MessageCodec.decode(frame);
        } catch (MalformedFrameException e) {
            message = null;
        }
        if (message instanceof AuthResponse response && auth.orElseThrow().verify(nonce, response.mac())) {
            authenticated = true;
            guards.frames().authenticated();
            guards.gate().authenticated(ctx.channel());
        } else {
            guards.warning().warn("Refused shuffle connection from " + ctx.channel().remoteAddress()
                    + ": it did not authenticate");
            ctx.close();
        }
    }

    private void fetch(ChannelHandlerContext ctx, FetchBlocks fetch) {
        List<ShuffleBlockId> ids = new ArrayList<>(fetch.blockIds().size());
        ShuffleFiles files;
        try {
            files = new ShuffleFiles(registry.dirsOf(fetch.appId(), fetch.executorId()));
            for (String text : fetch.blockIds()) {
                try {
                    ids.add(ShuffleBlockId.parse(text));
                } catch (IllegalArgumentException e) {
                    throw new RefusedRequestException(e.getMessage());
                }
            }
        } catch (RefusedRequestException e) {
            refuse(ctx, fetch.requestId(), e.getMessage());
            return;
        }
        for (ShuffleBlockId id : ids) {
            sendBlock(ctx, fetch.requestId(), files, id);
        }
        ctx.flush();
    }

    private void sendBlock(ChannelHandlerContext ctx, long requestId, ShuffleFiles files, ShuffleBlockId id) {
        ResolvedBlock block;
        FileChannel channel = null;
        try {
            block = ResolvedBlock.resolve(files, id);
            if (block.length() > 0) {
                channel = FileChannel.open(block.dataFile(), StandardOpenOption.READ);
            }
        } catch (IOException e) {
            guards.refusals().warn("Cannot serve " + id + " to " + ctx.channel().remoteAddress() + ": " + e.getMessage());
            ctx.write(MessageCodec.encode(new BlockError(requestId, id.toString(), e.getMessage()), ctx.alloc()))
                    .addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
            return;
        }
        ctx.write(MessageCodec.encode(new BlockHeader(requestId, id.toString(), block.length(), block.algorithm(),
                block.checksum()), ctx.alloc())).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        if (channel != null) {
            Object body = body(channel, block);
            ctx.write(body).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        }
    }

    private Object body(FileChannel channel, ResolvedBlock block) {
        if (config.zeroCopy()) {
            return new DefaultFileRegion(channel, block.offset(), block.length());
        }
        try {
            return new ChunkedNioFile(channel, block.offset(), block.length(), CHUNK_BYTES);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + block.dataFile(), e);   // only for a closed channel
        }
    }

    private void checkAcceptsRegistrations() throws RefusedRequestException {
        if (!config.acceptsRegistrations()) {
            throw new RefusedRequestException("this server serves one executor's own output and accepts no "
                    + "registrations");
        }
    }

    private void answer(ChannelHandlerContext ctx, long requestId, Action action) {
        ShuffleMessage reply;
        try {
            reply = action.run();
        } catch (RefusedRequestException | UncheckedIOException e) {
            refuse(ctx, requestId, e.getMessage());
            return;
        }
        ctx.writeAndFlush(MessageCodec.encode(reply, ctx.alloc())).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
    }

    private void refuse(ChannelHandlerContext ctx, long requestId, String reason) {
        guards.refusals().warn("Refused a request from " + ctx.channel().remoteAddress() + ": " + reason);
        ctx.writeAndFlush(MessageCodec.encode(new Error(requestId, reason), ctx.alloc()))
                .addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof MalformedFrameException || cause instanceof DecoderException) {
            guards.warning().warn("Closed shuffle connection from " + ctx.channel().remoteAddress() + ": "
                    + cause.getMessage());
        } else if (cause instanceof IOException || cause instanceof RejectedExecutionException) {
            LOG.debug("Shuffle connection from {} failed: {}", ctx.channel().remoteAddress(), cause.getMessage());
        } else {
            LOG.warn("Closed shuffle connection from {} after an unexpected error", ctx.channel().remoteAddress(),
                    cause);
        }
        ctx.close();
    }

    /** Closes a connection on which nothing was read or written for the idle timeout. */
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof IdleStateEvent) {
            LOG.debug("Closing shuffle connection from {}: idle for {} ms", ctx.channel().remoteAddress(),
                    config.limits().idleTimeout().toMillis());
            ctx.close();
            return;
        }
        ctx.fireUserEventTriggered(event);
    }

    /** A request's work, which may refuse it; returns the reply. */
    @FunctionalInterface
    private interface Action {
        ShuffleMessage run() throws RefusedRequestException;
    }

    @Override
    public String toString() {
        return "ShuffleServerHandler[" + config + "]";
    }
}
