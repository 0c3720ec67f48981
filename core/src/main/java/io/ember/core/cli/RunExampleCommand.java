package io.ember.core.cli;

import static java.util.Objects.requireNonNull;

import io.ember.core.bootstrap.LaunchContext;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ember run-example NAME [args...]}: runs a bundled example through {@code ember submit}, with
 * the examples JAR of the installation ({@code $EMBER_HOME/examples/ember-examples-*.jar}). A name
 * without a dot is a class of {@code io.ember.examples}.
 */
@Command(name = "run-example",
        mixinStandardHelpOptions = true,
        header = "Run a bundled example (Pi, LogLevels, SalesByRegion, ShortestFirst, WordCount) through `ember submit`.",
        description = {
            "Run a bundled example through `ember submit`, with the examples JAR of this installation:",
            "  Pi [slices], LogLevels [input [output-dir]],",
            "  SalesByRegion [customers [orders]], WordCount [file [top]],",
            "  ShortestFirst [longTasks [shortTasks [taskMillis]]],",
            "  or a class name in examples/*.jar.",
            "Without --master an example runs where ember.master says, else on local-cluster[2,1]."
        })
final class RunExampleCommand implements Callable<Integer> {

    private static final String PREFIX = "ember run-example: ";
    private static final String EXAMPLES_PACKAGE = "io.ember.examples.";

    private final EmberCli cli;

    private CommandSpec spec;

    @Option(names = "--master", paramLabel = "URL", description = "As for `ember submit`.")
    String master;

    @Option(names = "--conf", paramLabel = "KEY=VALUE", description = "As for `ember submit`; repeatable.")
    List<String> conf = new ArrayList<>();

    @Option(names = {"-v", "--verbose"}, description = "As for `ember submit`.")
    boolean verbose;

    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "The example.")
    String example;

    @Parameters(index = "1..*", paramLabel = "ARG", description = "The example's arguments.")
    List<String> args = new ArrayList<>();

    RunExampleCommand(EmberCli cli) {
        this.cli = requireNonNull(cli, "cli is null");
    }

    /** Everything after the example's name belongs to the example, options included. */
    @CommandLine.Spec
    void spec(CommandSpec spec) {
        this.spec = spec;
        spec.parser().stopAtPositional(true);
    }

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        if (example == null) {
            err.println(PREFIX + "name an example: Pi, LogLevels, SalesByRegion, ShortestFirst or WordCount "
                    + "(ember run-example --help)");
            err.flush();
            return 2;
        }
        LaunchContext launch = cli.launchContext(null, Map.of());
        Optional<Path> jar;
        try {
            jar = examplesJar(launch.emberHome());
        } catch (IOException e) {
            err.println(PREFIX + "cannot read the examples directory: " + e.getMessage());
            err.flush();
            return 1;
        }
        if (jar.isEmpty()) {
            err.println(PREFIX + "no examples JAR in " + launch.emberHome().map(h -> h.resolve("examples").toString())
                    .orElse("$EMBER_HOME/examples (EMBER_HOME is not set)"));
            err.flush();
            return 1;
        }
        return spec.root().commandLine().execute(submitArguments(jar.get()).toArray(String[]::new));
    }

    /** The {@code ember submit} command line this example runs as. */
    List<String> submitArguments(Path jar) {
        List<String> submit = new ArrayList<>(List.of("submit"));
        if (master != null) {
            submit.addAll(List.of("--master", master));
        }
        for (String setting : conf) {
            submit.addAll(List.of("--conf", setting));
        }
        if (verbose) {
            submit.add("--verbose");
        }
        submit.addAll(List.of("--class", example.contains(".") ? example : EXAMPLES_PACKAGE + example,
                jar.toString()));
        submit.addAll(args);
        return submit;
    }

    private static Optional<Path> examplesJar(Optional<Path> home) throws IOException {
        if (home.isEmpty()) {
            return Optional.empty();
        }
        Path examples = home.get().resolve("examples");
        if (!Files.isDirectory(examples)) {
            return Optional.empty();
        }
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(examples, "ember-examples-*.jar")) {
            for (Path jar : jars) {
                return Optional.of(jar);
            }
        }
        return Optional.empty();
    }
}
