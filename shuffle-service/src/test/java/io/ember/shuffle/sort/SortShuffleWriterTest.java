package io.ember.shuffle.sort;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ember.api.shuffle.MapOutput;
import io.ember.api.shuffle.ShuffleBlockId;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.Checksum;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

final class SortShuffleWriterTest {

    private static final int SHUFFLE = 3;
    private static final long MAP = 17;
    private static final long MIN_SPILL_THRESHOLD = 1L << 20;

    @TempDir
    Path localDir;

    private ShuffleFiles files() {
        return new ShuffleFiles(List.of(localDir));
    }

    private static SortShuffleSettings settings(long spillThreshold, boolean checksums, ChecksumAlgorithm algorithm) {
        return new SortShuffleSettings(spillThreshold, 8 << 10, checksums, algorithm, 48L << 20);
    }

    private static SortShuffleSettings inMemory() {
        return settings(64L << 20, true, ChecksumAlgorithm.CRC32C);
    }

    private static SortShuffleSettings spilling() {
        return settings(MIN_SPILL_THRESHOLD, true, ChecksumAlgorithm.CRC32C);
    }

    private SortShuffleWriter writer(int partitions, SortShuffleSettings settings) {
        return new SortShuffleWriter(files(), SHUFFLE, MAP, partitions, settings);
    }

    @Test
    void writesEveryPartitionsRecordsInWriteOrder() throws IOException {
        Records records = new Records(40, 7);
        try (SortShuffleWriter writer = writer(40, inMemory())) {
            records.write(writer, 2 << 20);

            MapOutput output = writer.commit();

            assertEquals(0, writer.spillCount());
            records.assertWritten(output);
        }
    }

    @Test
    void spillsSeveralTimesAtTheMinimumThresholdAndStillWritesExactBlocks() throws IOException {
        Records records = new Records(97, 11);
        try (SortShuffleWriter writer = writer(97, spilling())) {
            records.write(writer, 20 << 20);

            assertTrue(writer.spillCount() >= 19, "spills: " + writer.spillCount());
            assertTrue(writer.spillBytes() > 19 << 20 && writer.spillBytes() <= records.bytes, "spilled " + writer.spillBytes());
            MapOutput output = writer.commit();

            records.assertWritten(output);
            assertEquals(records.count, writer.recordsWritten());
            assertEquals(records.bytes, writer.bytesWritten());
            assertEquals(records.bytes, Files.size(files().dataFile(SHUFFLE, MAP)));
        }
        assertEquals(List.of(MAP + ".data", MAP + ".index"), fileNames());
    }

    /**
     * Within a 64 MiB threshold, the buffer grows only as far as the task's memory grants (3 MiB here,
     * past the 1 MiB it takes unasked): refused, it spills and goes on at the size it has, never
     * holding more than granted, and the blocks are exact; asked by another buffer of the task, it
     * spills and gives everything back; committed, it holds nothing.
     */
    @Test
    void growsWithinTheTaskMemorySpillsWhenRefusedOrAskedAndGivesAllBackAtCommit() throws IOException {
        Records records = new Records(31, 5);
        TestingShuffleMemory memory = new TestingShuffleMemory(3L << 20);
        try (SortShuffleWriter writer = new SortShuffleWriter(files(), SHUFFLE, MAP, 31, inMemory(), memory)) {
            records.write(writer, 12 << 20);

            assertTrue(memory.refusals() > 0, "the task's memory refused the buffer");
            assertTrue(writer.spillCount() >= 3, "spills: " + writer.spillCount());
            assertTrue(memory.peak() <= 3L << 20, "held at most what was granted: " + memory.peak());
            assertTrue(memory.used() > 0);

            int spillsBefore = writer.spillCount();
            long held = memory.used();
            assertEquals(held, memory.askToSpill(1L << 20), "asked, it gives back all it holds");
            assertEquals(0, memory.used());
            assertEquals(spillsBefore + 1, writer.spillCount());

            records.write(writer, 1 << 20);
            MapOutput output = writer.commit();

            records.assertWritten(output);
            assertEquals(0, memory.used(), "nothing held once committed");
            assertEquals(0, memory.askToSpill(1L << 20), "a committed writer has nothing to spill");
        }
    }

