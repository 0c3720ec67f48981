package io.ember.shuffle.sort;

import io.ember.shuffle.sort.ShuffleMessage.BlockHeader;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.Arrays;
import java.util.List;

/**
 * The client side of the framing: turns the bytes from a shuffle server into
 * {@link ShuffleMessage}s, and each {@link BlockHeader} with the raw bytes after it into one
 * {@link FetchedBlock}.
 *
 * <p>The length a server declares is not trusted with memory: a block's buffer starts at
 * {@link #INITIAL_BLOCK_BUFFER} bytes (or the block's length, when smaller) and doubles as bytes
 * arrive, up to the declared length, so a broken or hostile server that declares gigabytes and
 * sends little costs the client what it sent (at most about twice that), never the declared
 * length. A length above {@link #MAX_BLOCK_BYTES}, a frame length out of range or a malformed frame
 * is a {@link MalformedFrameException}: the connection closes and its requests fail with that
 * message.
 *
 * <p>One instance per connection, on its event loop.
 */
final class ResponseDecoder extends ByteToMessageDecoder {

    /** The largest block a reader holds in memory. */
    static final long MAX_BLOCK_BYTES = Integer.MAX_VALUE - 8;
    /** A block's first buffer, before any of its bytes arrived. */
    static final int INITIAL_BLOCK_BUFFER = 64 << 10;

    private BlockHeader header;   // the block whose bytes are arriving, or null between frames
    private byte[] body;       // grows as the block's bytes arrive, up to its length
    private int blockLength;   // the block's declared length
    private int received;

    /** The bytes of the block arriving now that this decoder holds (for tests); 0 between blocks. */
    int bufferedCapacity() {
        return body == null ? 0 : body.length;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (in.isReadable()) {
            if (header != null) {
                int n = Math.min(in.readableBytes(), blockLength - received);
                if (received + n > body.length) {
                    body = Arrays.copyOf(body, (int) Math.min(blockLength, Math.max(received + n, 2L * body.length)));
                }
                in.readBytes(body, received, n);
                received += n;
                if (received == blockLength) {
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
                blockLength = (int) block.length();
                body = new byte[Math.min(blockLength, INITIAL_BLOCK_BUFFER)];
                received = 0;
                if (blockLength == 0) {
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
