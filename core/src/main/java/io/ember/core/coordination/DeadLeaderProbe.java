package io.ember.core.coordination;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import io.ember.core.concurrent.EventLoop;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A standby master's fast path to leadership when the leader's process is gone: it probes the
 * leader's advertised address, and when the leader's host refuses the connection
 * {@value #REFUSALS} times in a row (a live host whose leader process died: its port is closed),
 * it removes the dead leader's node from the election ({@code master/latch}) instead of waiting for
 * the dead process's ZooKeeper session to expire. The election then proceeds as it does after an
 * expiry: the next candidate is elected with a higher epoch.
 *
 * <p>Only a refused connection counts. A leader that is alive but slow or unreachable (a timeout, no
 * route: a partition, a paused process, a dead host) is left to the session timeout, as before; and
 * should a live leader's node be removed all the same, the election's epoch fence keeps it from
 * acting once its successor has: it steps down on the successor's epoch.
 *
 * <p>Threads: probes run on a loop of their own, every {@link #INTERVAL}; {@link #probe()} is
 * confined to it (tests call it directly).
 */
public final class DeadLeaderProbe implements AutoCloseable {

    /** How often the leader is probed. */
    static final Duration INTERVAL = Duration.ofMillis(200);
    /** Refused connections in a row after which the leader's process is taken for gone. */
    static final int REFUSALS = 2;

    private static final Logger LOG = LoggerFactory.getLogger(DeadLeaderProbe.class);

    /** What a probe of an address found. */
    enum Answer { ACCEPTED, REFUSED, NO_ANSWER }

    /** Probes an address. */
    @FunctionalInterface
    interface Connector {
        Answer probe(String host, int port);
    }

    private final CuratorFramework client;
    private final ClusterPaths paths;
    private final String masterId;
    private final LeaderTracker tracker;
    private final Connector connector;
    private final EventLoop loop;
    // Confined to the loop.
    private LeaderInfo probed;
    private int refusals;

    DeadLeaderProbe(CuratorFramework client, ClusterPaths paths, String masterId, LeaderTracker tracker,
                    Connector connector, EventLoop loop) {
        this.client = requireNonNull(client, "client is null");
        this.paths = requireNonNull(paths, "paths is null");
        this.masterId = requireNonNull(masterId, "masterId is null");
        this.tracker = requireNonNull(tracker, "tracker is null");
        this.connector = requireNonNull(connector, "connector is null");
        this.loop = requireNonNull(loop, "loop is null");
    }

    /** Starts probing, for the master {@code masterId}, whichever other master leads. */
    public static DeadLeaderProbe start(CuratorFramework client, ClusterPaths paths, String masterId) {
        LeaderTracker tracker = new LeaderTracker(client, paths);
        tracker.start();
        DeadLeaderProbe probe = new DeadLeaderProbe(client, paths, masterId, tracker,
                DeadLeaderProbe::connect, EventLoop.start("ember-leader-probe"));
        probe.loop.scheduleWithFixedDelay(probe::probe, INTERVAL, INTERVAL);
        return probe;
    }

    /**
     * One probe of the leader, if another master leads: after {@link #REFUSALS} refusals in a row
     * of the same leadership, its node leaves the election.
     *
     * @return whether this probe removed the leader's node
     */
    boolean probe() {
        Optional<LeaderInfo> leader = tracker.current();
        if (leader.isEmpty() || leader.get().masterId().equals(masterId)) {
            probed = null;
            refusals = 0;
            return false;
        }
        if (!leader.get().equals(probed)) {
            probed = leader.get();
            refusals = 0;
        }
        if (connector.probe(probed.host(), probed.port()) != Answer.REFUSED) {
            refusals = 0;
            return false;
        }
        if (++refusals < REFUSALS) {
            return false;
        }
        refusals = 0;
        return removeFromElection(probed);
    }

    /** Deletes the latch nodes of the dead leader; whether one was deleted. */
    private boolean removeFromElection(LeaderInfo leader) {
        try {
            List<String> candidates = client.getChildren().forPath(paths.masterLatch());
            boolean removed = false;
            for (String candidate : candidates) {
                String path = paths.masterLatch() + "/" + candidate;
                byte[] id = dataOf(path);
                if (id != null && new String(id, UTF_8).equals(leader.masterId())) {
                    deleteIfThere(path);
                    removed = true;
                }
            }
            if (removed) {
                LOG.info("The leader master {} at {} (epoch {}) refuses connections: its process is gone. Its place in "
                        + "the election is given up now, without waiting for its ZooKeeper session to expire",
                        leader.masterId(), leader.address(), leader.epoch());
            }
            return removed;
        } catch (Exception e) {
            LOG.debug("Could not remove the dead leader {} from the election: {}", leader.masterId(), e.toString());
            return false;
        }
    }

    private byte[] dataOf(String path) throws Exception {
        try {
            return client.getData().forPath(path);
        } catch (KeeperException.NoNodeException gone) {
            return null;
        }
    }

    private void deleteIfThere(String path) throws Exception {
        try {
            client.delete().forPath(path);
        } catch (KeeperException.NoNodeException gone) {
            // removed meanwhile: by its session's expiry, or by another standby
        }
    }

    /** A TCP connect to the address, within the probe interval. */
    private static Answer connect(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), (int) INTERVAL.toMillis());
            return Answer.ACCEPTED;
        } catch (ConnectException e) {
            String message = String.valueOf(e.getMessage());
            return message.contains("refused") ? Answer.REFUSED : Answer.NO_ANSWER;
        } catch (IOException | IllegalArgumentException e) {
            return Answer.NO_ANSWER;
        }
    }

    @Override
    public void close() {
        loop.shutdownNow(Duration.ofSeconds(2));
        tracker.close();
    }
}
