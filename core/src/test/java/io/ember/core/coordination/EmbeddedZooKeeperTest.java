package io.ember.core.coordination;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.core.testing.Eventually;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class EmbeddedZooKeeperTest {

    @TempDir
    Path baseDir;

    @Test
    void servesOnAFreeLoopbackPortAndRemovesOnlyItsOwnDataDirectory() throws Exception {
        Path mine = Files.writeString(baseDir.resolve("callers-file.txt"), "keep me");
        long startNanos = System.nanoTime();
        EmbeddedZooKeeper server = EmbeddedZooKeeper.start(baseDir);
        System.out.printf("embedded ZooKeeper started in %d ms%n", (System.nanoTime() - startNanos) / 1_000_000);
        try (TestingClients clients = new TestingClients(server.connectString())) {
            assertEquals("127.0.0.1:" + server.port(), server.connectString());
            CuratorFramework client = clients.open();
            client.create().creatingParentsIfNeeded().forPath("/ember/test/hello", "hi".getBytes(UTF_8));
            assertArrayEquals("hi".getBytes(UTF_8), client.getData().forPath("/ember/test/hello"));
            assertEquals(2, entries(baseDir), "the caller's file and the server's data directory");
        } finally {
            server.close();
        }
        server.close(); // idempotent
        assertTrue(Files.exists(mine));
        assertEquals(1, entries(baseDir), "only the caller's file is left");
    }

    /** An outage of the ensemble: the same port and data afterwards, and the session outlives a short one. */
    @Test
    void stopsAndRestartsOnTheSamePortWithItsData() throws Exception {
        try (EmbeddedZooKeeper server = EmbeddedZooKeeper.start(baseDir);
                TestingClients clients = new TestingClients(server.connectString())) {
            CuratorFramework client = clients.open();
            client.create().creatingParentsIfNeeded().forPath("/ember/kept", "data".getBytes(UTF_8));
            long session = client.getZookeeperClient().getZooKeeper().getSessionId();

            server.stop();
            Eventually.await(() -> !client.getZookeeperClient().isConnected(), "the client lost its connection");
            server.restart();
            server.restart();   // does nothing while it runs

            Eventually.await(() -> client.getZookeeperClient().isConnected(), "the client is back");
            assertEquals("127.0.0.1:" + server.port(), server.connectString());
            assertArrayEquals("data".getBytes(UTF_8), client.getData().forPath("/ember/kept"));
            assertEquals(session, client.getZookeeperClient().getZooKeeper().getSessionId(),
                    "a session outlives an outage shorter than its timeout");
        }
        assertEquals(0, entries(baseDir));
    }

    @Test
    void twoServersGetTheirOwnPortsAndDirectories() {
        try (EmbeddedZooKeeper first = EmbeddedZooKeeper.start(baseDir);
                EmbeddedZooKeeper second = EmbeddedZooKeeper.start(baseDir)) {
            assertNotEquals(first.port(), second.port());
            assertEquals(2, entries(baseDir));
        }
        assertEquals(0, entries(baseDir));
    }

    @Test
    void createsAMissingBaseDirectory() {
        Path nested = baseDir.resolve("a/b");
        try (EmbeddedZooKeeper server = EmbeddedZooKeeper.start(nested)) {
            assertTrue(Files.isDirectory(nested));
        }
        assertTrue(Files.isDirectory(nested), "the base directory is the caller's");
        assertFalse(entries(nested) > 0);
    }

    private static long entries(Path dir) {
        try (Stream<Path> list = Files.list(dir)) {
            return list.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
