package io.ember.shuffle.sort;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

final class ShuffleIndexTest {

    private static final long[] OFFSETS = {0, 10, 10, 35, 1L << 40};
    private static final long[] CHECKSUMS = {0xdeadbeefL, 0, 42, 0xffffffffL};

    @TempDir
    Path dir;

    @Test
    void readsBackWhatItWrote() throws IOException {
        Path file = dir.resolve("0.index");
        Files.write(file, new ShuffleIndex(OFFSETS, CHECKSUMS, ChecksumAlgorithm.ADLER32).toBytes());

        ShuffleIndex index = ShuffleIndex.read(file);

        assertEquals(4, index.partitions());
        assertEquals(ChecksumAlgorithm.ADLER32, index.algorithm());
        assertEquals(1L << 40, index.dataLength());
        for (int r = 0; r < 4; r++) {
            assertEquals(OFFSETS[r], index.offset(r));
            assertEquals(OFFSETS[r + 1] - OFFSETS[r], index.length(r));
            assertEquals(CHECKSUMS[r], index.checksum(r));
        }
    }

    @Test
    void readsBackAnIndexWithoutChecksumsOrPartitions() throws IOException {
        ShuffleIndex none = ShuffleIndex.parse(new ShuffleIndex(new long[] {0, 5}, new long[1], null).toBytes(), "a");
        ShuffleIndex empty = ShuffleIndex.parse(
                new ShuffleIndex(new long[] {0}, new long[0], ChecksumAlgorithm.CRC32C).toBytes(), "b");

        assertNull(none.algorithm());
        assertEquals(5, none.length(0));
        assertEquals(0, empty.partitions());
        assertEquals(0, empty.dataLength());
    }

    @Test
    void readsFromAStream() throws IOException {
        byte[] bytes = new ShuffleIndex(OFFSETS, CHECKSUMS, ChecksumAlgorithm.CRC32C).toBytes();

        ShuffleIndex index = ShuffleIndex.read(new ByteArrayInputStream(bytes), "fetched");

        assertArrayEquals(bytes, index.toBytes());
    }

    @Test
    void refusesABadMagic() {
        byte[] bytes = valid();
        bytes[0] = 'X';

        assertDamaged(bytes, "bad magic");
    }

    @Test
    void refusesAnUnknownVersion() {
        byte[] bytes = valid();
        bytes[7] = 2;

        assertDamaged(bytes, "index version 2");
    }

    @Test
    void refusesEveryTruncation() {
        byte[] bytes = valid();
        for (int length = 0; length < bytes.length; length++) {
            assertThrows(IOException.class, parsing(Arrays.copyOf(bytes, length)), "truncated to " + length);
        }
    }

    @Test
    void refusesTrailingBytes() {
        byte[] bytes = valid();

        assertDamaged(Arrays.copyOf(bytes, bytes.length + 1), "partitions in");
    }

    @Test
    void detectsAFlippedByteInTheBodyByItsOwnChecksum() {
        byte[] bytes = valid();
        int firstOffset = 13;
        for (int i = firstOffset; i < bytes.length; i++) {
            byte[] damaged = bytes.clone();
            damaged[i] ^= 0x10;
            assertDamaged(damaged, "checksum does not match");
        }
    }

    @Test
    void detectsEveryFlippedBit() {
        byte[] bytes = valid();
        for (int i = 0; i < bytes.length; i++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] damaged = bytes.clone();
                damaged[i] ^= (byte) (1 << bit);
                assertThrows(IOException.class, parsing(damaged), "byte " + i + " bit " + bit);
            }
        }
    }

    @Test
    void refusesAHugePartitionCountWithoutAllocatingForIt() {
        // were the arrays allocated first, Integer.MAX_VALUE partitions would be an OutOfMemoryError
        for (int partitions : new int[] {Integer.MAX_VALUE, ShuffleIndex.MAX_PARTITIONS + 1, ShuffleIndex.MAX_PARTITIONS, -1}) {
            byte[] bytes = valid();
            ByteBuffer.wrap(bytes).putInt(8, partitions);

            assertDamaged(bytes, partitions + " partitions in " + bytes.length + " bytes");
        }
    }

    @Test
    void refusesAnUnknownChecksumAlgorithm() {
        byte[] bytes = valid();
        bytes[12] = 9;

        assertDamaged(bytes, "unknown checksum algorithm 9");
    }

    @Test
    void refusesDecreasingOffsetsEvenWithAMatchingChecksum() {
        assertThrows(IllegalArgumentException.class,
                () -> new ShuffleIndex(new long[] {0, 10, 5}, new long[2], ChecksumAlgorithm.CRC32C));
        assertThrows(IllegalArgumentException.class,
                () -> new ShuffleIndex(new long[] {1, 10}, new long[1], ChecksumAlgorithm.CRC32C));
        assertThrows(IllegalArgumentException.class,
                () -> new ShuffleIndex(new long[] {0, 10}, new long[2], ChecksumAlgorithm.CRC32C));
    }

    @Test
    void namesTheFileItCouldNotRead() throws IOException {
        Path file = dir.resolve("7.index");
        Files.write(file, new byte[] {1, 2, 3});

        IOException e = assertThrows(IOException.class, () -> ShuffleIndex.read(file));

        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    }

    private static byte[] valid() {
        return new ShuffleIndex(OFFSETS, CHECKSUMS, ChecksumAlgorithm.CRC32C).toBytes();
    }

    private static Executable parsing(byte[] bytes) {
        return () -> ShuffleIndex.parse(bytes, "test.index");
    }

    private static void assertDamaged(byte[] bytes, String expected) {
        IOException e = assertThrows(IOException.class, parsing(bytes));
        assertTrue(e.getMessage().startsWith("test.index "), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
