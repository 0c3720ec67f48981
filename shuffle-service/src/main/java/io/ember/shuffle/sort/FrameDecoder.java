package io.ember.shuffle.sort;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;
import java.util.List;

/**
 * Cuts a shuffle server's input into the frames of {@link MessageCodec}: a big-endian {@code int}
 * length, then that many bytes. The length is checked against the limit as soon as its four bytes
 * are in, so an oversized or negative length closes the connection before anything is allocated
 * for the frame: only the bytes that actually arrived are ever held. A frame is passed on as a
 * slice of the input, not a copy.
 *
 * <p>Until the connection authenticates (when a secret is set) the limit is
 * {@link #UNAUTHENTICATED_MAX_FRAME_BYTES}, enough for the answer to the server's challenge and
 * nothing more; {@link #authenticated()} raises it to {@link MessageCodec#MAX_FRAME_BYTES}.
 *
 * <p>One instance per connection, used on its event loop only.
 */
final class FrameDecoder extends ByteToMessageDecoder {

    /** The largest frame of a connection that has not authenticated: an answer to the challenge is 35 bytes. */
    static final int UNAUTHENTICATED_MAX_FRAME_BYTES = 256;

    private int maxFrameBytes;
    private boolean authenticated;

    /** @param authRequired whether the connection must authenticate first (the lower limit holds until it did) */
    FrameDecoder(boolean authRequired) {
        this.authenticated = !authRequired;
        this.maxFrameBytes = authRequired ? UNAUTHENTICATED_MAX_FRAME_BYTES : MessageCodec.MAX_FRAME_BYTES;
    }

    /** The connection authenticated: frames up to {@link MessageCodec#MAX_FRAME_BYTES} are accepted from now on. */
    void authenticated() {
        authenticated = true;
        maxFrameBytes = MessageCodec.MAX_FRAME_BYTES;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (in.readableBytes() < 4) {
            return;
        }
        int length = in.getInt(in.readerIndex());
        if (length < 0) {
            throw new CorruptedFrameException("negative frame length " + length);
        }
        if (length > maxFrameBytes) {
            throw new TooLongFrameException("a frame of " + length + " bytes; at most " + maxFrameBytes
                    + " are accepted" + (authenticated ? "" : " before the connection authenticated"));
        }
        if (in.readableBytes() - 4 < length) {
            return;
        }
        in.skipBytes(4);
        out.add(in.readRetainedSlice(length));
    }
}
