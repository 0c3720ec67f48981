package io.ember.shuffle.sort;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ember.shuffle.sort.ShuffleMessage.ApplicationRemoved;
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
import io.ember.shuffle.sort.ShuffleMessage.ShuffleRemoved;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;
import org.junit.jupiter.api.Test;

final class MessageCodecTest {

    @Test
    void roundTripsEveryMessageWithoutArrays() {
        for (ShuffleMessage message : List.of(
                new RegisterExecutorDirs(1, "app", "exec-1", List.of("/a", "/b")),
                new RegisterExecutor(1, "app", "exec-1", 2),
                new Registered(1, List.of("/state/data/app/exec-1/0", "/state/data/app/exec-1/1")),
                new FetchBlocks(2, "app", "exec-1", List.of("shuffle_1_2_3", "shuffle_1_2_4")),
                new ApplicationRemoved(3, "app"),
                new ShuffleRemoved(3, "app", 17),
                new Ok(4),
                new Error(5, "unknown application 'x'"),
                new BlockHeader(6, "shuffle_1_2_3", 1234, ChecksumAlgorithm.ADLER32, 0xffff_ffffL),
                new BlockHeader(7, "shuffle_1_2_3", 0, null, 0),
                new BlockError(8, "shuffle_1_2_3", "no map output"))) {
            assertEquals(message, roundTrip(message));
        }
    }

    @Test
    void roundTripsTheHandshake() {
        Hello hello = (Hello) roundTrip(new Hello(true, new byte[] {1, 2, 3}));
        assertEquals(true, hello.authRequired());
        assertArrayEquals(new byte[] {1, 2, 3}, hello.nonce());
        assertArrayEquals(new byte[] {9, 8}, ((AuthResponse) roundTrip(new AuthResponse(new byte[] {9, 8}))).mac());
    }

    @Test
    void refusesFramesThatAreNotMessages() {
        assertMalformed("empty frame");
        assertMalformed("unknown message type 42", 42);
        assertMalformed("frame ends inside a number", 10, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 'a', 0, 1, 'b', 0, 0, 1);
        assertMalformed("list count out of range: 65", 11, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 65);
        assertMalformed("frame ends inside a number", 6, 0, 0);
        assertMalformed("1 bytes after a message of type 6", 6, 0, 0, 0, 0, 0, 0, 0, 1, 0);
        assertMalformed("flag is neither 0 nor 1: 2", 1, 2, 0, 0);
        assertMalformed("list count out of range: -1", 5 - 2, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 'a', 0, 1, 'b', -1, -1, -1, -1);
        assertMalformed("list count out of range: 2", 4, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 'a', 0, 1, 'b', 0, 0, 0, 2, 0);
        assertMalformed("a string is not UTF-8", 5, 0, 0, 0, 0, 0, 0, 0, 1, 0, 2, 0xc3, 0x28);
        assertMalformed("negative block length -1", 8, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, -1, -1, -1, -1, -1, -1, -1, -1);
        assertMalformed("unknown checksum algorithm 3", 8, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 3);
    }

    private static ShuffleMessage roundTrip(ShuffleMessage message) {
        ByteBuf frame = MessageCodec.encode(message, Unpooled.buffer().alloc());
        try {
            assertEquals(frame.readableBytes() - 4, frame.readInt());
            return MessageCodec.decode(frame);
        } finally {
            frame.release();
        }
    }

    private static void assertMalformed(String message, int... bytes) {
        byte[] frame = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            frame[i] = (byte) bytes[i];
        }
        MalformedFrameException e = assertThrows(MalformedFrameException.class,
                () -> MessageCodec.decode(Unpooled.wrappedBuffer(frame)));
        assertEquals(message, e.getMessage());
    }
}
