package io.ember.shuffle.sort;

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
import io.netty.buffer.ByteBufAllocator;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The wire format of {@link ShuffleMessage}s.
 *
 * <p>A frame is a big-endian {@code int} length, then that many bytes: a type byte and the
 * message's fields. Strings are an unsigned-short byte count and strict UTF-8; byte arrays an
 * unsigned-short count and the bytes; lists an {@code int} count and the elements. After a
 * {@link BlockHeader} frame come exactly {@code length} raw bytes of the block. Decoding checks
 * every count against what the frame holds, so a malformed frame is a
 * {@link MalformedFrameException}, never a large allocation.
 *
 * <p>The protocol grows by new message types; a type's layout never changes. Type 3
 * ({@link RegisterExecutorDirs}, directories named by the client) is still decoded but refused by
 * every service; since type 10 ({@link RegisterExecutor}) the service creates the directories and
 * names them in its reply, type 11 ({@link Registered}). A server that does not know a type closes
 * the connection, which the client reports as a failed request.
 *
 * <p>Stateless and thread-safe.
 */
final class MessageCodec {

    /** The largest frame a server accepts; a fetch of thousands of blocks fits. */
    static final int MAX_FRAME_BYTES = 1 << 20;
    /** The most directories one executor registers. */
    static final int MAX_DIRS = 64;

    private static final byte HELLO = 1;
    private static final byte AUTH_RESPONSE = 2;
    private static final byte REGISTER_EXECUTOR_DIRS = 3;
    private static final byte FETCH_BLOCKS = 4;
    private static final byte APPLICATION_REMOVED = 5;
    private static final byte OK = 6;
    private static final byte ERROR = 7;
    private static final byte BLOCK_HEADER = 8;
    private static final byte BLOCK_ERROR = 9;
    private static final byte REGISTER_EXECUTOR = 10;
    private static final byte REGISTERED = 11;
    private static final byte SHUFFLE_REMOVED = 12;

    private static final int MAX_STRING_BYTES = 65_535;

    private MessageCodec() {
    }

    /** The message as one frame, length prefix included. */
    static ByteBuf encode(ShuffleMessage message, ByteBufAllocator allocator) {
        ByteBuf out = allocator.buffer();
        try {
            out.writeInt(0);   // the length, set below
            writeMessage(message, out);
            out.setInt(0, out.readableBytes() - 4);
            return out;
        } catch (RuntimeException e) {
            out.release();
            throw e;
        }
    }

    private static void writeMessage(ShuffleMessage message, ByteBuf out) {
        if (message instanceof Hello m) {
            out.writeByte(HELLO);
            out.writeBoolean(m.authRequired());
            writeBytes(out, m.nonce());
        } else if (message instanceof AuthResponse m) {
            out.writeByte(AUTH_RESPONSE);
            writeBytes(out, m.mac());
        } else if (message instanceof RegisterExecutorDirs m) {
            out.writeByte(REGISTER_EXECUTOR_DIRS);
            out.writeLong(m.requestId());
            writeString(out, m.appId());
            writeString(out, m.executorId());
            writeStrings(out, m.localDirs());
        } else if (message instanceof RegisterExecutor m) {
            out.writeByte(REGISTER_EXECUTOR);
            out.writeLong(m.requestId());
            writeString(out, m.appId());
            writeString(out, m.executorId());
            out.writeInt(m.dirCount());
        } else if (message instanceof Registered m) {
            out.writeByte(REGISTERED);
            out.writeLong(m.requestId());
            writeStrings(out, m.dirs());
        } else if (message instanceof FetchBlocks m) {
            out.writeByte(FETCH_BLOCKS);
            out.writeLong(m.requestId());
            writeString(out, m.appId());
            writeString(out, m.executorId());
            writeStrings(out, m.blockIds());
        } else if (message instanceof ApplicationRemoved m) {
            out.writeByte(APPLICATION_REMOVED);
            out.writeLong(m.requestId());
            writeString(out, m.appId());
        } else if (message instanceof ShuffleRemoved m) {
            out.writeByte(SHUFFLE_REMOVED);
            out.writeLong(m.requestId());
            writeString(out, m.appId());
            out.writeInt(m.shuffleId());
        } else if (message instanceof Ok m) {
            out.writeByte(OK);
            out.writeLong(m.requestId());
        } else if (message instanceof Error m) {
            out.writeByte(ERROR);
            out.writeLong(m.requestId());
            writeString(out, m.message());
        } else if (message instanceof BlockHeader m) {
            out.writeByte(BLOCK_HEADER);
            out.writeLong(m.requestId());
            writeString(out, m.blockId());
            out.writeLong(m.length());
            out.writeByte(m.algorithm() == null ? 0 : m.algorithm().ordinal() + 1);
            out.writeLong(m.checksum());
        } else if (message instanceof BlockError m) {
            out.writeByte(BLOCK_ERROR);
            out.writeLong(m.requestId());
            writeString(out, m.blockId());
            writeString(out, m.message());
        } else {
            throw new IllegalArgumentException("not a shuffle message: " + message);
        }
    }

