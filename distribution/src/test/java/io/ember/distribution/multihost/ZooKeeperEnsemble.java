package io.ember.distribution.multihost;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * ZooKeeper servers on harness hosts, one per host, run by the distribution's {@code QuorumPeerMain}:
 * one host is a standalone server, several an ensemble ({@code server.N=address:2888:3888}). Each
 * server's configuration and data directory (with its {@code myid}) live in its host's directory.
 * A tick of 200 ms keeps elections short while still allowing Ember's default 4 s session (at most
 * 20 ticks). A fault test may kill a server and {@link #restart} it. The network ends the servers
 * when it closes. Safe from any thread.
 */
public final class ZooKeeperEnsemble {

    public static final int CLIENT_PORT = 2181;
    private static final int TICK_MILLIS = 200;
    private static final String LOGBACK = """
            <configuration>
              <appender name="STDERR" class="ch.qos.logback.core.ConsoleAppender">
                <target>System.err</target>
                <encoder><pattern>%d{HH:mm:ss.SSS} %-5level [%thread] %logger{36} - %msg%n</pattern></encoder>
              </appender>
              <root level="INFO"><appender-ref ref="STDERR"/></root>
            </configuration>
            """;

    private final MultiHostNetwork network;
    private final EmberDistribution distribution;
    private final List<Host> hosts;
    private final List<HostProcess> servers;
    private int restarts;

    private ZooKeeperEnsemble(MultiHostNetwork network, EmberDistribution distribution, List<Host> hosts,
                              List<HostProcess> servers) {
        this.network = network;
        this.distribution = distribution;
        this.hosts = List.copyOf(hosts);
        this.servers = new ArrayList<>(servers);
    }

    /** Writes each host's configuration and starts its server (without waiting for the ensemble to serve). */
    public static ZooKeeperEnsemble start(MultiHostNetwork network, EmberDistribution distribution, List<Host> hosts) {
        requireNonNull(network, "network is null");
        requireNonNull(distribution, "distribution is null");
        if (hosts.isEmpty()) {
            throw new IllegalArgumentException("an ensemble needs at least one host");
        }
        List<HostProcess> servers = new ArrayList<>();
        for (int i = 0; i < hosts.size(); i++) {
            Host host = hosts.get(i);
            Path config = writeConfig(host, i + 1, hosts);
            Path logback = config.resolveSibling("logback.xml");
            write(logback, List.of(LOGBACK));
            servers.add(network.start(host, "zookeeper", distribution.quorumPeer(config, logback), distribution.environment()));
        }
        return new ZooKeeperEnsemble(network, distribution, hosts, servers);
    }

    /**
     * Starts server {@code index} (0-based) again on its host, with its configuration and data
     * directory as they were (after a test killed it); its output goes to {@code zookeeper-<n>} logs.
     */
    public synchronized HostProcess restart(int index) {
        HostProcess old = servers.get(index);
        if (old.isAlive()) {
            throw new IllegalStateException(old + " is still running");
        }
        Path config = old.host().directory().resolve("zookeeper/zoo.cfg");
        HostProcess server = network.start(old.host(), "zookeeper-" + ++restarts,
                distribution.quorumPeer(config, config.resolveSibling("logback.xml")), distribution.environment());
        servers.set(index, server);
        return server;
    }

    /** The index of the server that leads the ensemble now (the last one to say LEADING among those alive). */
    public synchronized int leader() {
        for (int i = 0; i < servers.size(); i++) {
            HostProcess server = servers.get(i);
            String log = server.stderr() + server.stdout();
            if (server.isAlive() && log.lastIndexOf("LEADING - LEADER ELECTION TOOK") >= 0
                    && log.lastIndexOf("LEADING - LEADER ELECTION TOOK") > log.lastIndexOf("FOLLOWING - LEADER ELECTION TOOK")) {
                return i;
            }
        }
        throw new IllegalStateException("no ZooKeeper server leads");
    }

    /** {@code address:2181,...}: the servers' client addresses, for {@code ember.zookeeper.connect}. */
    public String connectString() {
        return hosts.stream().map(host -> host.address() + ":" + CLIENT_PORT).collect(Collectors.joining(","));
    }

    public synchronized List<HostProcess> servers() {
        return List.copyOf(servers);
    }

    /**
     * Waits until every server serves: a standalone server has loaded its database (its first
     * snapshot), an ensemble has elected a leader that every other server follows.
     */
    public void awaitServing(Duration timeout) {
        List<HostProcess> servers = servers();
        if (servers.size() == 1) {
            servers.get(0).awaitOutput("Snapshot taken", timeout);
            return;
        }
        for (HostProcess server : servers) {
            Await.until(timeout, () -> {
                String log = server.stdout() + server.stderr();
                if (!server.isAlive()) {
                    throw new AssertionError("ZooKeeper exited\n" + server.describe());
                }
                return log.contains("LEADING - LEADER ELECTION TOOK") || log.contains("FOLLOWING - LEADER ELECTION TOOK");
            }, () -> "ZooKeeper on " + server.host() + " has not joined the ensemble\n" + server.describe());
        }
    }

    private static Path writeConfig(Host host, int id, List<Host> ensemble) {
        Path dir = host.directory().resolve("zookeeper");
        Path data = dir.resolve("data");
        List<String> lines = new ArrayList<>(List.of(
                "tickTime=" + TICK_MILLIS,
                "initLimit=25",
                "syncLimit=10",
                "dataDir=" + data,
                "clientPort=" + CLIENT_PORT,
                "clientPortAddress=" + host.address(),
                "admin.enableServer=false",
                "4lw.commands.whitelist=srvr,ruok,mntr"));
        if (ensemble.size() > 1) {
            for (int i = 0; i < ensemble.size(); i++) {
                lines.add("server." + (i + 1) + "=" + ensemble.get(i).address() + ":2888:3888");
            }
        }
        write(data.resolve("myid"), List.of(String.valueOf(id)));
        Path config = dir.resolve("zoo.cfg");
        write(config, lines);
        return config;
    }

    private static void write(Path file, List<String> lines) {
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, lines, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
