package io.ember.shuffle.sort;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.api.shuffle.BlockLocation;
import io.ember.api.shuffle.ConnectionLimits;
import io.ember.api.shuffle.FetchFailedException;
import io.ember.api.shuffle.MapBlock;
import io.ember.api.shuffle.ShuffleBlock;
import io.ember.api.shuffle.ShuffleBlockId;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
final class SortShuffleReaderTest {

    private static final String APP = "app-1";
    private static final int SHUFFLE = 2;
    private static final int REDUCE = 1;

    @TempDir
    Path temp;

    @Test
    void readsManyBlocksFromThreeServersWithinTheBoundOnBytesInFlight() throws Exception {
        long bound = 1L << 20;
        Map<ShuffleBlockId, byte[]> expected = new HashMap<>();
        List<MapBlock> blocks = new ArrayList<>();
        List<ShuffleServer> servers = new ArrayList<>();
        try (ShuffleClient client = new ShuffleClient(Optional.empty())) {
            for (int s = 0; s < 3; s++) {
                String executorId = "exec-" + s;
                ShuffleServer server = ownServer(executorId);
                servers.add(server);
                BlockLocation location = new BlockLocation(executorId, "127.0.0.1", server.port());
                ShuffleFiles files = new ShuffleFiles(server.registry().dirsOf(APP, executorId));
                for (int m = 0; m < 15; m++) {
                    long mapId = s * 100L + m;
                    byte[] block = TestingMapOutput.bytes(mapId, 30_000 + 9_000 * m);
                    TestingMapOutput.write(files, SHUFFLE, mapId, List.of(new byte[7], block));
                    ShuffleBlockId id = new ShuffleBlockId(SHUFFLE, mapId, REDUCE);
                    expected.put(id, block);
                    blocks.add(new MapBlock(id, location, block.length));
                }
            }
            // one block larger than the bound: fetched alone
            byte[] large = TestingMapOutput.bytes(999, (int) bound + 100_000);
            ShuffleServer first = servers.get(0);
            TestingMapOutput.write(new ShuffleFiles(first.registry().dirsOf(APP, "exec-0")), SHUFFLE, 999,
                    List.of(new byte[1], large));
            ShuffleBlockId largeId = new ShuffleBlockId(SHUFFLE, 999, REDUCE);
            expected.put(largeId, large);
            blocks.add(new MapBlock(largeId, new BlockLocation("exec-0", "127.0.0.1", first.port()), large.length));

            SortShuffleReader reader = new SortShuffleReader(blocks, selfElsewhere(), localFiles(), APP, client, bound);
            Map<ShuffleBlockId, byte[]> received = readAll(reader);

            assertEquals(expected.keySet(), received.keySet());
            expected.forEach((id, bytes) -> assertArrayEquals(bytes, received.get(id), id.toString()));
            assertTrue(reader.maxBytesInFlightSeen() <= large.length, "in flight: " + reader.maxBytesInFlightSeen());
            assertTrue(reader.maxBytesInFlightSeen() > 0);
            long totalWithoutLarge = expected.values().stream().mapToLong(b -> b.length).sum() - large.length;
            assertTrue(totalWithoutLarge > 3 * bound, "the test must need many rounds: " + totalWithoutLarge);
        } finally {
            servers.forEach(ShuffleServer::close);
        }
    }

    @Test
    void neverExceedsTheBoundWhenEveryBlockFitsInIt() throws Exception {
        long bound = 1L << 20;
        List<MapBlock> blocks = new ArrayList<>();
        try (ShuffleServer server = ownServer("exec-0"); ShuffleClient client = new ShuffleClient(Optional.empty())) {
            ShuffleFiles files = new ShuffleFiles(server.registry().dirsOf(APP, "exec-0"));
            for (int m = 0; m < 40; m++) {
                byte[] block = TestingMapOutput.bytes(m, 100_000 + 7_000 * m);
                TestingMapOutput.write(files, SHUFFLE, m, List.of(new byte[3], block));
                blocks.add(new MapBlock(new ShuffleBlockId(SHUFFLE, m, REDUCE),
                        new BlockLocation("exec-0", "127.0.0.1", server.port()), block.length));
            }
            SortShuffleReader reader = new SortShuffleReader(blocks, selfElsewhere(), localFiles(), APP, client, bound);

            assertEquals(40, readAll(reader).size());
            assertTrue(reader.maxBytesInFlightSeen() <= bound, "in flight: " + reader.maxBytesInFlightSeen());
        }
    }

