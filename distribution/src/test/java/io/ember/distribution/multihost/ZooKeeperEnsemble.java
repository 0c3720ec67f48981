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
 * 20 ticks). The network ends the servers when it closes.
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

    private final List<Host> hosts;
    private final List<HostProcess> servers;

    private ZooKeeperEnsemble(List<Host> hosts, List<HostProcess> servers) {
        this.hosts = List.copyOf(hosts);
        this.servers = List.copyOf(servers);
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
        return new ZooKeeperEnsemble(hosts, servers);
    }

    /** {@code address:2181,...}: the servers' client addresses, for {@code ember.zookeeper.connect}. */
    public String connectString() {
        return hosts.stream().map(host -> host.address() + ":" + CLIENT_PORT).collect(Collectors.joining(","));
    }

    public List<HostProcess> servers() {
        return servers;
    }

    /**
     * Waits until every server serves: a standalone server has loaded its database (its first
     * snapshot), an ensemble has elected a leader that every other server follows.
     */
    public void awaitServing(Duration timeout) {
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