    /**
     * Decodes one frame without its length prefix; the frame must hold exactly one message.
     *
     * @throws MalformedFrameException saying what is wrong
     */
    static ShuffleMessage decode(ByteBuf frame) {
        if (!frame.isReadable()) {
            throw new MalformedFrameException("empty frame");
        }
        byte type = frame.readByte();
        ShuffleMessage message = switch (type) {
            case HELLO -> new Hello(readBoolean(frame), readBytes(frame));
            case AUTH_RESPONSE -> new AuthResponse(readBytes(frame));
            case REGISTER_EXECUTOR_DIRS -> new RegisterExecutorDirs(readLong(frame), readString(frame),
                    readString(frame), readStrings(frame, MAX_DIRS));
            case REGISTER_EXECUTOR -> new RegisterExecutor(readLong(frame), readString(frame), readString(frame),
                    readInt(frame));
            case REGISTERED -> new Registered(readLong(frame), readStrings(frame, MAX_DIRS));
            case FETCH_BLOCKS -> new FetchBlocks(readLong(frame), readString(frame), readString(frame),
                    readStrings(frame, MAX_FRAME_BYTES));
            case APPLICATION_REMOVED -> new ApplicationRemoved(readLong(frame), readString(frame));
            case SHUFFLE_REMOVED -> new ShuffleRemoved(readLong(frame), readString(frame), readInt(frame));
            case OK -> new Ok(readLong(frame));
            case ERROR -> new Error(readLong(frame), readString(frame));
            case BLOCK_HEADER -> new BlockHeader(readLong(frame), readString(frame), readLength(frame),
                    readAlgorithm(frame), readLong(frame));
            case BLOCK_ERROR -> new BlockError(readLong(frame), readString(frame), readString(frame));
            default -> throw new MalformedFrameException("unknown message type " + type);
        };
        if (frame.isReadable()) {
            throw new MalformedFrameException(frame.readableBytes() + " bytes after a message of type " + type);
        }
        return message;
    }

    private static void writeString(ByteBuf out, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_STRING_BYTES) {
            throw new IllegalArgumentException("string too long for a frame: " + bytes.length + " bytes");
        }
        out.writeShort(bytes.length);
        out.writeBytes(bytes);
    }

    private static void writeBytes(ByteBuf out, byte[] bytes) {
        if (bytes.length > MAX_STRING_BYTES) {
            throw new IllegalArgumentException("byte array too long for a frame: " + bytes.length);
        }
        out.writeShort(bytes.length);
        out.writeBytes(bytes);
    }

    private static void writeStrings(ByteBuf out, List<String> values) {
        out.writeInt(values.size());
        for (String value : values) {
            writeString(out, value);
        }
    }

    private static void need(ByteBuf frame, int bytes, String what) {
        if (frame.readableBytes() < bytes) {
            throw new MalformedFrameException("frame ends inside " + what);
        }
    }

    private static boolean readBoolean(ByteBuf frame) {
        need(frame, 1, "a flag");
        byte value = frame.readByte();
        if (value != 0 && value != 1) {
            throw new MalformedFrameException("flag is neither 0 nor 1: " + value);
        }
        return value == 1;
    }

    private static long readLong(ByteBuf frame) {
        need(frame, 8, "a number");
        return frame.readLong();
    }

    private static int readInt(ByteBuf frame) {
        need(frame, 4, "a number");
        return frame.readInt();
    }

    private static long readLength(ByteBuf frame) {
        long length = readLong(frame);
        if (length < 0) {
            throw new MalformedFrameException("negative block length " + length);
        }
        return length;
    }

    private static ChecksumAlgorithm readAlgorithm(ByteBuf frame) {
        need(frame, 1, "a checksum algorithm");
        int id = frame.readByte();
        if (id < 0 || id > ChecksumAlgorithm.values().length) {
            throw new MalformedFrameException("unknown checksum algorithm " + id);
        }
        return id == 0 ? null : ChecksumAlgorithm.values()[id - 1];
    }

    private static byte[] readBytes(ByteBuf frame) {
        need(frame, 2, "a length");
        int length = frame.readUnsignedShort();
        need(frame, length, "a byte array");
        byte[] bytes = new byte[length];
        frame.readBytes(bytes);
        return bytes;
    }

    private static String readString(ByteBuf frame) {
        byte[] bytes = readBytes(frame);
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new MalformedFrameException("a string is not UTF-8");
        }
    }

    private static List<String> readStrings(ByteBuf frame, int max) {
        need(frame, 4, "a count");
        int count = frame.readInt();
        // Every string takes at least its 2-byte length, so a count the frame cannot hold is refused before allocating.
        if (count < 0 || count > max || count > frame.readableBytes() / 2) {
            throw new MalformedFrameException("list count out of range: " + count);
        }
        List<String> values = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            values.add(readString(frame));
        }
        return values;
    }
}