    @Test
    void keepsWriteOrderAcrossSpillsMemoryAndRecordsLargerThanTheThreshold() throws IOException {
        Records records = new Records(5, 13);
        try (SortShuffleWriter writer = writer(5, spilling())) {
            records.write(writer, 3 << 20);
            records.write(writer, 2, new byte[3 << 20]);
            records.write(writer, 1 << 20);
            records.write(writer, 4, new byte[(int) MIN_SPILL_THRESHOLD - SortShuffleWriter.RECORD_OVERHEAD]);
            records.write(writer, 100 << 10);

            MapOutput output = writer.commit();

            records.assertWritten(output);
        }
    }

    @ParameterizedTest
    @EnumSource(ChecksumAlgorithm.class)
    void storesTheChecksumOfEveryBlock(ChecksumAlgorithm algorithm) throws IOException {
        Records records = new Records(30, 19);
        try (SortShuffleWriter writer = writer(30, settings(MIN_SPILL_THRESHOLD, true, algorithm))) {
            records.write(writer, 3 << 20);
            writer.commit();
        }

        ShuffleIndex index = ShuffleIndex.read(files().indexFile(SHUFFLE, MAP));
        assertEquals(algorithm, index.algorithm());
        for (int r = 0; r < 30; r++) {
            Checksum expected = algorithm.newChecksum();
            byte[] block = records.expected(r);
            expected.update(block, 0, block.length);
            assertEquals(expected.getValue(), index.checksum(r), "partition " + r);
        }
    }

    @Test
    void writesNoChecksumsWhenDisabled() throws IOException {
        Records records = new Records(8, 23);
        try (SortShuffleWriter writer = writer(8, settings(MIN_SPILL_THRESHOLD, false, ChecksumAlgorithm.CRC32C))) {
            records.write(writer, 3 << 20);
            records.assertWritten(writer.commit());
        }

        ShuffleIndex index = ShuffleIndex.read(files().indexFile(SHUFFLE, MAP));
        assertNull(index.algorithm());
        assertEquals(0, index.checksum(0));
    }

    @Test
    void detectsAFlippedByteInTheDataFile() throws IOException {
        Records records = new Records(10, 29);
        try (SortShuffleWriter writer = writer(10, inMemory())) {
            records.write(writer, 1 << 20);
            writer.commit();
        }
        Path data = files().dataFile(SHUFFLE, MAP);
        ShuffleIndex index = ShuffleIndex.read(files().indexFile(SHUFFLE, MAP));
        byte[] bytes = Files.readAllBytes(data);
        bytes[(int) (index.offset(5) + index.length(5) / 2)] ^= 1;
        Files.write(data, bytes);

        IOException e = assertThrows(IOException.class, () -> readChecked(files(), block(5)));

        assertTrue(e.getMessage().contains("shuffle_3_17_5") && e.getMessage().contains(data.toString()), e.getMessage());
        assertArrayEquals(records.expected(6), readChecked(files(), block(6)));
    }

    @Test
    void detectsATruncatedDataFile() throws IOException {
        try (SortShuffleWriter writer = writer(3, inMemory())) {
            new Records(3, 31).write(writer, 10 << 10);
            writer.commit();
        }
        Path data = files().dataFile(SHUFFLE, MAP);
        Files.write(data, new byte[] {1, 2, 3});

        IOException e = assertThrows(IOException.class, () -> readChecked(files(), block(0)));

        assertTrue(e.getMessage().contains("shuffle_3_17_0") && e.getMessage().contains("its index says"), e.getMessage());
    }

    @Test
    void refusesABlockOfAPartitionThatDoesNotExist() throws IOException {
        try (SortShuffleWriter writer = writer(3, inMemory())) {
            writer.commit();
        }

        IOException e = assertThrows(IOException.class, () -> readChecked(files(), block(3)));

        assertTrue(e.getMessage().contains("has 3 partitions"), e.getMessage());
    }

    @Test
    void abortLeavesNoFile() throws IOException {
        SortShuffleWriter writer = writer(20, spilling());
        new Records(20, 37).write(writer, 4 << 20);
        assertTrue(writer.spillCount() > 0);

        writer.abort();

        assertEquals(List.of(), fileNames());
        assertDoesNotThrow(writer::abort);
        assertDoesNotThrow(writer::close);
        assertThrows(IllegalStateException.class, () -> writer.write(0, new byte[1], 0, 1));
        assertThrows(IllegalStateException.class, writer::commit);
    }

