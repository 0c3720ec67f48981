package io.ember.core.cli;

import static java.util.Objects.requireNonNull;

import io.ember.core.bootstrap.Bootstrap;
import io.ember.core.bootstrap.EmberEnvironment;
import io.ember.core.history.HistoryServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code ember history-server}: serves the pages and REST API of the applications whose event logs
 * are in {@code ember.eventLog.dir}, in the foreground until stopped.
 */
@Command(name = "history-server",
        mixinStandardHelpOptions = true,
        description = {
            "Serve the web UI and REST API of ended (and running) applications from their event logs in",
            "ember.eventLog.dir, on ember.history.ui.port (default 18080), until stopped (Ctrl-C or SIGTERM).",
            "Applications write event logs with ember.eventLog.enabled=true."
        })
final class HistoryServerCommand implements Callable<Integer> {

    private final EmberCli cli;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    ConfigOptions config = new ConfigOptions();

    HistoryServerCommand(EmberCli cli) {
        this.cli = requireNonNull(cli, "cli is null");
    }

    @Override
    public Integer call() {
        return ServiceRunner.run(spec.commandLine().getErr(), "history server", () -> {
            EmberEnvironment environment = new Bootstrap(cli.launchContext(config.confDir, config.settings())).load();
            try {
                HistoryServer server = HistoryServer.start(environment.config(), Clock.systemUTC());
                spec.commandLine().getOut().println("History server at " + server.url());
                spec.commandLine().getOut().flush();
                return () -> {
                    server.close();
                    environment.close();
                };
            } catch (IOException e) {
                environment.close();
                throw new UncheckedIOException(e.getMessage(), e);
            } catch (RuntimeException e) {
                environment.close();
                throw e;
            }
        });
    }
}
