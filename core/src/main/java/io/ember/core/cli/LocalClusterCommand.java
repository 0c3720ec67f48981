package io.ember.core.cli;

import static java.util.Objects.requireNonNull;

import io.ember.api.plugin.PolicyKind;
import io.ember.api.scheduler.SchedulerFactory;
import io.ember.core.bootstrap.Bootstrap;
import io.ember.core.bootstrap.EmberEnvironment;
import io.ember.core.local.LocalCluster;
import io.ember.core.worker.WorkerShuffle;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ember local-cluster}: a whole cluster on this machine in the foreground (embedded
 * ZooKeeper, a master, workers), for trying Ember out; applications connect with the master URL it
 * prints.
 */
@Command(name = "local-cluster",
        mixinStandardHelpOptions = true,
        header = "Run a cluster on this machine in the foreground, for trying Ember out.",
        description = {
            "Run a cluster on this machine in the foreground: an embedded ZooKeeper, a master and workers in",
            "this JVM; executors run as their own processes. Prints the master URL for drivers (ember.master).",
            "For trying Ember out: production clusters use an external ZooKeeper ensemble, with masters and",
            "workers started by `ember master` and `ember worker`."
        })
final class LocalClusterCommand implements Callable<Integer> {

    private final EmberCli cli;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    ConfigOptions config = new ConfigOptions();

    @Option(names = {"-w", "--workers"}, paramLabel = "N", defaultValue = "2",
            description = "Workers to start (default: ${DEFAULT-VALUE}).")
    int workers;

    @Option(names = {"-c", "--cores"}, paramLabel = "N", defaultValue = "1",
            description = "Cores per worker (default: ${DEFAULT-VALUE}).")
    int cores;

    LocalClusterCommand(EmberCli cli) {
        this.cli = requireNonNull(cli, "cli is null");
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        return ServiceRunner.run(spec.commandLine().getErr(), "local cluster", () -> {
            EmberEnvironment environment = new Bootstrap(cli.launchContext(config.confDir, config.settings())).load();
            try {
                SchedulerFactory scheduler = environment.selected().scheduler();
                LocalCluster cluster = LocalCluster.start(workers, cores, environment.config(),
                        scheduler.create(environment.config().policy(PolicyKind.SCHEDULER, scheduler.name())),
                        WorkerShuffle.forLocalCluster(environment));
                out.println("Local cluster running: " + workers + " worker(s) of " + cores + " core(s).");
                out.println("Master URL: " + cluster.masterUrl());
                if (!cluster.master().uiUrl().isEmpty()) {
                    out.println("Master web UI: " + cluster.master().uiUrl());
                }
                out.println("Stop with Ctrl-C.");
                out.flush();
                return () -> {
                    cluster.close();
                    environment.close();
                };
            } catch (RuntimeException e) {
                environment.close();
                throw e;
            }
        });
    }
}