    @Test
    void aCorruptRemoteBlockIsFetchedAgainThenReportedAndNeverReturned() throws Exception {
        try (ShuffleServer server = ownServer("exec-0"); ShuffleClient client = new ShuffleClient(Optional.empty())) {
            ShuffleFiles files = new ShuffleFiles(server.registry().dirsOf(APP, "exec-0"));
            byte[] block = TestingMapOutput.bytes(5, 50_000);
            TestingMapOutput.write(files, SHUFFLE, 5, List.of(new byte[10], block));
            TestingMapOutput.corruptByte(files.dataFile(SHUFFLE, 5), 10 + 12_345);
            BlockLocation location = new BlockLocation("exec-0", "127.0.0.1", server.port());
            ShuffleBlockId id = new ShuffleBlockId(SHUFFLE, 5, REDUCE);

            try (SortShuffleReader reader = new SortShuffleReader(List.of(new MapBlock(id, location, block.length)),
                    selfElsewhere(), localFiles(), APP, client, 1L << 20)) {
                FetchFailedException e = assertThrows(FetchFailedException.class, reader::next);

                assertEquals(id, e.block());
                assertEquals(location, e.location());
                assertTrue(e.getMessage().contains("checksum does not match, also when fetched again"), e.getMessage());
            }
        }
    }

    /**
     * The blocks in flight are held on the task's memory: never more than it grants (beyond the one
     * request a reader with nothing in flight may always send), given back as blocks are handed out,
     * and all of it at close, as {@code take(1)} leaves a reader.
     */
    @Test
    void holdsItsBlocksInFlightOnTheTaskMemoryAndGivesThemBack() throws Exception {
        try (ShuffleServer server = ownServer("exec-0"); ShuffleClient client = new ShuffleClient(Optional.empty())) {
            ShuffleFiles files = new ShuffleFiles(server.registry().dirsOf(APP, "exec-0"));
            List<MapBlock> blocks = new ArrayList<>();
            Map<ShuffleBlockId, byte[]> expected = new HashMap<>();
            for (int map = 0; map < 30; map++) {
                byte[] block = TestingMapOutput.bytes(map, 40_000);
                TestingMapOutput.write(files, SHUFFLE, map, List.of(new byte[10], block));
                ShuffleBlockId id = new ShuffleBlockId(SHUFFLE, map, REDUCE);
                blocks.add(new MapBlock(id, new BlockLocation("exec-0", "127.0.0.1", server.port()), block.length));
                expected.put(id, block);
            }
            TestingShuffleMemory memory = new TestingShuffleMemory(100_000);
            SortShuffleReader reader = new SortShuffleReader(blocks, selfElsewhere(), localFiles(), APP, client,
                    200_000, FetchBudget.unbounded(), Long.MAX_VALUE, memory);

            Map<ShuffleBlockId, byte[]> received = readAll(reader);

            expected.forEach((id, bytes) -> assertArrayEquals(bytes, received.get(id), id.toString()));
            assertTrue(memory.peak() <= 100_000, "held at most what the task's memory granted: " + memory.peak());
            assertTrue(memory.refusals() > 0, "the task's memory, not the reader's own bound, held it back");
            assertEquals(0, memory.used(), "all given back once read");

            TestingShuffleMemory abandonedMemory = new TestingShuffleMemory(1L << 20);
            SortShuffleReader abandoned = new SortShuffleReader(blocks, selfElsewhere(), localFiles(), APP, client,
                    200_000, FetchBudget.unbounded(), Long.MAX_VALUE, abandonedMemory);
            abandoned.next();
            assertTrue(abandonedMemory.used() > 0, "blocks in flight after the first");
            abandoned.close();   // as take(1) leaves it
            assertEquals(0, abandonedMemory.used(), "a closed reader gives back what it still had in flight");
        }
    }

