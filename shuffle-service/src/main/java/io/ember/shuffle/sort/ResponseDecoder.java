package io.ember.shuffle.sort;

import io.ember.shuffle.sort.ShuffleMessage.BlockHeader;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * The client side of the framing: turns the bytes from a shuffle server into
 * {@link ShuffleMessage}s, and each {@link BlockHeader} with the raw bytes after it into one
 * {@link FetchedBlock}.
 *
 * <p>One instance per connection, on its event loop.
 */
final class ResponseDecoder extends ByteToMessageDecoder {

    /** The largest block a reader holds in memory. */
    static final long MAX_BLOCK_BYTES = Integer.MAX_VALUE - 8;

    private BlockHeader header;   // the block whose bytes are arriving, or null between frames
    private byte[] body;
    private int received;

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (in.isReadable()) {
            if (header != null) {
                int n = Math.min(in.readableBytes(), body.length - received);
                in.readBytes(body, received, n);
                received += n;
                if (received == body.length) {
                    out.add(new FetchedBlock(header.requestId(), header.blockId(), header.algorithm(), header.checksum(),
                            body));
                    header = null;
                    body = null;
                }
                continue;
            }
            if (in.readableBytes() < 4) {
                return;
            }
            int length = in.getInt(in.readerIndex());
            if (length < 1 || length > MessageCodec.MAX_FRAME_BYTES) {
                throw new MalformedFrameException("frame length out of range: " + length);
            }
            if (in.readableBytes() < 4 + length) {
                return;
            }
            in.skipBytes(4);
            ShuffleMessage message = MessageCodec.decode(in.readSlice(length));
            if (message instanceof BlockHeader block) {
                if (block.length() > MAX_BLOCK_BYTES) {
                    throw new MalformedFrameException("block " + block.blockId() + " of " + block.length()
                            + " bytes is larger than a reader holds");
                }
                header = block;
                body = new byte[(int) block.length()];
                received = 0;
                if (body.length == 0) {
                    out.add(new FetchedBlock(block.requestId(), block.blockId(), block.algorithm(), block.checksum(), body));
                    header = null;
                    body = null;
                }
            } else {
                out.add(message);
            }
        }
    }
}
