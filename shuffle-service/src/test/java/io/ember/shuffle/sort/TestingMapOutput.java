package io.ember.shuffle.sort;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Writes one map task's output by hand, as the writer would: a data file and its index. */
final class TestingMapOutput {

    private TestingMapOutput() {
    }

    /** Writes blocks (one per reduce partition) with CRC-32C checksums. */
    static void write(ShuffleFiles files, int shuffleId, long mapId, List<byte[]> blocks) throws IOException {
        write(files, shuffleId, mapId, blocks, ChecksumAlgorithm.CRC32C);
    }

    static void write(ShuffleFiles files, int shuffleId, long mapId, List<byte[]> blocks, ChecksumAlgorithm algorithm)
            throws IOException {
        long[] offsets = new long[blocks.size() + 1];
        long[] checksums = new long[blocks.size()];
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        for (int r = 0; r < blocks.size(); r++) {
            data.write(blocks.get(r));
            offsets[r + 1] = offsets[r] + blocks.get(r).length;
            checksums[r] = algorithm == null ? 0 : BlockChecksum.of(algorithm, blocks.get(r));
        }
        Files.createDirectories(files.shuffleDir(shuffleId, mapId));
        Files.write(files.dataFile(shuffleId, mapId), data.toByteArray());
        Files.write(files.indexFile(shuffleId, mapId), new ShuffleIndex(offsets, checksums, algorithm).toBytes());
    }

    /** Random bytes, the same for the same seed. */
    static byte[] bytes(long seed, int length) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    /** {@code count} blocks of random bytes. */
    static List<byte[]> blocks(long seed, int count, int length) {
        List<byte[]> blocks = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            blocks.add(bytes(seed * 1_000 + i, length));
        }
        return blocks;
    }

    /** Flips every bit of the byte at {@code position} of a file. */
    static void corruptByte(Path file, long position) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(position);
            int b = raf.read();
            raf.seek(position);
            raf.write(~b & 0xff);
        }
    }
}