    /**
     * In a shuffle of many partitions the driver estimates small blocks' lengths: a block whose
     * estimated length differs from what the server sends is read whole, while an exact length that
     * differs means the server sent another block, refused after one retry.
     */
    @Test
    void anEstimatedLengthIsNotCheckedButAnExactOneIs() throws Exception {
        try (ShuffleServer server = ownServer("exec-0"); ShuffleClient client = new ShuffleClient(Optional.empty())) {
            ShuffleFiles files = new ShuffleFiles(server.registry().dirsOf(APP, "exec-0"));
            byte[] block = TestingMapOutput.bytes(6, 30_000);
            TestingMapOutput.write(files, SHUFFLE, 6, List.of(new byte[10], block));
            BlockLocation location = new BlockLocation("exec-0", "127.0.0.1", server.port());
            ShuffleBlockId id = new ShuffleBlockId(SHUFFLE, 6, REDUCE);

            try (SortShuffleReader reader = new SortShuffleReader(List.of(new MapBlock(id, location, 1_000, false)),
                    selfElsewhere(), localFiles(), APP, client, 1L << 20)) {
                assertArrayEquals(block, reader.next().data().readAllBytes());
                assertFalse(reader.hasNext());
            }
            try (SortShuffleReader reader = new SortShuffleReader(List.of(new MapBlock(id, location, 1_000, true)),
                    selfElsewhere(), localFiles(), APP, client, 1L << 20)) {
                FetchFailedException e = assertThrows(FetchFailedException.class, reader::next);
                assertTrue(e.getMessage().contains("received 30000 bytes, the map task wrote 1000, also when fetched "
                        + "again"), e.getMessage());
            }
        }
    }

    /**
     * Blocks above the fetch-to-disk threshold go to files as they arrive and are read from there,
     * exact; smaller ones stay in memory; each file is deleted once the next block is asked for, and
     * at close, also for a reader closed before it read everything. A corrupt block in a file is
     * caught by the checksum computed as it was written.
     */
    @Test
    void blocksAboveTheThresholdAreStreamedToFilesReadExactAndDeleted() throws Exception {
        Path fetched = temp.resolve("fetched");
        try (ShuffleServer server = ownServer("exec-0");
             ShuffleClient client = new ShuffleClient(Optional.empty(), ConnectionLimits.DEFAULTS,
                     FetchToDisk.above(100_000, fetched))) {
            ShuffleFiles files = new ShuffleFiles(server.registry().dirsOf(APP, "exec-0"));
            BlockLocation location = new BlockLocation("exec-0", "127.0.0.1", server.port());
            Map<ShuffleBlockId, byte[]> expected = new HashMap<>();
            List<MapBlock> blocks = new ArrayList<>();
            for (int m = 0; m < 6; m++) {
                byte[] block = TestingMapOutput.bytes(m, m % 2 == 0 ? 50_000 : 300_000 + m);
                TestingMapOutput.write(files, SHUFFLE, m, List.of(new byte[3], block));
                ShuffleBlockId id = new ShuffleBlockId(SHUFFLE, m, REDUCE);
                expected.put(id, block);
                blocks.add(new MapBlock(id, location, block.length));
            }

            Map<ShuffleBlockId, byte[]> received = new HashMap<>();
            long mostFiles = 0;
            try (SortShuffleReader reader = new SortShuffleReader(blocks, selfElsewhere(), localFiles(), APP, client,
                    1L << 20)) {
                while (reader.hasNext()) {
                    ShuffleBlock block = reader.next();
                    mostFiles = Math.max(mostFiles, filesIn(fetched));
                    received.put(block.id(), block.data().readAllBytes());
                }
            }
            assertTrue(mostFiles >= 1 && mostFiles <= 3, "the three large blocks, and only they, went to files: "
                    + mostFiles);
            assertEquals(expected.keySet(), received.keySet());
            expected.forEach((id, bytes) -> assertArrayEquals(bytes, received.get(id), id.toString()));
            assertEquals(0, filesIn(fetched), "every file deleted at close");

            SortShuffleReader abandoned = new SortShuffleReader(blocks, selfElsewhere(), localFiles(), APP, client,
                    1L << 20);
            abandoned.next();
            abandoned.close();   // as take(1) leaves it, while other blocks may still arrive
            Await.until("every file deleted after close", () -> filesIn(fetched) == 0);

            TestingMapOutput.corruptByte(files.dataFile(SHUFFLE, 1), 3 + 123_456);
            ShuffleBlockId corrupt = new ShuffleBlockId(SHUFFLE, 1, REDUCE);
            try (SortShuffleReader reader = new SortShuffleReader(List.of(new MapBlock(corrupt, location,
                    expected.get(corrupt).length)), selfElsewhere(), localFiles(), APP, client, 1L << 20)) {
                FetchFailedException e = assertThrows(FetchFailedException.class, reader::next);
                assertTrue(e.getMessage().contains("checksum does not match, also when fetched again"), e.getMessage());
            }
            assertEquals(0, filesIn(fetched), "a corrupt block's files are deleted too");
        }
    }

