package io.ember.shuffle.sort;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.api.shuffle.ExecutorShuffleContext;
import io.ember.api.shuffle.ExecutorShuffleContext.ServiceAddress;
import io.ember.api.shuffle.ShuffleBlockId;
import io.ember.shuffle.sort.ShuffleMessage.ApplicationRemoved;
import io.ember.shuffle.sort.ShuffleMessage.Error;
import io.ember.shuffle.sort.ShuffleMessage.FetchBlocks;
import io.ember.shuffle.sort.ShuffleMessage.Ok;
import io.ember.shuffle.sort.ShuffleMessage.RegisterExecutor;
import io.ember.shuffle.sort.ShuffleMessage.RegisterExecutorDirs;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(60)
final class ShuffleServerTest {

    private static final String APP = "app-20261126-0001";
    private static final String EXECUTOR = "exec-1";
    private static final ShuffleBlockId BLOCK = new ShuffleBlockId(3, 7, 1);

    @TempDir
    Path temp;

    @Test
    void servesAHandWrittenBlockByteExact() throws IOException {
        List<byte[]> blocks = TestingMapOutput.blocks(1, 3, 100_000);
        try (ShuffleServer service = startService(Optional.empty());
             ShuffleClient client = new ShuffleClient(Optional.empty())) {
            ShuffleFiles files = registeredExecutor(client, service, EXECUTOR);
            TestingMapOutput.write(files, 3, 7, blocks);

            Map<ShuffleBlockId, Object> outcomes = TestingFetch.fetch(client, service.port(), APP, EXECUTOR, BLOCK,
                    new ShuffleBlockId(3, 7, 2));

            FetchedBlock block = assertInstanceOf(FetchedBlock.class, outcomes.get(BLOCK));
            assertArrayEquals(blocks.get(1), block.data());
            assertEquals(ChecksumAlgorithm.CRC32C, block.algorithm());
            assertTrue(block.intact());
            assertArrayEquals(blocks.get(2), ((FetchedBlock) outcomes.get(new ShuffleBlockId(3, 7, 2))).data());
        }
    }

    @Test
    void servesBlocksInChunksWhenZeroCopyIsOff() throws Exception {
        List<byte[]> blocks = TestingMapOutput.blocks(2, 2, 300_000);
        ShuffleFiles files = new ShuffleFiles(List.of(dir("own")));
        TestingMapOutput.write(files, 3, 7, blocks, ChecksumAlgorithm.ADLER32);
        ExecutorRegistry registry = ExecutorRegistry.inMemory();
        registry.registerOwn(APP, EXECUTOR, List.of(dir("own")));
        try (ShuffleServer server = ShuffleServer.start(
                new ShuffleServerConfig("127.0.0.1", 0, Optional.empty(), false, false), registry);
             ShuffleClient client = new ShuffleClient(Optional.empty())) {
            assertArrayEquals(blocks.get(1), TestingFetch.fetchBytes(client, server.port(), APP, EXECUTOR, BLOCK));
        }
    }

    @Test
    void keepsServingAfterTheExecutorExits() throws IOException {
        List<byte[]> blocks = TestingMapOutput.blocks(3, 2, 5_000);
        try (ShuffleServer service = startService(Optional.of("s3cret"))) {
            ExecutorShuffleContext context = new ExecutorShuffleContext(APP, EXECUTOR, "127.0.0.1", List.of(dir("exec")),
                    Optional.of(new ServiceAddress("127.0.0.1", service.port())), Optional.of("s3cret"));
            SortExecutorShuffle executor = new SortExecutorShuffle(context, settings());
            assertEquals(service.port(), executor.location().port());
            TestingMapOutput.write(executor.files(), 3, 7, blocks);
            executor.close();

            try (ShuffleClient reducer = new ShuffleClient(Optional.of("s3cret"))) {
                assertArrayEquals(blocks.get(1), TestingFetch.fetchBytes(reducer, service.port(), APP, EXECUTOR, BLOCK));
            }
        }
    }

