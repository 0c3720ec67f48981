package io.ember.core.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.core.bootstrap.LaunchContext;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code ember plugins} run in-process against the bundled plugins on the test class path. */
final class PluginsCommandTest {

    @TempDir
    Path home;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void listsBuiltInPluginsWithTheirFactoriesAndTheSelection() {
        int exit = run("plugins");

        assertEquals(0, exit, err.toString());
        String text = out.toString();
        assertTrue(text.contains("scheduler:fifo"), text);
        assertTrue(text.contains("scheduler:fair"), text);
        assertTrue(text.contains("allocation:static"), text);
        assertTrue(text.contains("allocation:dynamic"), text);
        assertTrue(text.contains("shuffle:sort"), text);
        assertTrue(text.contains("Refused: none"), text);
        assertTrue(text.matches("(?s).*scheduler\\s+fifo\\s+scheduler-fifo\\s+default.*"), text);
    }

    @Test
    void listsARefusedJarAndStillSucceedsWhenTheSelectionIsHealthy() throws Exception {
        Path plugins = Files.createDirectories(home.resolve("plugins"));
        Files.writeString(plugins.resolve("garbage.jar"), "not a zip");

        int exit = run("plugins", "--plugins-dir", plugins.toString());

        assertEquals(0, exit, err.toString());
        assertTrue(out.toString().contains("Refused (1)"), out.toString());
        assertTrue(out.toString().contains("garbage.jar"), out.toString());
    }

    @Test
    void failsWhenTheSelectedPolicyIsMissing() {
        int exit = run("plugins", "--conf", "ember.shuffle=hash");

        assertEquals(1, exit, out.toString());
        assertTrue(err.toString().contains("ember.shuffle"), err.toString());
        assertTrue(err.toString().contains("no shuffle policy named 'hash'"), err.toString());
        assertTrue(out.toString().contains("MISSING"), out.toString());
    }

    @Test
    void failsWithEveryProblemOfAnInvalidConfiguration() throws Exception {
        Path conf = Files.createDirectories(home.resolve("conf"));
        Files.writeString(conf.resolve("ember.properties"), "ember.executor.instances=-1\nember.executors.cores=2\n");

        int exit = run("plugins", "--conf-dir", conf.toString());

        assertEquals(1, exit);
        String problems = err.toString();
        assertTrue(problems.contains("ember.executor.instances"), problems);
        assertTrue(problems.contains("ember.executors.cores"), problems);
        assertTrue(problems.contains("did you mean"), problems);
    }

    @Test
    void aConfDirThatDoesNotExistIsAUsageError() throws Exception {
        Path missing = home.resolve("no-such-conf");
        assertEquals(2, run("plugins", "--conf-dir", missing.toString()));
        assertTrue(err.toString().startsWith("--conf-dir " + missing + " does not exist"), err.toString());

        Path file = Files.writeString(home.resolve("a-file"), "");
        assertEquals(2, run("plugins", "--conf-dir", file.toString()));
        assertTrue(err.toString().contains("--conf-dir " + file + " is not a directory"), err.toString());
    }

    @Test
    void usageErrorsExitWithTwo() {
        assertEquals(2, run("plugins", "--no-such-option"));
        assertTrue(err.toString().contains("--no-such-option"), err.toString());
    }

    @Test
    void helpListsTheCommands() {
        assertEquals(0, run("--help"));
        assertTrue(out.toString().contains("plugins"), out.toString());
    }

    private int run(String... args) {
        CommandLine commandLine = EmberCli.commandLine((confDir, settings) -> new LaunchContext(Optional.of(home),
                Optional.ofNullable(confDir), Map.of(), Map.of(), settings));
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }
}
