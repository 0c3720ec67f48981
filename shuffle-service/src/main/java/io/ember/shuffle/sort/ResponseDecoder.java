package io.ember.shuffle.sort;

import static java.util.Objects.requireNonNull;

import io.ember.shuffle.sort.ShuffleMessage.BlockHeader;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.zip.Checksum;

/**
 * The client side of the framing: turns the bytes from a shuffle server into
 * {@link ShuffleMessage}s, and each {@link BlockHeader} with the raw bytes after it into one
 * {@link FetchedBlock}.
 *
 * <p>A block longer than the {@link FetchToDisk} threshold is written to a temporary file as its
 * bytes arrive, its checksum computed on the way, so it never sits in memory whole (and may be
 * longer than an array holds). A smaller one is held in memory; the length a server declares is not
 * trusted with memory: its buffer starts at {@link #INITIAL_BLOCK_BUFFER} bytes (or the block's
 * length, when smaller) and doubles as bytes arrive, up to the declared length, so a broken or
 * hostile server that declares gigabytes and sends little costs the client what it sent (at most
 * about twice that), never the declared length. A length above {@link #MAX_BLOCK_BYTES} for memory,
 * a frame length out of range or a malformed frame is a {@link MalformedFrameException}: the
 * connection closes and its requests fail with that message. A file of a block that did not arrive
 * whole is deleted when the connection goes.
 *
 * <p>One instance per connection, on its event loop.
 */
final class ResponseDecoder extends ByteToMessageDecoder {

    /** The largest block a reader holds in memory. */
    static final long MAX_BLOCK_BYTES = Integer.MAX_VALUE - 8;
    /** A block's first buffer, before any of its bytes arrived. */
    static final int INITIAL_BLOCK_BUFFER = 64 << 10;

    private final FetchToDisk toDisk;
    private BlockHeader header;   // the block whose bytes are arriving, or null between frames
    private byte[] body;          // in memory: grows as the block's bytes arrive, up to its length
    private Path file;            // to disk: the temporary file being written
    private FileChannel channel;
    private Checksum checksum;    // to disk, with an algorithm: over the bytes written
    private long blockLength;     // the block's declared length
    private long received;

    /** Holds every block in memory. */
    ResponseDecoder() {
        this(FetchToDisk.NEVER);
    }

    ResponseDecoder(FetchToDisk toDisk) {
        this.toDisk = requireNonNull(toDisk, "toDisk is null");
    }

    /** The bytes of the block arriving now that this decoder holds (for tests); 0 between blocks. */
    int bufferedCapacity() {
        return body == null ? 0 : body.length;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (in.isReadable()) {
            if (header != null) {
                int n = (int) Math.min(in.readableBytes(), blockLength - received);
                if (channel != null) {
                    write(in, n);
                } else {
                    if (received + n > body.length) {
                        body = Arrays.copyOf(body, (int) Math.min(blockLength, Math.max(received + n,
                                2L * body.length)));
                    }
                    in.readBytes(body, (int) received, n);
                }
                received += n;
                if (received == blockLength) {
                    out.add(finished());
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
                start(block);
                if (blockLength == 0) {
                    out.add(finished());
                }
            } else {
                out.add(message);
            }
        }
    }

    private void start(BlockHeader block) {
        header = block;
        blockLength = block.length();
        received = 0;
        if (toDisk.toDisk(blockLength)) {
            try {
                Path dir = Files.createDirectories(toDisk.directory().orElseThrow());
                file = Files.createTempFile(dir, "fetched-", ".block");
                channel = FileChannel.open(file, StandardOpenOption.WRITE);
            } catch (IOException e) {
                discardFile();
                throw new UncheckedIOException("cannot create a file for fetched block " + block.blockId() + " in "
                        + toDisk.directory().orElseThrow() + ": " + e.getMessage(), e);
            }
            checksum = block.algorithm() == null ? null : block.algorithm().newChecksum();
            return;
        }
        if (blockLength > MAX_BLOCK_BYTES) {
            throw new MalformedFrameException("block " + block.blockId() + " of " + blockLength
                    + " bytes is larger than a reader holds");
        }
        body = new byte[(int) Math.min(blockLength, INITIAL_BLOCK_BUFFER)];
    }

    private void write(ByteBuf in, int n) {
        ByteBuffer bytes = in.nioBuffer(in.readerIndex(), n);
        if (checksum != null) {
            checksum.update(bytes.duplicate());
        }
        try {
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write fetched block " + header.blockId() + " to " + file + ": "
                    + e.getMessage(), e);
        }
        in.skipBytes(n);
    }

    private FetchedBlock finished() {
        FetchedBlock block;
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write fetched block " + header.blockId() + " to " + file, e);
            }
            block = FetchedBlock.inFile(header.requestId(), header.blockId(), header.algorithm(), header.checksum(),
                    file, blockLength, checksum == null ? 0 : checksum.getValue());
            channel = null;
            file = null;
            checksum = null;
        } else {
            block = new FetchedBlock(header.requestId(), header.blockId(), header.algorithm(), header.checksum(), body);
            body = null;
        }
        header = null;
        return block;
    }

    /** The connection went with a block half written: its file goes too. */
    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        discardFile();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        try {
            super.channelInactive(ctx);
        } finally {
            discardFile();
        }
    }

    private void discardFile() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // deleted below either way
            }
            channel = null;
        }
        if (file != null) {
            FetchedBlock.deleteQuietly(file);
            file = null;
        }
    }
}
