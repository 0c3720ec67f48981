package io.ember.core.cli;

import static java.util.Objects.requireNonNull;

import io.ember.api.scheduler.SchedulerFactory;
import io.ember.api.scheduler.SchedulingPolicy;
import io.ember.core.bootstrap.Bootstrap;
import io.ember.core.bootstrap.EmberEnvironment;
import io.ember.core.config.OpenClusterWarning;
import io.ember.core.master.MasterOptions;
import io.ember.core.master.MasterServer;
import io.ember.core.plugin.SchedulerReloader;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code ember master}: runs a master in the foreground. Start as many as you want on different
 * machines; they elect one leader through ZooKeeper and the others stand by.
 */
@Command(name = "master",
        mixinStandardHelpOptions = true,
        description = {
            "Run a master in the foreground until stopped (Ctrl-C or SIGTERM hands leadership over at once).",
            "Needs ember.zookeeper.connect. Start several for high availability: one leads, the others stand by."
        })
final class MasterCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(MasterCommand.class);

    private final EmberCli cli;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    ConfigOptions config = new ConfigOptions();

    MasterCommand(EmberCli cli) {
        this.cli = requireNonNull(cli, "cli is null");
    }

    @Override
    public Integer call() {
        return ServiceRunner.run(spec.commandLine().getErr(), "master", () -> {
            EmberEnvironment environment = new Bootstrap(cli.launchContext(config.confDir, config.settings())).load();
            try {
                OpenClusterWarning.warnIfOpen(environment.config(), "master");
                SchedulingPolicy policy = environment.createInjector().getInstance(SchedulingPolicy.class);
                MasterServer master = MasterServer.start(MasterOptions.from(environment.config()), policy);
                SchedulerFactory scheduler = environment.selected().scheduler();
                LOG.info("Applications share the cluster by the '{}' scheduler", scheduler.name());
                Optional<SchedulerReloader> reloader = SchedulerReloader.start(environment.launch().confDir(),
                        environment.config(), scheduler, master::replacePolicy);
                return () -> {
                    reloader.ifPresent(SchedulerReloader::close);
                    master.close();
                    environment.close();
                };
            } catch (RuntimeException e) {
                environment.close();
                throw e;
            }
        });
    }
}
