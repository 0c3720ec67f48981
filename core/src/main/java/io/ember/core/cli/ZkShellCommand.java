package io.ember.core.cli;

import static java.util.Objects.requireNonNull;

import io.ember.core.bootstrap.Bootstrap;
import io.ember.core.bootstrap.EmberEnvironment;
import io.ember.core.coordination.CoordinationException;
import io.ember.core.coordination.ZooKeeperSettings;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.zookeeper.ZooKeeperMain;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code ember zk-shell [COMMAND...]}: ZooKeeper's own shell ({@code ZooKeeperMain}) on the
 * cluster's ensemble, {@code ember.zookeeper.connect}, for an operator who wants to look at the
 * registry ({@code ls -R /ember/<cluster>}). With a command it runs that one and exits with the
 * shell's status; without, it is interactive. The shell ends the JVM when it is done.
 */
@Command(name = "zk-shell",
        mixinStandardHelpOptions = true,
        header = "Open ZooKeeper's own shell on the cluster's ensemble (ember.zookeeper.connect).",
        description = {
            "Open ZooKeeper's own shell on the cluster's ensemble (ember.zookeeper.connect), to look at",
            "the registry: `ember zk-shell ls -R /ember/default`. Without a command it is interactive.",
            "A cluster with a secret keeps its nodes from anyone else: in the shell, authenticate first with",
            "`addauth digest ember:<the secret>`."
        })
final class ZkShellCommand implements Callable<Integer> {

    private final EmberCli cli;

    private CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    ConfigOptions config = new ConfigOptions();

    @Parameters(paramLabel = "COMMAND", arity = "0..*", description = "A shell command to run, e.g. ls /ember.")
    List<String> command = new ArrayList<>();

    ZkShellCommand(EmberCli cli) {
        this.cli = requireNonNull(cli, "cli is null");
    }

    /** Everything from the first word of the shell command on is the shell's. */
    @CommandLine.Spec
    void spec(CommandLine.Model.CommandSpec spec) {
        this.spec = spec;
        spec.parser().stopAtPositional(true);
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        ZooKeeperSettings zooKeeper;
        try (EmberEnvironment environment = new Bootstrap(cli.launchContext(config.confDir, config.settings()))
                .load()) {
            zooKeeper = ZooKeeperSettings.from(environment.config());
        } catch (CoordinationException e) {
            err.println("ember zk-shell: " + e.getMessage());
            err.flush();
            return 2;
        }
        if (zooKeeper.secret().isPresent() && command.isEmpty()) {
            err.println("This cluster has a secret: authenticate with `addauth digest ember:<the secret>` to read it.");
            err.flush();
        }
        ZooKeeperMain.main(shellArguments(zooKeeper.connectString()).toArray(String[]::new));
        return 0;   // not reached: the shell ends the JVM
    }

    /** The shell's command line: the ensemble, then the command if any. */
    List<String> shellArguments(String connectString) {
        List<String> arguments = new ArrayList<>(List.of("-server", connectString));
        arguments.addAll(command);
        return arguments;
    }
}