    /** The files in a directory; 0 when it does not exist (the fetched blocks' directory, for tests). */
    static long filesIn(Path dir) {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void aCorruptLocalBlockIsReadAgainThenReported() throws Exception {
        ShuffleFiles files = localFiles();
        byte[] block = TestingMapOutput.bytes(6, 10_000);
        TestingMapOutput.write(files, SHUFFLE, 6, List.of(new byte[10], block));
        TestingMapOutput.corruptByte(files.dataFile(SHUFFLE, 6), 10 + 9_999);
        ShuffleBlockId id = new ShuffleBlockId(SHUFFLE, 6, REDUCE);
        try (ShuffleClient client = new ShuffleClient(Optional.empty());
             SortShuffleReader reader = new SortShuffleReader(List.of(new MapBlock(id, self(), block.length)), self(),
                     files, APP, client, 1L << 20)) {
            FetchFailedException e = assertThrows(FetchFailedException.class, reader::next);

            assertEquals(id, e.block());
            assertTrue(e.getMessage().contains("corrupt"), e.getMessage());
        }
    }

    /**
     * A local block longer than the in-memory bound is streamed from its file once its checksum is
     * checked: exact, not a copy in memory; a corrupt one is read again, then reported, never returned.
     */
    @Test
    void aLargeLocalBlockIsCheckedThenStreamedFromItsFile() throws Exception {
        ShuffleFiles files = localFiles();
        byte[] block = TestingMapOutput.bytes(8, 500_000);
        TestingMapOutput.write(files, SHUFFLE, 8, List.of(new byte[10], block));
        ShuffleBlockId id = new ShuffleBlockId(SHUFFLE, 8, REDUCE);
        try (ShuffleClient client = new ShuffleClient(Optional.empty());
             SortShuffleReader reader = new SortShuffleReader(List.of(new MapBlock(id, self(), block.length)), self(),
                     files, APP, client, 1L << 20, FetchBudget.unbounded(), 100_000)) {
            ShuffleBlock read = reader.next();

            assertFalse(read.data() instanceof ByteArrayInputStream, "streamed from the file");
            assertArrayEquals(block, read.data().readAllBytes());
        }

        TestingMapOutput.corruptByte(files.dataFile(SHUFFLE, 8), 10 + 400_000);
        try (ShuffleClient client = new ShuffleClient(Optional.empty());
             SortShuffleReader reader = new SortShuffleReader(List.of(new MapBlock(id, self(), block.length)), self(),
                     files, APP, client, 1L << 20, FetchBudget.unbounded(), 100_000)) {
            FetchFailedException e = assertThrows(FetchFailedException.class, reader::next);
            assertTrue(e.getMessage().contains("corrupt"), e.getMessage());
        }
    }

    /**
     * A local block short enough to be read whole is read on the task's memory, held until the next
     * block; when the task's memory cannot hold it, it is streamed from its file instead, exact both
     * ways.
     */
    @Test
    void aLocalBlockReadWholeIsHeldOnTheTaskMemoryOrStreamedWhenRefused() throws Exception {
        ShuffleFiles files = localFiles();
        byte[] first = TestingMapOutput.bytes(8, 30_000);
        byte[] second = TestingMapOutput.bytes(9, 30_000);
        TestingMapOutput.write(files, SHUFFLE, 8, List.of(new byte[10], first));
        TestingMapOutput.write(files, SHUFFLE, 9, List.of(new byte[10], second));
        List<MapBlock> blocks = List.of(new MapBlock(new ShuffleBlockId(SHUFFLE, 8, REDUCE), self(), first.length),
                new MapBlock(new ShuffleBlockId(SHUFFLE, 9, REDUCE), self(), second.length));
        try (ShuffleClient client = new ShuffleClient(Optional.empty())) {
            TestingShuffleMemory enough = new TestingShuffleMemory(1L << 20);
            try (SortShuffleReader reader = new SortShuffleReader(blocks, self(), files, APP, client, 1L << 20,
                    FetchBudget.unbounded(), 1L << 20, enough)) {
                assertArrayEquals(first, reader.next().data().readAllBytes());
                assertEquals(first.length, enough.used(), "the block read whole is held");
                assertArrayEquals(second, reader.next().data().readAllBytes());
                assertEquals(second.length, enough.used(), "the first given back at the second");
            }
            assertEquals(0, enough.used(), "and the second at close");

            TestingShuffleMemory scarce = new TestingShuffleMemory(10_000);
            try (SortShuffleReader reader = new SortShuffleReader(blocks, self(), files, APP, client, 1L << 20,
                    FetchBudget.unbounded(), 1L << 20, scarce)) {
                assertArrayEquals(first, reader.next().data().readAllBytes());
                assertEquals(0, scarce.used(), "refused, the block is streamed from its file");
                assertTrue(scarce.refusals() > 0);
                assertArrayEquals(second, reader.next().data().readAllBytes());
            }
        }
    }

    @Test
    void readsLocalBlocksFromDiskWithoutAConnection() throws Exception {
        ShuffleFiles files = localFiles();
        byte[] block = TestingMapOutput.bytes(7, 10_000);
        TestingMapOutput.write(files, SHUFFLE, 7, List.of(new byte[10], block));
        ShuffleBlockId id = new ShuffleBlockId(SHUFFLE, 7, REDUCE);
        // self() names a port nothing listens on: a connection attempt would fail the read
        try (ShuffleClient client = new ShuffleClient(Optional.empty());
             SortShuffleReader reader = new SortShuffleReader(List.of(new MapBlock(id, self(), block.length)), self(),
                     files, APP, client, 1L << 20)) {
            ShuffleBlock read = reader.next();

            assertEquals(id, read.id());
            assertArrayEquals(block, read.data().readAllBytes());
            assertFalse(reader.hasNext());
        }
    }

    @Test
    void aBlockWhoseServerIsGoneIsAFetchFailure() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        BlockLocation gone = new BlockLocation("exec-9", "127.0.0.1", port);
        ShuffleBlockId id = new ShuffleBlockId(SHUFFLE, 9, REDUCE);
        try (ShuffleClient client = new ShuffleClient(Optional.empty());
             SortShuffleReader reader = new SortShuffleReader(List.of(new MapBlock(id, gone, 100)), selfElsewhere(),
                     localFiles(), APP, client, 1L << 20)) {
            FetchFailedException e = assertThrows(FetchFailedException.class, reader::next);

            assertEquals(id, e.block());
            assertEquals(gone, e.location());
            assertTrue(e.getMessage().contains("cannot connect"), e.getMessage());
        }
    }

