package io.ember.core.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.core.bootstrap.LaunchContext;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code ember zookeeper}'s refusals; the server itself runs in the distribution's ZooKeeperServerIT. */
final class ZooKeeperCommandTest {

    @TempDir
    Path conf;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void withoutAConfigurationFileItSaysWhereItLookedInOneLine() {
        assertEquals(2, run(Optional.of(conf), "zookeeper"));

        assertEquals("ember zookeeper: no ZooKeeper configuration file at " + conf.resolve("zoo.cfg")
                + " (start from the distribution's conf/zoo.cfg)", err.toString().strip());
    }

    @Test
    void aFileGivenOnTheCommandLineWinsOverTheConfigurationDirectory() {
        ZooKeeperCommand command = new ZooKeeperCommand(new EmberCli((dir, settings) -> null));
        new CommandLine(command).parseArgs("/etc/zk/zoo.cfg");

        assertEquals(Optional.of(Path.of("/etc/zk/zoo.cfg")), command.configFile(
                new LaunchContext(Optional.empty(), Optional.of(conf), Map.of(), Map.of(), Map.of())));
    }

    @Test
    void theHelpListsIt() {
        assertEquals(0, run(Optional.empty(), "--help"));

        assertTrue(out.toString().contains("zookeeper        Run a ZooKeeper server from Ember's own lib/"), out.toString());
    }

    private int run(Optional<Path> confDir, String... args) {
        CommandLine commandLine = EmberCli.commandLine((dir, settings) -> new LaunchContext(Optional.empty(),
                confDir, Map.of(), Map.of(), settings));
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }
}