    @Test
    void closeWithoutCommitAborts() throws IOException {
        try (SortShuffleWriter writer = writer(20, spilling())) {
            new Records(20, 41).write(writer, 4 << 20);
        }

        assertEquals(List.of(), fileNames());
    }

    @Test
    void closeAndAbortAfterCommitKeepTheOutput() throws IOException {
        Records records = new Records(6, 43);
        SortShuffleWriter writer = writer(6, spilling());
        records.write(writer, 2 << 20);
        MapOutput output = writer.commit();

        writer.abort();
        writer.close();

        records.assertWritten(output);
        assertThrows(IllegalStateException.class, writer::commit);
        assertThrows(IllegalStateException.class, () -> writer.write(0, new byte[1], 0, 1));
    }

    @Test
    void failingToWriteTheIndexLeavesNeitherFile() throws IOException {
        Path indexTemp = files().indexFile(SHUFFLE, MAP).resolveSibling(MAP + ".index.tmp");
        Files.createDirectories(indexTemp.resolve("blocker"));
        SortShuffleWriter writer = writer(20, spilling());
        new Records(20, 47).write(writer, 3 << 20);

        assertThrows(UncheckedIOException.class, writer::commit);

        assertEquals(List.of(MAP + ".index.tmp"), fileNames());   // only the blocker
        assertDoesNotThrow(writer::close);
    }

    @Test
    void failingToMoveTheIndexIntoPlaceTakesTheDataFileBack() throws IOException {
        Files.createDirectories(files().indexFile(SHUFFLE, MAP).resolve("blocker"));
        SortShuffleWriter writer = writer(20, spilling());
        new Records(20, 53).write(writer, 3 << 20);

        UncheckedIOException e = assertThrows(UncheckedIOException.class, writer::commit);

        assertTrue(e.getMessage().contains("cannot commit the output of map 17 of shuffle 3"), e.getMessage());
        assertEquals(List.of(MAP + ".index"), fileNames());   // only the blocker
        assertFalse(Files.exists(files().dataFile(SHUFFLE, MAP)));
    }

    @Test
    void writesAValidEmptyOutputWithoutRecords() throws IOException {
        try (SortShuffleWriter writer = writer(4, inMemory())) {
            MapOutput output = writer.commit();

            assertEquals(new MapOutput(new long[4]), output);
        }
        assertEquals(0, Files.size(files().dataFile(SHUFFLE, MAP)));
        assertEquals(4, ShuffleIndex.read(files().indexFile(SHUFFLE, MAP)).partitions());
        assertArrayEquals(new byte[0], readChecked(files(), block(3)));
    }

    @Test
    void writesAValidOutputOfNoPartitions() throws IOException {
        try (SortShuffleWriter writer = writer(0, inMemory())) {
            assertEquals(0, writer.commit().partitions());
        }
        assertEquals(0, ShuffleIndex.read(files().indexFile(SHUFFLE, MAP)).partitions());
    }

    @Test
    void refusesPartitionsAndRangesOutOfRange() {
        try (SortShuffleWriter writer = writer(4, inMemory())) {
            byte[] record = new byte[10];
            assertThrows(IndexOutOfBoundsException.class, () -> writer.write(4, record, 0, 1));
            assertThrows(IndexOutOfBoundsException.class, () -> writer.write(-1, record, 0, 1));
            assertThrows(IndexOutOfBoundsException.class, () -> writer.write(0, record, 5, 6));
            assertThrows(IndexOutOfBoundsException.class, () -> writer.write(0, record, -1, 2));
            assertThrows(IndexOutOfBoundsException.class, () -> writer.write(0, record, 0, -1));
            assertEquals(0, writer.recordsWritten());
        }
        assertThrows(IllegalArgumentException.class, () -> writer(ShuffleIndex.MAX_PARTITIONS + 1, inMemory()));
        assertThrows(IllegalArgumentException.class, () -> writer(-1, inMemory()));
    }

    @Test
    void copiesARecordBeforeReturning() throws IOException {
        byte[] record = {1, 2, 3};
        try (SortShuffleWriter writer = writer(1, inMemory())) {
            writer.write(0, record, 1, 2);
            record[1] = 9;
            writer.commit();
        }

        assertArrayEquals(new byte[] {2, 3}, readChecked(files(), block(0)));
    }

