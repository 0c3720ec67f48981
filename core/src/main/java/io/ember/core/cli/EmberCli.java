package io.ember.core.cli;

import static java.util.Objects.requireNonNull;

import io.ember.core.bootstrap.JulBridge;
import io.ember.core.bootstrap.LaunchContext;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.BiFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/**
 * The {@code ember} command. Each role and tool is a subcommand; {@code bin/ember} runs this class.
 * Exit codes: 0 success, 1 the command failed (bad configuration, missing policy), 2 a usage error.
 */
@Command(name = "ember",
        mixinStandardHelpOptions = true,
        versionProvider = EmberCli.Version.class,
        description = {
            "Ember: a plugin-based cluster scheduling framework for the JVM.",
            "",
            "Configuration comes from $EMBER_CONF_DIR (default $EMBER_HOME/conf):",
            "ember.properties and one <kind>-<name>.properties per policy; see docs/configuration.md."
        },
        subcommands = {PluginsCommand.class, MasterCommand.class, WorkerCommand.class, ShuffleServiceCommand.class,
            LocalClusterCommand.class,
            SubmitCommand.class, RunExampleCommand.class, ZkShellCommand.class, ZooKeeperCommand.class,
            CommandLine.HelpCommand.class})
public final class EmberCli implements Runnable {

    private final BiFunction<Path, Map<String, String>, LaunchContext> launchContexts;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /**
     * @param launchContexts makes the launch context from the {@code --conf-dir} option (or null)
     *     and the settings given on the command line; tests pass one with a fake environment
     */
    public EmberCli(BiFunction<Path, Map<String, String>, LaunchContext> launchContexts) {
        this.launchContexts = requireNonNull(launchContexts, "launchContexts is null");
    }

    public static void main(String[] args) {
        JulBridge.install();
        System.exit(commandLine(LaunchContext::fromProcess).execute(args));
    }

    /** The configured command line, for {@link #main} and for tests. */
    public static CommandLine commandLine(BiFunction<Path, Map<String, String>, LaunchContext> launchContexts) {
        EmberCli cli = new EmberCli(launchContexts);
        CommandLine commandLine = new CommandLine(cli, new SubcommandFactory(cli));
        commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("ember: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            return 1;
        });
        return commandLine;
    }

    LaunchContext launchContext(Path confDir, Map<String, String> settings) {
        return launchContexts.apply(confDir, settings);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Reports the version from the JAR manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = EmberCli.class.getPackage().getImplementationVersion();
            return new String[] {"Ember " + (version == null ? "(development build)" : version)};
        }
    }

    /** Hands subcommands a reference to the top command, so they share its launch-context factory. */
    private static final class SubcommandFactory implements CommandLine.IFactory {
        private final EmberCli cli;

        SubcommandFactory(EmberCli cli) {
            this.cli = cli;
        }

        @Override
        public <K> K create(Class<K> type) throws Exception {
            // Ember's subcommands take the top command (for its launch-context factory); others are picocli's.
            try {
                return type.cast(type.getDeclaredConstructor(EmberCli.class).newInstance(cli));
            } catch (NoSuchMethodException e) {
                return CommandLine.defaultFactory().create(type);
            }
        }
    }
}