    @Test
    void refusesBlockIdsThatAreNotStrictlyBlockIds() throws IOException {
        try (ShuffleServer service = startService(Optional.empty());
             ShuffleClient client = new ShuffleClient(Optional.empty())) {
            ShuffleFiles files = registeredExecutor(client, service, EXECUTOR);
            TestingMapOutput.write(files, 3, 7, TestingMapOutput.blocks(4, 2, 1_000));
            Path secret = Files.writeString(files.localDirs().get(0).resolve("secret.txt"), "not for you");

            try (RawConnection raw = new RawConnection(service.port())) {
                for (String id : List.of("shuffle_1_../x", "shuffle_3_7_1/../../secret.txt", "../secret.txt",
                        secret.toString(), "/etc/passwd", "shuffle_3_7_-1", "shuffle_03_7_1",
                        "shuffle_3_7_1\u0000", "shuffle_3_7_99999999999", "")) {
                    ShuffleMessage reply = raw.request(new FetchBlocks(42, APP, EXECUTOR, List.of(BLOCK.toString(), id)));
                    Error error = assertInstanceOf(Error.class, reply, id);
                    assertEquals(42, error.requestId());
                    assertTrue(error.message().startsWith("not a shuffle block id"), id + " -> " + error.message());
                }
            }
            assertServes(client, service, files);
        }
    }

    @Test
    void refusesAnUnknownApplicationAndAnUnknownExecutor() throws IOException {
        try (ShuffleServer service = startService(Optional.empty());
             ShuffleClient client = new ShuffleClient(Optional.empty())) {
            ShuffleFiles files = registeredExecutor(client, service, EXECUTOR);
            TestingMapOutput.write(files, 3, 7, TestingMapOutput.blocks(5, 2, 1_000));

            assertEquals("unknown application 'other-app'",
                    TestingFetch.fetch(client, service.port(), "other-app", EXECUTOR, BLOCK).get(BLOCK));
            assertEquals("unknown executor 'exec-2' of application '" + APP + "'",
                    TestingFetch.fetch(client, service.port(), APP, "exec-2", BLOCK).get(BLOCK));
            assertServes(client, service, files);
        }
    }

    @Test
    void namesTheBlockWhoseFilesAreMissing() throws IOException {
        try (ShuffleServer service = startService(Optional.empty());
             ShuffleClient client = new ShuffleClient(Optional.empty())) {
            ShuffleFiles files = registeredExecutor(client, service, EXECUTOR);
            TestingMapOutput.write(files, 3, 7, TestingMapOutput.blocks(6, 2, 1_000));
            ShuffleBlockId missing = new ShuffleBlockId(3, 8, 0);

            Map<ShuffleBlockId, Object> outcomes = TestingFetch.fetch(client, service.port(), APP, EXECUTOR, missing,
                    BLOCK);

            assertEquals("no map output for shuffle_3_8_0 (no index file)", outcomes.get(missing));
            assertInstanceOf(FetchedBlock.class, outcomes.get(BLOCK));
        }
    }

    @Test
    void closesOnlyTheConnectionThatSentAMalformedFrame() throws IOException {
        try (ShuffleServer service = startService(Optional.empty());
             ShuffleClient client = new ShuffleClient(Optional.empty())) {
            ShuffleFiles files = registeredExecutor(client, service, EXECUTOR);
            TestingMapOutput.write(files, 3, 7, TestingMapOutput.blocks(7, 2, 1_000));

            for (byte[] frame : List.of(new byte[] {99, 1, 2, 3}, new byte[0], new byte[] {4, 0, 0},
                    new byte[] {4, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 'a', 0, 1, 'b', 0x7f, (byte) 0xff, (byte) 0xff, 0})) {
                try (RawConnection raw = new RawConnection(service.port())) {
                    assertEquals(0, raw.sendFrame(frame).bytesUntilClosed());
                }
            }
            assertServes(client, service, files);
        }
    }