    @Test
    void spreadsMapsOverTheLocalDirectories(@TempDir Path second) throws IOException {
        ShuffleFiles files = new ShuffleFiles(List.of(localDir, second));
        for (long map = 0; map < 2; map++) {
            try (SortShuffleWriter writer = new SortShuffleWriter(files, SHUFFLE, map, 2, inMemory())) {
                writer.write(1, new byte[] {(byte) map}, 0, 1);
                writer.commit();
            }
        }

        assertTrue(Files.exists(localDir.resolve("shuffle-3/0.index")));
        assertTrue(Files.exists(second.resolve("shuffle-3/1.index")));
        assertArrayEquals(new byte[] {1}, readChecked(files, new ShuffleBlockId(SHUFFLE, 1, 1)));
    }

    @Test
    void leaksNoFileHandle() throws IOException {
        Path fds = Path.of("/proc/self/fd");
        assumeTrue(Files.isDirectory(fds), "needs /proc/self/fd");
        writeSpilledOutputAndReadIt(61);   // loads every class first
        long before = count(fds);

        writeSpilledOutputAndReadIt(67);
        SortShuffleWriter aborted = writer(20, spilling());
        new Records(20, 71).write(aborted, 3 << 20);
        aborted.close();

        assertEquals(before, count(fds));
    }

    /** A block as a reader on this host gets it: found through its index, checked against its checksum. */
    private static byte[] readChecked(ShuffleFiles files, ShuffleBlockId id) throws IOException {
        return ResolvedBlock.resolve(files, id).readChecked();
    }

    private void writeSpilledOutputAndReadIt(long map) throws IOException {
        try (SortShuffleWriter writer = new SortShuffleWriter(files(), SHUFFLE, map, 20, spilling())) {
            new Records(20, map).write(writer, 3 << 20);
            writer.commit();
        }
        readChecked(files(), new ShuffleBlockId(SHUFFLE, map, 0));
    }

    private static long count(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.count();
        }
    }

    private static ShuffleBlockId block(int reduceId) {
        return new ShuffleBlockId(SHUFFLE, MAP, reduceId);
    }

    private List<String> fileNames() throws IOException {
        Path dir = files().shuffleDir(SHUFFLE, MAP);
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /**
     * Random records into a range of partitions, a few of which stay empty, remembering each
     * partition's expected block.
     */
    private final class Records {

        private final Random random;
        private final ByteArrayOutputStream[] expected;
        long count;
        long bytes;

        Records(int partitions, long seed) {
            this.random = new Random(seed);
            this.expected = new ByteArrayOutputStream[partitions];
            for (int r = 0; r < partitions; r++) {
                expected[r] = new ByteArrayOutputStream();
            }
        }

        /** Writes random records of 0 to 300 bytes until {@code total} bytes, to every partition but each third. */
        void write(SortShuffleWriter writer, long total) {
            byte[] record = new byte[300];
            long target = bytes + total;
            while (bytes < target) {
                int partition = random.nextInt(expected.length);
                if (partition % 3 == 1 && expected.length > 1) {
                    continue;
                }
                int length = random.nextInt(301);
                int offset = random.nextInt(record.length - length + 1);
                random.nextBytes(record);
                writer.write(partition, record, offset, length);
                expected[partition].write(record, offset, length);
                count++;
                bytes += length;
            }
        }

        void write(SortShuffleWriter writer, int partition, byte[] record) {
            random.nextBytes(record);
            writer.write(partition, record, 0, record.length);
            expected[partition].write(record, 0, record.length);
            count++;
            bytes += record.length;
        }

        byte[] expected(int partition) {
            return expected[partition].toByteArray();
        }

        /** Every block on disk (checked against its checksum) is its expected concatenation. */
        void assertWritten(MapOutput output) throws IOException {
            assertEquals(expected.length, output.partitions());
            for (int r = 0; r < expected.length; r++) {
                byte[] block = expected(r);
                assertEquals(block.length, output.length(r), "length of partition " + r);
                assertArrayEquals(block, readChecked(files(), block(r)), "partition " + r);
            }
            if (expected.length > 1) {
                assertEquals(0, output.length(1), "partition 1 gets no records");
            }
        }
    }
}
