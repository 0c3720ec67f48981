package io.ember.core.cli;

import static java.util.Objects.requireNonNull;

import io.ember.core.bootstrap.Bootstrap;
import io.ember.core.bootstrap.EmberEnvironment;
import io.ember.core.bootstrap.LaunchContext;
import io.ember.core.config.OpenClusterWarning;
import io.ember.core.worker.WorkerOptions;
import io.ember.core.worker.WorkerServer;
import io.ember.core.worker.WorkerShuffle;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code ember worker}: runs a worker in the foreground. It offers this machine's cores and memory
 * to the cluster, follows whichever master leads, and launches executors as child JVMs.
 */
@Command(name = "worker",
        mixinStandardHelpOptions = true,
        description = {
            "Run a worker in the foreground until stopped (Ctrl-C or SIGTERM stops its executors first).",
            "Needs ember.zookeeper.connect; offers ember.worker.cores and ember.worker.memory to executors.",
            "Runs the shuffle service on ember.shuffle.service.port unless ember.shuffle.service.enabled=false"
                    + " or ember.shuffle.service.embedded=false."
        })
final class WorkerCommand implements Callable<Integer> {

    private final EmberCli cli;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    ConfigOptions config = new ConfigOptions();

    WorkerCommand(EmberCli cli) {
        this.cli = requireNonNull(cli, "cli is null");
    }

    @Override
    public Integer call() {
        return ServiceRunner.run(spec.commandLine().getErr(), "worker", () -> {
            LaunchContext launch = cli.launchContext(config.confDir, config.settings());
            EmberEnvironment environment = new Bootstrap(launch).load();
            try {
                OpenClusterWarning.warnIfOpen(environment.config(), "worker");
                Path base = launch.emberHome().orElse(Path.of("").toAbsolutePath());
                WorkerServer worker = WorkerServer.start(WorkerOptions.from(environment.config(), base),
                        WorkerShuffle.from(environment));
                return () -> {
                    worker.close();
                    environment.close();
                };
            } catch (RuntimeException e) {
                environment.close();
                throw e;
            }
        });
    }
}
