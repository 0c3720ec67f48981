package io.ember.core.cli;

import static java.util.Objects.requireNonNull;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.ember.core.bootstrap.LaunchContext;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.zookeeper.server.quorum.QuorumPeerMain;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/**
 * {@code ember zookeeper [CONFIG]}: a ZooKeeper server (standalone or one member of an ensemble) from
 * Ember's own {@code lib/}, logging through Ember's {@code conf/logback.xml}. It runs
 * {@link QuorumPeerMain} on ZooKeeper's own configuration file, {@code $EMBER_CONF_DIR/zoo.cfg} by
 * default, until the process is stopped.
 *
 * <p>ZooKeeper logs at INFO. Its admin server is off unless the file turns it on: it needs Jetty, which Ember does not
 * ship, and without Jetty ZooKeeper logs a stack trace at every start.
 */
@Command(name = "zookeeper",
        mixinStandardHelpOptions = true,
        header = "Run a ZooKeeper server from Ember's own lib/, on ZooKeeper's configuration file (conf/zoo.cfg).",
        description = {
            "Run a ZooKeeper server from Ember's own lib/, until stopped: one server, or one member of an",
            "ensemble (the server.N lines and <dataDir>/myid in its file). The file is ZooKeeper's own; the",
            "distribution's conf/zoo.cfg is a commented start. Logs go through conf/logback.xml."
        })
final class ZooKeeperCommand implements Callable<Integer> {

    /** ZooKeeper's system property for its admin server (the file's {@code admin.enableServer}). */
    static final String ADMIN_SERVER_PROPERTY = "zookeeper.admin.enableServer";
    private static final String ZOOKEEPER_LOGGER = "org.apache.zookeeper";

    private final EmberCli cli;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "CONFIG", arity = "0..1",
            description = "ZooKeeper's configuration file (default: zoo.cfg in $EMBER_CONF_DIR).")
    Path config;

    ZooKeeperCommand(EmberCli cli) {
        this.cli = requireNonNull(cli, "cli is null");
    }

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        Optional<Path> file = configFile(cli.launchContext(null, Map.of()));
        if (file.isEmpty() || !Files.isRegularFile(file.get())) {
            err.println("ember zookeeper: no ZooKeeper configuration file "
                    + file.map(f -> "at " + f).orElse("given, and no $EMBER_CONF_DIR or $EMBER_HOME/conf to look in")
                    + " (start from the distribution's conf/zoo.cfg)");
            err.flush();
            return 2;
        }
        if (System.getProperty(ADMIN_SERVER_PROPERTY) == null) {
            System.setProperty(ADMIN_SERVER_PROPERTY, "false");
        }
        // conf/logback.xml quiets ZooKeeper to errors for the clients inside Ember's processes; a
        // server's own lines (its port, its role in the ensemble, its sessions) are what its operator reads.
        if (LoggerFactory.getLogger(ZOOKEEPER_LOGGER) instanceof Logger logger) {
            logger.setLevel(Level.INFO);
        }
        QuorumPeerMain.main(new String[] {file.get().toString()});
        return 0;   // reached only if the server returns; on a failure ZooKeeper ends the JVM itself
    }

    /** The file given, else zoo.cfg in the configuration directory. */
    Optional<Path> configFile(LaunchContext context) {
        if (config != null) {
            return Optional.of(config);
        }
        return context.confDir().map(dir -> dir.resolve("zoo.cfg"));
    }
}