    @Test
    void closesOnlyTheConnectionThatSentAnOversizedFrame() throws IOException {
        try (ShuffleServer service = startService(Optional.empty());
             ShuffleClient client = new ShuffleClient(Optional.empty())) {
            ShuffleFiles files = registeredExecutor(client, service, EXECUTOR);
            TestingMapOutput.write(files, 3, 7, TestingMapOutput.blocks(8, 2, 1_000));

            try (RawConnection raw = new RawConnection(service.port())) {
                byte[] header = ByteBuffer.allocate(5).putInt(100 << 20).put((byte) 4).array();
                assertEquals(0, raw.send(header).bytesUntilClosed());
            }
            try (RawConnection raw = new RawConnection(service.port())) {
                assertEquals(0, raw.send(ByteBuffer.allocate(4).putInt(-5).array()).bytesUntilClosed());
            }
            assertServes(client, service, files);
        }
    }

    @Test
    void refusesConnectionsThatDoNotAuthenticateWhenASecretIsSet() throws IOException {
        try (ShuffleServer service = startService(Optional.of("s3cret"));
             ShuffleClient client = new ShuffleClient(Optional.of("s3cret"))) {
            ShuffleFiles files = registeredExecutor(client, service, EXECUTOR);
            TestingMapOutput.write(files, 3, 7, TestingMapOutput.blocks(9, 2, 1_000));

            try (ShuffleClient anonymous = new ShuffleClient(Optional.empty())) {
                String reason = (String) TestingFetch.fetch(anonymous, service.port(), APP, EXECUTOR, BLOCK).get(BLOCK);
                assertTrue(reason.contains("requires authentication"), reason);
            }
            try (ShuffleClient impostor = new ShuffleClient(Optional.of("guess"))) {
                String reason = (String) TestingFetch.fetch(impostor, service.port(), APP, EXECUTOR, BLOCK).get(BLOCK);
                assertTrue(reason.contains("closed"), reason);
                CompletionException refused = assertThrows(CompletionException.class, () -> impostor.register(
                        "127.0.0.1", service.port(), APP, "exec-9", 1).join());
                assertInstanceOf(IOException.class, refused.getCause());
            }
            try (RawConnection raw = new RawConnection(service.port())) {
                byte[] fetch = frame(new FetchBlocks(1, APP, EXECUTOR, List.of(BLOCK.toString())));
                assertEquals(0, raw.send(fetch).bytesUntilClosed());
            }
            assertThrows(RefusedRequestException.class, () -> service.registry().dirsOf(APP, "exec-9"));
            assertServes(client, service, files);
        }
    }

    @Test
    void remembersRegisteredExecutorsAfterARestart() throws IOException {
        List<byte[]> blocks = TestingMapOutput.blocks(10, 2, 20_000);
        ShuffleFiles files;
        try (ShuffleServer service = startService(Optional.empty());
             ShuffleClient client = new ShuffleClient(Optional.empty())) {
            files = registeredExecutor(client, service, EXECUTOR);
            TestingMapOutput.write(files, 3, 7, blocks);
        }
        try (ShuffleServer restarted = startService(Optional.empty());
             ShuffleClient client = new ShuffleClient(Optional.empty())) {
            assertEquals(1, restarted.registry().size());
            assertArrayEquals(blocks.get(1), TestingFetch.fetchBytes(client, restarted.port(), APP, EXECUTOR, BLOCK));
        }
    }

    @Test
    void applicationRemovedDeletesItsFilesAndRefusesLaterFetches() throws IOException {
        Path appDir;
        try (ShuffleServer service = startService(Optional.empty());
             ShuffleClient client = new ShuffleClient(Optional.empty())) {
            ShuffleFiles files = registeredExecutor(client, service, EXECUTOR);
            TestingMapOutput.write(files, 3, 7, TestingMapOutput.blocks(11, 2, 1_000));
            appDir = files.localDirs().get(0).getParent().getParent();
            assertEquals(temp.resolve("state/data").resolve(APP).toAbsolutePath(), appDir);
            assertEquals(Set.of(APP), service.applications());

            service.applicationRemoved(APP);

            assertFalse(Files.exists(appDir));
            assertEquals(Set.of(), service.applications());
            assertEquals("unknown application '" + APP + "'",
                    TestingFetch.fetch(client, service.port(), APP, EXECUTOR, BLOCK).get(BLOCK));
        }
        try (ShuffleServer restarted = startService(Optional.empty())) {
            assertEquals(0, restarted.registry().size());
        }
    }

