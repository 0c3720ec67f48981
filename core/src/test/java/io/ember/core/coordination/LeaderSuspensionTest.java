package io.ember.core.coordination;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.core.testing.Eventually;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingCluster;
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
    void aLeaderWhoseSessionSurvivesAnOutageResumesInTheSameEpochAndNobodyNotices() throws Exception {
        RecordingListener firstEvents = new RecordingListener();
        RecordingListener secondEvents = new RecordingListener();
        LeaderTracker tracker = startBoth(firstEvents, secondEvents);

        long stopNanos = System.nanoTime();
        clients.server().stop();
        Eventually.await(() -> firstEvents.events.size() > 1, "the leader is told to pause");
        System.out.printf("leader paused %d ms after ZooKeeper went away%n",
                (System.nanoTime() - stopNanos) / 1_000_000);
        // Paused: it acts on nothing, and says so to whoever asks.
        assertFalse(first.isLeader());
        assertEquals(-1, first.epoch());
        assertThrows(NotLeaderException.class, () -> Registrations.putApplication(first, "app", new byte[0]));
        assertEquals(List.of("leader 1", "suspended: lost the connection to ZooKeeper; leadership is uncertain"),
                firstEvents.events);

        long restartNanos = System.nanoTime();
        clients.server().restart(); // well within the 4 s session
        Eventually.await(() -> firstEvents.events.contains("resumed 1"), "the leader resumes");
        System.out.printf("leader resumed %d ms after ZooKeeper came back%n",
                (System.nanoTime() - restartNanos) / 1_000_000);
        assertEquals(1, first.epoch());
        assertEquals(List.of("leader 1", "suspended: lost the connection to ZooKeeper; leadership is uncertain",
                "resumed 1"), firstEvents.events);
        Registrations.putApplication(first, "app", new byte[0]); // fenced by epoch 1, and accepted
        assertEquals(List.of(), secondEvents.events, "the standby never led");
        assertFalse(second.isLeader());
        assertEquals(1, tracker.highestEpochSeen());
        CuratorFramework admin = clients.open();
        assertEquals(1, Long.parseLong(new String(admin.getData().forPath(PATHS.epoch()))));
    }

    @Test
    void aLeaderWhoseSessionExpiresInAnOutageLosesItsTermAndALeaderWithANewEpochFollows() throws Exception {
        RecordingListener firstEvents = new RecordingListener();
        RecordingListener secondEvents = new RecordingListener();
        LeaderTracker tracker = startBoth(firstEvents, secondEvents);

        clients.server().stop();
        // Away for longer than the session: the client gives the session up, and the term with it.
        Eventually.await(Duration.ofSeconds(30), firstEvents::lost, "the leader's session is given up");
        assertEquals(List.of("leader 1", "suspended: lost the connection to ZooKeeper; leadership is uncertain",
                "lost: the ZooKeeper session expired"), firstEvents.events);
        assertFalse(first.isLeader());

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

    @Test
    void aLeaderThatReconnectsAfterAnotherTookOverDoesNotResume() throws Exception {
        try (TestingCluster ensemble = new TestingCluster(3)) {
            ensemble.start();
            InstanceSpec alone = ensemble.getInstances().iterator().next();
            // m1 talks to one server only; m2 and the operator to the other two, which keep the quorum.
            Duration session = Duration.ofSeconds(15);
            CuratorFramework firstClient = clients.track(ZooKeeperClients.connect(
                    ZooKeeperSettings.of(alone.getConnectString()).withTimeouts(session, Duration.ofSeconds(10))));
            String others = ensemble.getInstances().stream().filter(spec -> !spec.equals(alone))
                    .map(InstanceSpec::getConnectString).collect(Collectors.joining(","));
            TestingClients quorum = new TestingClients(others);
            try {
                RecordingListener firstEvents = new RecordingListener();
                RecordingListener secondEvents = new RecordingListener();
                first = new LeaderElection(firstClient, PATHS, "m1", "127.0.0.1:7001", firstEvents);
                first.start();
                Eventually.await(() -> first.epoch() == 1, "m1 leads");
                second = new LeaderElection(quorum.open(), PATHS, "m2", "127.0.0.1:7002", secondEvents);
                second.start();

                long killNanos = System.nanoTime();
                ensemble.killServer(alone);
                Eventually.await(() -> firstEvents.events.size() > 1, "m1 pauses");
                // While m1 cannot see it, its latch node goes (as the dead-leader probe would delete it)
                // and m2 takes over.
                CuratorFramework operator = quorum.open();
                for (String child : operator.getChildren().forPath(PATHS.masterLatch())) {
                    String node = PATHS.masterLatch() + "/" + child;
                    if ("m1".equals(new String(operator.getData().forPath(node), StandardCharsets.UTF_8))) {
                        operator.delete().forPath(node);
                    }
                }
                Eventually.await(() -> second.epoch() == 2, "m2 leads with epoch 2");

                ensemble.restartServer(alone);
                Eventually.await(firstEvents::lost, "m1 gives up the term it paused");
                System.out.printf("m1 gave its term up %d ms after its server was killed%n",
                        (System.nanoTime() - killNanos) / 1_000_000);
                assertEquals("leader 1", firstEvents.events.get(0));
                assertEquals("suspended: lost the connection to ZooKeeper; leadership is uncertain",
                        firstEvents.events.get(1));
                assertTrue(firstEvents.events.get(2).startsWith("lost: its latch node "), firstEvents.events.toString());
                assertFalse(firstEvents.events.contains("resumed 1"), firstEvents.events.toString());
                assertFalse(first.isLeader());
                assertThrows(NotLeaderException.class, () -> Registrations.putApplication(first, "app", new byte[0]));
                assertEquals(2, second.epoch());
            } finally {
                quorum.close();
            }
        }
    }

    /** Starts m1, which leads with epoch 1, then m2 as its standby; returns a tracker that saw m1 lead. */
    private LeaderTracker startBoth(RecordingListener firstEvents, RecordingListener secondEvents) {
        first = new LeaderElection(clients.open(), PATHS, "m1", "127.0.0.1:7001", firstEvents);
        second = new LeaderElection(clients.open(), PATHS, "m2", "127.0.0.1:7002", secondEvents);
        first.start();
        Eventually.await(() -> !firstEvents.epochs.isEmpty(), "m1 leads");
        second.start();
        LeaderTracker tracker = clients.track(new LeaderTracker(clients.open(), PATHS));
        tracker.start();
        assertEquals(1, tracker.awaitLeader(Duration.ofSeconds(10)).epoch());
        return tracker;
    }
}
