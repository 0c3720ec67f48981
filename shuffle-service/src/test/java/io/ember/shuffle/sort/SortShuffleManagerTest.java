package io.ember.shuffle.sort;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.api.shuffle.ExecutorShuffle;
import io.ember.api.shuffle.ExecutorShuffleContext;
import io.ember.api.shuffle.ExecutorShuffleContext.ServiceAddress;
import io.ember.api.shuffle.MapBlock;
import io.ember.api.shuffle.MapOutput;
import io.ember.api.shuffle.ShuffleBlock;
import io.ember.api.shuffle.ShuffleBlockId;
import io.ember.api.shuffle.ShuffleReader;
import io.ember.api.shuffle.ShuffleService;
import io.ember.api.shuffle.ShuffleServiceContext;
import io.ember.api.shuffle.ShuffleWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
final class SortShuffleManagerTest {

    private static final String APP = "app-1";
    private static final ShuffleBlockId BLOCK = new ShuffleBlockId(4, 2, 1);

    @TempDir
    Path temp;

    @Test
    void anExecutorWithoutAServiceServesItsOwnOutput() throws IOException {
        byte[] block = TestingMapOutput.bytes(1, 70_000);
        try (SortShuffleManager manager = new SortShuffleManager(settings())) {
            ExecutorShuffle writer = manager.openExecutor(context("exec-1", Optional.empty(), Optional.of("s3cret")));
            ExecutorShuffle reader = manager.openExecutor(context("exec-2", Optional.empty(), Optional.of("s3cret")));
            assertNotEquals(writer.location().port(), reader.location().port());
            assertFalse(writer.outlivesExecutor());
            TestingMapOutput.write(((SortExecutorShuffle) writer).files(), 4, 2, List.of(new byte[5], block));

            assertArrayEquals(block, readOne(reader, new MapBlock(BLOCK, writer.location(), block.length)));

            writer.removeShuffle(4);
            assertFalse(Files.exists(((SortExecutorShuffle) writer).files().shuffleDir(4, 2)));
            writer.close();
            writer.close();
        }
    }

    @Test
    void executorsRegisterWithTheServiceTheManagerStarted() throws IOException {
        byte[] block = TestingMapOutput.bytes(2, 40_000);
        try (SortShuffleManager manager = new SortShuffleManager(settings())) {
            ShuffleService service = manager.startService(
                    new ShuffleServiceContext("127.0.0.1", 0, temp.resolve("state"), Optional.empty()));
            Optional<ServiceAddress> address = Optional.of(new ServiceAddress("127.0.0.1", service.port()));
            ExecutorShuffle writer = manager.openExecutor(context("exec-1", address, Optional.empty()));
            assertEquals(service.port(), writer.location().port());
            assertEquals("exec-1", writer.location().executorId());
            assertTrue(writer.outlivesExecutor());
            TestingMapOutput.write(((SortExecutorShuffle) writer).files(), 4, 2, List.of(new byte[5], block));
            writer.close();

            ExecutorShuffle reader = manager.openExecutor(context("exec-2", address, Optional.empty()));
            assertArrayEquals(block, readOne(reader, new MapBlock(BLOCK, writer.location(), block.length)));

            service.applicationRemoved(APP);
            assertFalse(Files.exists(temp.resolve("exec-1").resolve("shuffle-4")));
        }
    }

    @Test
    void anExecutorFailsToOpenWhenTheServiceRefusesItsRegistration() {
        try (SortShuffleManager manager = new SortShuffleManager(settings())) {
            ShuffleService service = manager.startService(
                    new ShuffleServiceContext("127.0.0.1", 0, temp.resolve("state"), Optional.of("s3cret")));
            Optional<ServiceAddress> address = Optional.of(new ServiceAddress("127.0.0.1", service.port()));

            UncheckedIOException e = assertThrows(UncheckedIOException.class,
                    () -> manager.openExecutor(context("exec-1", address, Optional.empty())));
            assertTrue(e.getMessage().contains("requires authentication"), e.getMessage());
        }
    }

    @Test
    void aMapOutputWrittenByOneExecutorIsReadByAnotherThroughTheService() throws IOException {
        try (SortShuffleManager manager = new SortShuffleManager(settings())) {
            ShuffleService service = manager.startService(
                    new ShuffleServiceContext("127.0.0.1", 0, temp.resolve("state"), Optional.of("s3cret")));
            Optional<ServiceAddress> address = Optional.of(new ServiceAddress("127.0.0.1", service.port()));
            ExecutorShuffle mapSide = manager.openExecutor(context("exec-1", address, Optional.of("s3cret")));
            byte[][] records = {TestingMapOutput.bytes(3, 900), TestingMapOutput.bytes(4, 1_100), TestingMapOutput.bytes(5, 7)};
            MapOutput output;
            try (ShuffleWriter writer = mapSide.writer(9, 41, 3)) {
                writer.write(2, records[0], 0, records[0].length);
                writer.write(0, records[1], 0, records[1].length);
                writer.write(2, records[2], 0, records[2].length);
                output = writer.commit();
            }
            mapSide.close();   // the executor is gone; the service serves its output

            assertEquals(List.of(1_100L, 0L, 907L), java.util.Arrays.stream(output.lengths()).boxed().toList());
            ExecutorShuffle reduceSide = manager.openExecutor(context("exec-2", address, Optional.of("s3cret")));
            byte[] partition2 = readOne(reduceSide, new MapBlock(new ShuffleBlockId(9, 41, 2), mapSide.location(),
                    output.length(2)));
            byte[] expected = new byte[907];
            System.arraycopy(records[0], 0, expected, 0, 900);
            System.arraycopy(records[2], 0, expected, 900, 7);
            assertArrayEquals(expected, partition2, "partition 2's records, in the order they were written");
            reduceSide.close();
        }
    }

    private ExecutorShuffleContext context(String executorId, Optional<ServiceAddress> service,
                                           Optional<String> secret) {
        try {
            Path dir = Files.createDirectories(temp.resolve(executorId));
            return new ExecutorShuffleContext(APP, executorId, "127.0.0.1", List.of(dir), service, secret);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] readOne(ExecutorShuffle executor, MapBlock block) throws IOException {
        try (ShuffleReader reader = executor.reader(List.of(block))) {
            ShuffleBlock read = reader.next();
            assertEquals(block.id(), read.id());
            assertFalse(reader.hasNext());
            return read.data().readAllBytes();
        }
    }

    private static SortShuffleSettings settings() {
        return new SortShuffleSettings(64L << 20, 64 << 10, true, ChecksumAlgorithm.CRC32C, 1L << 20);
    }
}
