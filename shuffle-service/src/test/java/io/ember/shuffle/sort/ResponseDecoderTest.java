package io.ember.shuffle.sort;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.api.shuffle.ShuffleBlockId;
import io.ember.shuffle.sort.ShuffleMessage.BlockHeader;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The decoder's way to disk: a block above the threshold arrives in pieces into a file, its checksum
 * computed on the way; one below stays in memory; the file of a block whose connection went before it
 * arrived whole is deleted; a length beyond what an array holds is accepted for a file.
 */
final class ResponseDecoderTest {

    private static final ShuffleBlockId BLOCK = new ShuffleBlockId(1, 2, 3);

    @TempDir
    Path dir;

    @Test
    void aBlockAboveTheThresholdArrivesInPiecesIntoAFileWithItsChecksum() throws IOException {
        byte[] bytes = TestingMapOutput.bytes(4, 100_000);
        long stored = BlockChecksum.of(ChecksumAlgorithm.CRC32C, bytes);
        EmbeddedChannel channel = channel(1_000);

        FetchedBlock block = receive(channel, bytes, stored);

        assertTrue(block.file().isPresent(), block.toString());
        assertEquals(bytes.length, block.length());
        assertTrue(block.intact());
        try (var in = block.open()) {
            assertArrayEquals(bytes, in.readAllBytes());
        }
        block.discard();
        assertEquals(0, files());

        FetchedBlock corrupt = receive(channel, bytes, stored + 1);
        assertFalse(corrupt.intact(), "the checksum computed on the way does not match the stored one");
        corrupt.discard();
    }

    @Test
    void aBlockAtOrBelowTheThresholdStaysInMemory() {
        byte[] bytes = TestingMapOutput.bytes(5, 1_000);
        FetchedBlock block = receive(channel(1_000), bytes, BlockChecksum.of(ChecksumAlgorithm.CRC32C, bytes));

        assertTrue(block.file().isEmpty());
        assertArrayEquals(bytes, block.data());
        assertEquals(0, files());
    }

    @Test
    void theFileOfABlockCutOffMidwayIsDeletedWithItsConnection() {
        EmbeddedChannel channel = channel(1_000);
        channel.writeInbound(Unpooled.wrappedBuffer(ShuffleServerTest.frame(
                new BlockHeader(1, BLOCK.toString(), 3L << 30, null, 0))));   // 3 GiB: more than an array holds
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[50_000]));
        assertEquals(1, files(), "the block is being written to a file");

        channel.close();

        assertEquals(0, files());
        assertTrue(channel.inboundMessages().isEmpty());
    }

    private EmbeddedChannel channel(long threshold) {
        return new EmbeddedChannel(new ResponseDecoder(FetchToDisk.above(threshold, dir.resolve("fetched"))));
    }

    private static FetchedBlock receive(EmbeddedChannel channel, byte[] bytes, long stored) {
        channel.writeInbound(Unpooled.wrappedBuffer(ShuffleServerTest.frame(
                new BlockHeader(7, BLOCK.toString(), bytes.length, ChecksumAlgorithm.CRC32C, stored))));
        for (int offset = 0; offset < bytes.length; offset += 8_192) {   // as a socket delivers it, in pieces
            channel.writeInbound(Unpooled.wrappedBuffer(bytes, offset, Math.min(8_192, bytes.length - offset)));
        }
        FetchedBlock block = channel.readInbound();
        assertEquals(7, block.requestId());
        assertEquals(BLOCK.toString(), block.blockId());
        return block;
    }

    private long files() {
        return SortShuffleReaderTest.filesIn(dir.resolve("fetched"));
    }
}