    @Test
    void aClientReportsTheEndOfAnApplication() throws IOException {
        try (ShuffleServer service = startService(Optional.empty());
             ShuffleClient client = new ShuffleClient(Optional.empty())) {
            ShuffleFiles files = registeredExecutor(client, service, EXECUTOR);
            TestingMapOutput.write(files, 3, 7, TestingMapOutput.blocks(12, 2, 1_000));

            client.removeApplication("127.0.0.1", service.port(), APP).join();

            assertFalse(Files.exists(files.shuffleDir(3, 7)));
            assertEquals(0, service.registry().size());
        }
    }

    /**
     * A driver cleaned up shuffle 3: the service deletes its files of every executor of the
     * application it registered (one of them exited long ago), keeps shuffle 4's, serves on, and
     * refuses the removal for an application it does not know, or a negative shuffle id; an
     * executor's own server accepts no removal.
     */
    @Test
    void aShuffleRemovedDeletesThatShufflesFilesOfEveryExecutorOfTheApplication() throws IOException {
        try (ShuffleServer service = startService(Optional.empty());
             ShuffleClient client = new ShuffleClient(Optional.empty())) {
            ShuffleFiles first = registeredExecutor(client, service, EXECUTOR);
            ShuffleFiles exited = registeredExecutor(client, service, "exec-exited");
            for (ShuffleFiles files : List.of(first, exited)) {
                TestingMapOutput.write(files, 3, 7, TestingMapOutput.blocks(15, 2, 1_000));
                TestingMapOutput.write(files, 4, 8, TestingMapOutput.blocks(16, 2, 1_000));
            }

            client.removeShuffle("127.0.0.1", service.port(), APP, 3).join();

            for (ShuffleFiles files : List.of(first, exited)) {
                assertFalse(Files.exists(files.shuffleDir(3, 7)), "shuffle 3 gone");
                assertTrue(Files.exists(files.shuffleDir(4, 8)), "shuffle 4 kept");
            }
            assertEquals(2, service.registry().size(), "the executors stay registered");
            CompletionException unknown = assertThrows(CompletionException.class,
                    () -> client.removeShuffle("127.0.0.1", service.port(), "app-other", 3).join());
            assertTrue(unknown.getCause().getMessage().contains("unknown application 'app-other'"),
                    unknown.getCause().getMessage());
            CompletionException negative = assertThrows(CompletionException.class,
                    () -> client.removeShuffle("127.0.0.1", service.port(), APP, -1).join());
            assertTrue(negative.getCause().getMessage().contains("a shuffle id must be >= 0"),
                    negative.getCause().getMessage());
        }
        try (ShuffleServer own = ShuffleServer.start(
                new ShuffleServerConfig("127.0.0.1", 0, Optional.empty(), false, true), ExecutorRegistry.inMemory());
             ShuffleClient client = new ShuffleClient(Optional.empty())) {
            CompletionException e = assertThrows(CompletionException.class,
                    () -> client.removeShuffle("127.0.0.1", own.port(), APP, 3).join());
            assertTrue(e.getCause().getMessage().contains("accepts no registrations"), e.getCause().getMessage());
        }
    }

