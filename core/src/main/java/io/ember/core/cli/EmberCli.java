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
            SubmitCommand.class, RunExampleCommand.class, StatusCommand.class, WebCredentialsCommand.class,
            HistoryServerCommand.class, ZkShellCommand.class, ZooKeeperCommand.class, CommandLine.HelpCommand.class})
public final class EmberCli implements Runnable {

    private final BiFunction<Path, Map<String, String>, LaunchContext> launchContexts;
    private final StopTrigger stopTrigger;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /**
     * A command line that leaves the JVM's signals alone: {@code ember submit} does not stop its
     * application when the JVM is told to stop.
     *
     * @param launchContexts makes the launch context from the {@code --conf-dir} option (or null)
     *     and the settings given on the command line; tests pass one with a fake environment
     */
    public EmberCli(BiFunction<Path, Map<String, String>, LaunchContext> launchContexts) {
        this(launchContexts, StopTrigger.NONE);
    }

    /** @param stopTrigger what stops {@code ember submit}'s application: the JVM's shutdown and signals in {@link #main} */
    EmberCli(BiFunction<Path, Map<String, String>, LaunchContext> launchContexts, StopTrigger stopTrigger) {
        this.launchContexts = requireNonNull(launchContexts, "launchContexts is null");
        this.stopTrigger = requireNonNull(stopTrigger, "stopTrigger is null");
    }

    public static void main(String[] args) {
        JulBridge.install();
        System.exit(commandLine(new EmberCli(LaunchContext::fromProcess, new JvmStopTrigger())).execute(args));
    }

    /** The configured command line, for tests: {@code ember submit} leaves the JVM's signals alone. */
    public static CommandLine commandLine(BiFunction<Path, Map<String, String>, LaunchContext> launchContexts) {
        return commandLine(new EmberCli(launchContexts));
    }

    private static CommandLine commandLine(EmberCli cli) {
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

    StopTrigger stopTrigger() {
        return stopTrigger;
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
