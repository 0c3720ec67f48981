package io.ember.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ZooKeeper from the distribution's own {@code lib/} and {@code conf/zoo.cfg}, as an operator without
 * an ensemble of their own runs it: it serves, and its log holds no stack trace (its admin server,
 * which needs the Jetty that Ember does not ship, is off).
 */
final class ZooKeeperServerIT {

    private final Path distribution = Path.of(System.getProperty("distribution.dir"));

    @Test
    void emberZookeeperServesOnTheShippedConfigurationWithoutAStackTrace(@TempDir Path tmp) throws Exception {
        Path config = shippedConfigWith(tmp);
        Path stdout = tmp.resolve("out.txt");
        Path stderr = tmp.resolve("err.txt");
        Process server = new EmberCommand(distribution).start(Map.of(), stdout, stderr, "zookeeper",
                config.toString());
        try {
            int port = clientPort(config);
            awaitServing(server, stderr);

            EmberCommand.Result shell = new EmberCommand(distribution).run("zk-shell", "--conf",
                    "ember.zookeeper.connect=127.0.0.1:" + port, "ls", "/");
            assertEquals(0, shell.exitCode(), shell.toString());
            assertTrue(shell.stdout().contains("[zookeeper]"), shell.toString());
            String log = Files.readString(stderr) + Files.readString(stdout);
            assertTrue(log.contains("binding to port"), "ZooKeeper's own lines are shown:\n" + log);
            assertNoStackTrace(log);
        } finally {
            server.descendants().forEach(ProcessHandle::destroyForcibly);
            server.destroyForcibly();
            server.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** conf/zoo.cfg with its data directory in {@code tmp} and a free client port; nothing else changed. */
    private Path shippedConfigWith(Path tmp) throws IOException {
        List<String> lines = Files.readAllLines(distribution.resolve("conf/zoo.cfg"), StandardCharsets.UTF_8);
        assertTrue(lines.contains("admin.enableServer=false"), lines.toString());
        int port = freePort();
        List<String> changed = lines.stream()
                .map(line -> line.startsWith("dataDir=") ? "dataDir=" + tmp.resolve("data")
                        : line.startsWith("clientPort=") ? "clientPort=" + port : line)
                .toList();
        Path config = tmp.resolve("zoo.cfg");
        Files.write(config, changed, StandardCharsets.UTF_8);
        return config;
    }

    private static int clientPort(Path config) throws IOException {
        return Files.readAllLines(config).stream().filter(line -> line.startsWith("clientPort="))
                .map(line -> Integer.parseInt(line.substring("clientPort=".length()))).findFirst().orElseThrow();
    }

    /**
     * Waits for the server's log to say it took its first snapshot: its database is loaded and it
     * serves. (A connection opened and closed before that makes ZooKeeper log a stack trace of its own.)
     */
    private static void awaitServing(Process server, Path log) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.readString(log).contains("Snapshot taken")) {
            assertTrue(server.isAlive(), "ZooKeeper exited early:\n" + Files.readString(log));
            assertTrue(System.nanoTime() < deadline, "ZooKeeper does not serve after 60 s:\n" + Files.readString(log));
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
    }

    private static void assertNoStackTrace(String log) {
        assertFalse(log.contains("\tat "), "a stack trace in ZooKeeper's log:\n" + log);
        assertFalse(log.contains("Exception"), "an exception in ZooKeeper's log:\n" + log);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