    @Test
    void aBlockWhoseFileIsMissingIsAFetchFailureNamingIt() throws Exception {
        try (ShuffleServer server = ownServer("exec-0"); ShuffleClient client = new ShuffleClient(Optional.empty())) {
            BlockLocation location = new BlockLocation("exec-0", "127.0.0.1", server.port());
            ShuffleBlockId id = new ShuffleBlockId(SHUFFLE, 11, REDUCE);
            try (SortShuffleReader reader = new SortShuffleReader(List.of(new MapBlock(id, location, 100)),
                    selfElsewhere(), localFiles(), APP, client, 1L << 20)) {
                FetchFailedException e = assertThrows(FetchFailedException.class, reader::next);

                assertEquals(id, e.block());
                assertTrue(e.getMessage().contains("no map output for " + id), e.getMessage());
            }
        }
    }

    /**
     * Three reduce tasks of one executor read at once through readers sharing its budget: each gets
     * every block, the executor's bytes in flight never pass its bound plus one request per reader
     * (a reader with nothing in flight may always send one), and all of it is given back at the end,
     * also by a reader closed before it read everything.
     */
    @Test
    void readersOfOneExecutorStayWithinItsBudgetTogether() throws Exception {
        long perTask = 1L << 20;
        long perExecutor = 1L << 20;
        FetchBudget budget = new FetchBudget(perExecutor);
        try (ShuffleServer server = ownServer("exec-0"); ShuffleClient client = new ShuffleClient(Optional.empty())) {
            ShuffleFiles files = new ShuffleFiles(server.registry().dirsOf(APP, "exec-0"));
            BlockLocation location = new BlockLocation("exec-0", "127.0.0.1", server.port());
            List<List<MapBlock>> partitions = new ArrayList<>();
            for (int reduce = 0; reduce < 3; reduce++) {
                partitions.add(new ArrayList<>());
            }
            for (int m = 0; m < 30; m++) {
                List<byte[]> blocks = new ArrayList<>();
                for (int reduce = 0; reduce < 3; reduce++) {
                    byte[] block = TestingMapOutput.bytes(m * 3 + reduce, 60_000 + 1_000 * m);
                    blocks.add(block);
                    partitions.get(reduce).add(new MapBlock(new ShuffleBlockId(SHUFFLE, m, reduce), location,
                            block.length));
                }
                TestingMapOutput.write(files, SHUFFLE, m, blocks);
            }
            List<Future<Integer>> reads = new ArrayList<>();
            ExecutorService tasks = Executors.newFixedThreadPool(3);
            try {
                for (List<MapBlock> blocks : partitions) {
                    reads.add(tasks.submit(() -> readAll(new SortShuffleReader(blocks, selfElsewhere(), localFiles(),
                            APP, client, perTask, budget, Long.MAX_VALUE)).size()));
                }
                for (Future<Integer> read : reads) {
                    assertEquals(30, read.get(60, TimeUnit.SECONDS));
                }
            } finally {
                tasks.shutdownNow();
            }
            long largestRequest = perTask / 5 + 90_000;
            assertTrue(budget.peak() <= perExecutor + 3 * largestRequest, budget.toString());
            assertTrue(budget.peak() > 0, budget.toString());
            assertEquals(0, budget.inFlight(), "every byte given back: " + budget);

            SortShuffleReader abandoned = new SortShuffleReader(partitions.get(0), selfElsewhere(), localFiles(), APP,
                    client, perTask, budget, Long.MAX_VALUE);
            abandoned.next();
            abandoned.close();   // as take(1) leaves it
            assertEquals(0, budget.inFlight(), "a closed reader gives back what it still had in flight: " + budget);
        }
    }

    private ShuffleServer ownServer(String executorId) throws Exception {
        Path dir = Files.createDirectories(temp.resolve(executorId)).toRealPath();
        ExecutorRegistry registry = ExecutorRegistry.inMemory();
        registry.registerOwn(APP, executorId, List.of(dir));
        return ShuffleServer.start(new ShuffleServerConfig("127.0.0.1", 0, Optional.empty(), false, true), registry);
    }

    private ShuffleFiles localFiles() throws IOException {
        return new ShuffleFiles(List.of(Files.createDirectories(temp.resolve("self")).toRealPath()));
    }

    private static BlockLocation self() {
        return new BlockLocation("self", "127.0.0.1", 1);
    }

    private static BlockLocation selfElsewhere() {
        return new BlockLocation("self", "10.255.255.1", 1);
    }

    private static Map<ShuffleBlockId, byte[]> readAll(SortShuffleReader reader) throws IOException {
        Map<ShuffleBlockId, byte[]> received = new HashMap<>();
        try (reader) {
            while (reader.hasNext()) {
                ShuffleBlock block = reader.next();
                if (received.put(block.id(), block.data().readAllBytes()) != null) {
                    throw new AssertionError(block.id() + " returned twice");
                }
            }
        }
        return received;
    }
}
