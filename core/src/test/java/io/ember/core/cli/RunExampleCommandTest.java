package io.ember.core.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.core.bootstrap.LaunchContext;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code ember run-example} and the top-level help that lists it. */
final class RunExampleCommandTest {

    @TempDir
    Path home;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void theHelpListsEveryCommandWithAWholeSentence() {
        assertEquals(0, run(Optional.empty(), "--help"));

        String help = out.toString();
        assertTrue(help.contains("run-example      Run a bundled example (Pi, LogLevels, SalesByRegion,"), help);
        assertTrue(help.contains("local-cluster    Run a cluster on this machine in the foreground, for trying"), help);
        assertTrue(help.contains("submit           Run an application's driver in this JVM, from its JAR."), help);
        assertTrue(help.contains("ember.properties and one <kind>-<name>.properties per policy"), help);
    }

    @Test
    void helpOfRunExampleNamesTheExamples() {
        assertEquals(0, run(Optional.empty(), "help", "run-example"));

        assertTrue(out.toString().contains("WordCount [file [top]]"), out.toString());
        assertTrue(out.toString().contains("SalesByRegion [customers [orders]]"), out.toString());
    }

    @Test
    void withoutAnInstallationItSaysWhereItLookedInOneLine() {
        assertEquals(1, run(Optional.empty(), "run-example", "Pi"));

        assertEquals("ember run-example: no examples JAR in $EMBER_HOME/examples (EMBER_HOME is not set)",
                err.toString().strip());
    }

    @Test
    void withoutANameItSaysWhichThereAre() {
        assertEquals(2, run(Optional.of(home), "run-example"));

        assertTrue(err.toString().startsWith("ember run-example: name an example: Pi,"), err.toString());
    }

    /** Submit is reached with the installation's JAR: its own one-line refusal of an unknown class proves it. */
    @Test
    void runsTheNamedExampleClassOfTheInstallationsJarThroughSubmit() throws Exception {
        Path jar = Files.createDirectories(home.resolve("examples")).resolve("ember-examples-1.0.jar");
        Files.write(jar, new byte[] {'P', 'K', 5, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});

        int exit = run(Optional.of(home), "run-example", "NoSuchExample", "arg");

        assertEquals(2, exit, err.toString());
        assertEquals("ember submit: class io.ember.examples.NoSuchExample not found in " + jar, err.toString().strip());
    }

    @Test
    void submitsTheOptionsBeforeTheClassAndTheArgumentsAfterTheJar() {
        RunExampleCommand command = new RunExampleCommand(new EmberCli((conf, settings) -> null));
        new CommandLine(command).parseArgs("--master", "local[2]", "--conf", "a=b", "-v", "WordCount", "in.txt",
                "--top", "5");

        assertEquals(List.of("submit", "--master", "local[2]", "--conf", "a=b", "--verbose", "--class",
                        "io.ember.examples.WordCount", "/x/e.jar", "in.txt", "--top", "5"),
                command.submitArguments(Path.of("/x/e.jar")));
    }

    private int run(Optional<Path> emberHome, String... args) {
        CommandLine commandLine = EmberCli.commandLine((confDir, settings) -> new LaunchContext(emberHome,
                Optional.ofNullable(confDir), Map.of(), Map.of(), settings));
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }
}
