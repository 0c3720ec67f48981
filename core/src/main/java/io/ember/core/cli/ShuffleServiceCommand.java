package io.ember.core.cli;

import static java.util.Objects.requireNonNull;

import io.ember.api.plugin.PolicyKind;
import io.ember.api.shuffle.ShuffleManagerFactory;
import io.ember.api.shuffle.ShuffleServiceContext;
import io.ember.core.bootstrap.Bootstrap;
import io.ember.core.bootstrap.EmberEnvironment;
import io.ember.core.bootstrap.LaunchContext;
import io.ember.core.config.EmberConfig;
import io.ember.core.config.EmberKeys;
import io.ember.core.config.OpenClusterWarning;
import io.ember.core.config.ShuffleServiceLimits;
import io.ember.core.coordination.ZooKeeperClients;
import io.ember.core.coordination.ZooKeeperSettings;
import io.ember.core.worker.ShuffleServiceHost;
import io.ember.core.worker.WorkerCleanup;
import io.ember.core.worker.WorkerServer;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.curator.framework.CuratorFramework;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code ember shuffle-service}: runs the selected shuffle plugin's external service alone, in the
 * foreground, for a host whose worker does not embed it ({@code ember.shuffle.service.embedded=false}
 * on that worker). It listens where the worker would ({@code ember.worker.bindAddress}, else
 * {@code ember.host}) on {@code ember.shuffle.service.port}, and is reached at the worker's advertised
 * address, keeps its
 * state in {@code <ember.worker.workDir>/.shuffle-service} (the directory an embedded service
 * uses, so switching between the two keeps the registered executors) and, with
 * {@code ember.auth.secret}, accepts only authenticated connections; its connections are held to
 * {@code ember.shuffle.service.maxConnections}, {@code .authTimeout} and {@code .idleTimeout}.
 *
 * <p>With {@code ember.zookeeper.connect} set it reconciles, at start and every
 * {@code ember.worker.cleanup.interval}, against the applications ZooKeeper records as live in
 * {@code ember.cluster}, and deletes the files of those absent for {@code ember.worker.cleanup.grace}
 * ({@link WorkerCleanup#forShuffleService}): nobody tells a standalone service that an application
 * ended. Without it, one WARN line says that files stay until removed by hand.
 */
@Command(name = "shuffle-service",
        mixinStandardHelpOptions = true,
        description = {
            "Run the shuffle service of ember.shuffle alone, in the foreground, until stopped (Ctrl-C or SIGTERM).",
            "Listens on ember.worker.bindAddress (else ember.host):ember.shuffle.service.port. Run it or a",
            "worker's embedded one, not both:",
            "the workers of this host then need ember.shuffle.service.embedded=false."
        })
final class ShuffleServiceCommand implements Callable<Integer> {

    private final EmberCli cli;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    ConfigOptions config = new ConfigOptions();

    ShuffleServiceCommand(EmberCli cli) {
        this.cli = requireNonNull(cli, "cli is null");
    }

    @Override
    public Integer call() {
        return ServiceRunner.run(spec.commandLine().getErr(), "shuffle service", () -> {
            LaunchContext launch = cli.launchContext(config.confDir, config.settings());
            EmberEnvironment environment = new Bootstrap(launch).load();
            try {
                EmberConfig settings = environment.config();
                OpenClusterWarning.warnIfOpen(settings, "shuffle service");
                ShuffleManagerFactory factory = environment.selected().shuffle();
                Path base = launch.emberHome().orElse(Path.of("").toAbsolutePath());
                Path stateDir = WorkerServer.shuffleServiceDirectory(base.resolve(settings.get(
                        EmberKeys.WORKER_WORK_DIR)), settings.get(EmberKeys.SHUFFLE_SERVICE_PORT))
                        .toAbsolutePath().normalize();
                ShuffleServiceHost service;
                try {
                    service = ShuffleServiceHost.start(factory, settings.policy(PolicyKind.SHUFFLE, factory.name()),
                            new ShuffleServiceContext(settings.core().find(EmberKeys.WORKER_BIND_ADDRESS)
                                    .orElse(settings.get(EmberKeys.HOST)),
                                    settings.get(EmberKeys.SHUFFLE_SERVICE_PORT), stateDir,
                                    settings.core().find(EmberKeys.AUTH_SECRET),
                                    ShuffleServiceLimits.from(settings)));
                } catch (UnsupportedOperationException e) {
                    throw new IllegalStateException("the " + factory.name() + " shuffle (" + EmberKeys.SHUFFLE.name()
                            + ") has no external service");
                }
                Optional<CuratorFramework> zooKeeper = settings.core().find(EmberKeys.ZOOKEEPER_CONNECT)
                        .map(connect -> ZooKeeperClients.startInBackground(ZooKeeperSettings.from(settings)));
                Optional<WorkerCleanup> cleanup = zooKeeper.map(zk -> WorkerCleanup.forShuffleService(service, zk,
                        settings.get(EmberKeys.CLUSTER), settings.get(EmberKeys.WORKER_CLEANUP_INTERVAL),
                        settings.get(EmberKeys.WORKER_CLEANUP_GRACE), Clock.systemUTC()));
                if (cleanup.isEmpty()) {
                    LoggerFactory.getLogger(ShuffleServiceCommand.class).warn("{} is not set: this shuffle service "
                            + "cannot learn which applications ended and keeps their files (in {}) until they are "
                            + "removed by hand", EmberKeys.ZOOKEEPER_CONNECT.name(), stateDir);
                }
                cleanup.ifPresent(WorkerCleanup::start);
                spec.commandLine().getOut().println("Shuffle service (" + factory.name() + ") listening on "
                        + service.address());
                spec.commandLine().getOut().flush();
                return () -> {
                    cleanup.ifPresent(WorkerCleanup::close);
                    service.close();
                    zooKeeper.ifPresent(CuratorFramework::close);
                    environment.close();
                };
            } catch (RuntimeException e) {
                environment.close();
                throw e;
            }
        });
    }
}