    /**
     * The attack of issue #16: register an application with a directory that is not the service's,
     * then report the application's end. Before, the service deleted the directory's shuffle-<id>
     * entries; now it takes no directory from a message, and deletes only what it created.
     */
    @ParameterizedTest(name = "secret set: {0}")
    @ValueSource(booleans = {false, true})
    void aRemovalNeverDeletesADirectoryAMessageNamed(boolean withSecret) throws IOException {
        Optional<String> secret = withSecret ? Optional.of("s3cret") : Optional.empty();
        Path victim = dir("victim");
        Path victimFile = Files.writeString(Files.createDirectories(victim.resolve("shuffle-0")).resolve("0.data"),
                "precious");
        Path stateVictim = Files.writeString(Files.createDirectories(temp.resolve("state/shuffle-1"))
                .resolve("0.data"), "next to the root");
        try (ShuffleServer service = startService(secret);
             ShuffleClient client = new ShuffleClient(secret)) {
            ShuffleFiles files = registeredExecutor(client, service, EXECUTOR);
            TestingMapOutput.write(files, 3, 7, TestingMapOutput.blocks(14, 2, 1_000));
            try (RawConnection attacker = new RawConnection(service.port(), secret)) {
                Error refused = assertInstanceOf(Error.class, attacker.request(
                        new RegisterExecutorDirs(1, "app-x", "exec-1", List.of(victim.toString()))));
                assertTrue(refused.message().contains("takes none from a client"), refused.message());
                Error badId = assertInstanceOf(Error.class, attacker.request(new RegisterExecutor(2, "..", "exec-1", 1)));
                assertTrue(badId.message().contains("not a valid application id"), badId.message());
                for (String appId : List.of("app-x", "..", "../victim", victim.toString(), "data", ".")) {
                    assertInstanceOf(Ok.class, attacker.request(new ApplicationRemoved(3, appId)), appId);
                }
            }
            assertEquals("precious", Files.readString(victimFile));
            assertEquals("next to the root", Files.readString(stateVictim));
            assertServes(client, service, files);

            client.removeApplication("127.0.0.1", service.port(), APP).join();

            assertFalse(Files.exists(files.localDirs().get(0)), "the application's own files are deleted");
            assertEquals("precious", Files.readString(victimFile));
        }
    }

    @Test
    void anExecutorsOwnServerAcceptsNoRegistrations() throws IOException {
        try (ShuffleServer server = ShuffleServer.start(
                new ShuffleServerConfig("127.0.0.1", 0, Optional.empty(), false, true), ExecutorRegistry.inMemory());
             ShuffleClient client = new ShuffleClient(Optional.empty())) {
            CompletionException e = assertThrows(CompletionException.class,
                    () -> client.register("127.0.0.1", server.port(), APP, EXECUTOR, 1).join());
            assertTrue(e.getCause().getMessage().contains("accepts no registrations"), e.getCause().getMessage());
            assertEquals(0, server.registry().size());
        }
    }

    private ShuffleServer startService(Optional<String> secret) {
        return ShuffleServer.startService("127.0.0.1", 0, temp.resolve("state"), secret);
    }

    private ShuffleFiles registeredExecutor(ShuffleClient client, ShuffleServer service, String executorId)
            throws IOException {
        List<Path> dirs = client.register("127.0.0.1", service.port(), APP, executorId, 2).join();
        assertEquals(2, dirs.size());
        return new ShuffleFiles(dirs);
    }

    /** A good client still gets its block: the service was not harmed. */
    private static void assertServes(ShuffleClient client, ShuffleServer service, ShuffleFiles files) throws IOException {
        byte[] expected = ResolvedBlock.resolve(files, BLOCK).readAll();
        assertArrayEquals(expected, TestingFetch.fetchBytes(client, service.port(), APP, EXECUTOR, BLOCK));
    }

    private Path dir(String name) throws IOException {
        return Files.createDirectories(temp.resolve(name)).toRealPath();
    }

    private static SortShuffleSettings settings() {
        return new SortShuffleSettings(64L << 20, 64 << 10, true, ChecksumAlgorithm.CRC32C, 1L << 20);
    }

    static byte[] frame(ShuffleMessage message) {
        ByteBuf buf = MessageCodec.encode(message, UnpooledByteBufAllocator.DEFAULT);
        try {
            return ByteBufUtil.getBytes(buf);
        } finally {
            buf.release();
        }
    }
}
