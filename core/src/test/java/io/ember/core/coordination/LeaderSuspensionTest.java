package io.ember.core.coordination;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.core.testing.Eventually;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a leader does when ZooKeeper goes away and comes back (a server that can stop and restart). */
final class LeaderSuspensionTest {

    private static final ClusterPaths PATHS = new ClusterPaths("suspension");

    @TempDir
    Path dataDir;

    private TestingClients clients;
    private LeaderElection first;
    private LeaderElection second;

    @BeforeEach
    void startServer() throws Exception {
        // tickTime 200 ms, so the clients' 4 s sessions are honoured; data kept across restarts.
        clients = TestingClients.withServer(dataDir, 200);
    }

    @AfterEach
    void stopEverything() throws Exception {
        for (LeaderElection election : new LeaderElection[] {second, first}) {
            if (election != null) {
                election.close();
            }
        }
        clients.close();
    }

    @Test
    void theLeaderStopsAtOnceWhenZooKeeperGoesAwayAndComesBackWithANewEpoch() throws Exception {
        RecordingListener firstEvents = new RecordingListener();
        RecordingListener secondEvents = new RecordingListener();
        first = new LeaderElection(clients.open(), PATHS, "m1", "127.0.0.1:7001", firstEvents);
        second = new LeaderElection(clients.open(), PATHS, "m2", "127.0.0.1:7002", secondEvents);
        first.start();
        Eventually.await(() -> !firstEvents.epochs.isEmpty(), "m1 leads");
        second.start();
        LeaderTracker tracker = clients.track(new LeaderTracker(clients.open(), PATHS));
        tracker.start();
        assertEquals(1, tracker.awaitLeader(Duration.ofSeconds(10)).epoch());

        long stopNanos = System.nanoTime();
        clients.server().stop();
        Eventually.await(firstEvents::lost, "the leader is told to stop");
        System.out.printf("leader stopped acting %d ms after ZooKeeper went away%n",
                (firstEvents.lostNanos - stopNanos) / 1_000_000);
        assertFalse(first.isLeader());
        assertEquals(-1, first.epoch());
        assertThrows(NotLeaderException.class, () -> Registrations.putApplication(first, "app", new byte[0]));
        assertEquals(List.of("leader 1", "lost: lost the connection to ZooKeeper; leadership is uncertain"),
                firstEvents.events);

        long restartNanos = System.nanoTime();
        clients.server().restart();
        Eventually.await(() -> first.epoch() > 1 || second.epoch() > 1, "a leader with a new epoch");
        LeaderElection leader = first.epoch() > 1 ? first : second;
        System.out.printf("%s leads again with epoch %d, %d ms after ZooKeeper came back%n", leader.masterId(),
                leader.epoch(), (System.nanoTime() - restartNanos) / 1_000_000);
        assertEquals(2, leader.epoch());
        assertTrue(first.isLeader() ^ second.isLeader(), "exactly one leads");
        Eventually.await(() -> tracker.highestEpochSeen() == 2, "the tracker follows");
        assertEquals(leader.masterId(), tracker.current().orElseThrow().masterId());
        Registrations.putApplication(leader, "app", new byte[0]);
        CuratorFramework admin = clients.open();
        assertEquals(2, Long.parseLong(new String(admin.getData().forPath(PATHS.epoch()))));
    }
}
