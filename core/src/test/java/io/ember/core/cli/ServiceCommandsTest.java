package io.ember.core.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.core.bootstrap.LaunchContext;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * What an operator sees when {@code ember master}, {@code worker}, {@code shuffle-service} or
 * {@code local-cluster} cannot start.
 */
final class ServiceCommandsTest {

    @TempDir
    Path home;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void aMasterWithoutZooKeeperSaysWhatToSetInOneLine() {
        assertEquals(1, run("master"));
        assertOneLine("Cannot start the master: ember.zookeeper.connect is not set");
    }

    @Test
    void anUnreachableZooKeeperIsOneLineNamingIt() {
        assertEquals(1, run("worker", "--conf", "ember.zookeeper.connect=127.0.0.1:1",
                "--conf", "ember.zookeeper.connectionTimeout=500ms"));
        assertOneLine("Cannot start the worker: cannot reach ZooKeeper at 127.0.0.1:1 within 500ms");
    }

    @Test
    void aWorkerOfferedZeroCoresIsRefusedNamingTheKey() {
        assertEquals(1, run("worker", "--conf", "ember.worker.cores=0", "--conf", "ember.zookeeper.connect=127.0.0.1:2181"));
        String text = err.toString();
        assertTrue(text.contains("ember.worker.cores (application setting): '0' is not allowed; expected an integer, "
                + "at least 1"), text);
        assertFalse(text.contains("\tat "), "no stack trace: " + text);
    }

    @Test
    void aShuffleServiceOnATakenPortIsOneLineNamingThePortAndTheKey() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            assertEquals(1, run("shuffle-service", "--conf", "ember.shuffle.service.port=" + port));
            assertOneLine("Cannot start the shuffle service: the sort shuffle service cannot start on 127.0.0.1:" + port
                    + " (ember.shuffle.service.port");
        }
    }

    @Test
    void aBadZooKeeperAddressIsAConfigurationProblem() {
        assertEquals(1, run("master", "--conf", "ember.zookeeper.connect=zk-without-port"));
        assertTrue(err.toString().contains("ember.zookeeper.connect"), err.toString());
        assertTrue(err.toString().contains("host:port pairs separated by commas"), err.toString());
    }

    @Test
    void aLocalClusterOfZeroWorkersIsRefusedInOneLine() {
        assertEquals(1, run("local-cluster", "--workers", "0"));
        assertOneLine("Cannot start the local cluster: a local cluster needs at least 1 worker of 1 core: 0 x 1");
    }

    @Test
    void everyServiceCommandHasHelp() {
        for (String command : new String[] {"master", "worker", "shuffle-service", "local-cluster"}) {
            assertEquals(0, run(command, "--help"), command);
        }
        assertTrue(out.toString().contains("--conf-dir"), out.toString());
    }

    private void assertOneLine(String expectedStart) {
        String text = err.toString().strip();
        assertTrue(text.startsWith(expectedStart), text);
        assertEquals(1, text.lines().count(), "one line, no stack trace: " + text);
    }

    private int run(String... args) {
        CommandLine commandLine = EmberCli.commandLine((confDir, settings) -> new LaunchContext(Optional.of(home),
                Optional.ofNullable(confDir), Map.of(), Map.of(), settings));
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }
}
