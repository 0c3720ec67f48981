package io.ember.core.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.core.bootstrap.LaunchContext;
import io.ember.core.web.WebCredentials;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code ember status} and {@code ember web-credentials} where no cluster runs: the one line an
 * operator gets. {@code ClusterWebTest} runs {@code ember status} against a cluster.
 */
final class StatusCommandTest {

    @TempDir
    Path home;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void whenZooKeeperCannotBeReachedItSaysSoInOneLineAndExitsWithOne() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = socket.getLocalPort();   // closed again: nobody listens there
        }

        assertEquals(1, run("status", "--master", "ember://127.0.0.1:" + port + "/default",
                "--conf", "ember.zookeeper.connectionTimeout=500ms"));

        assertEquals("ember status: cannot reach ZooKeeper at 127.0.0.1:" + port + " within 500ms\n", err.toString());
        assertEquals("", out.toString());
    }

    @Test
    void withoutAClusterToAskItNamesWhatToSet() {
        assertEquals(1, run("status"));

        assertTrue(err.toString().startsWith("ember status: ember.zookeeper.connect is not set"), err.toString());
        assertEquals(1, err.toString().strip().lines().count(), err.toString());
    }

    @Test
    void aMasterUrlThatIsNotARunningClusterIsAUsageError() {
        assertEquals(2, run("status", "--master", "local[2]"));

        assertTrue(err.toString().contains("--master must name a running cluster"), err.toString());
    }

    @Test
    void webCredentialsPrintsTheUserAndTheDerivedPassword() {
        assertEquals(0, run("web-credentials", "--conf", "ember.auth.secret=a-secret-of-sixteen-chars"));

        assertEquals("user:     ember\npassword: " + WebCredentials.derivedFrom("a-secret-of-sixteen-chars").password()
                + "\n", out.toString());
    }

    @Test
    void webCredentialsWithoutASecretSaysSoInOneLine() {
        assertEquals(1, run("web-credentials"));

        assertEquals("ember web-credentials: ember.auth.secret is not set, so the web UIs, REST APIs and /metrics "
                + "need no credentials\n", err.toString());
    }

    private int run(String... args) {
        CommandLine commandLine = EmberCli.commandLine((confDir, settings) -> new LaunchContext(Optional.of(home),
                Optional.ofNullable(confDir), Map.of(), Map.of(), settings));
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }
}
