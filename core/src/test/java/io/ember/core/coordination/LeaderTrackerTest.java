package io.ember.core.coordination;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ember.core.testing.Eventually;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.CreateMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class LeaderTrackerTest {

    private static final ClusterPaths PATHS = new ClusterPaths("tracked");

    @TempDir
    Path baseDir;

    private EmbeddedZooKeeper server;
    private TestingClients clients;
    private CuratorFramework admin;

    @BeforeEach
    void startServer() {
        server = EmbeddedZooKeeper.start(baseDir);
        clients = new TestingClients(server.connectString());
        admin = clients.open();
    }

    @AfterEach
    void stopServer() {
        clients.close();
        server.close();
    }

    private LeaderTracker startedTracker() {
        LeaderTracker tracker = clients.track(new LeaderTracker(clients.open(), PATHS));
        tracker.start();
        return tracker;
    }

    private void publish(LeaderInfo info) throws Exception {
        if (admin.checkExists().forPath(PATHS.leader()) != null) {
            admin.delete().forPath(PATHS.leader());
        }
        admin.create().creatingParentsIfNeeded().withMode(CreateMode.EPHEMERAL).forPath(PATHS.leader(), info.encode());
    }

    @Test
    void waitingForALeaderThatNeverComesFailsClearly() {
        LeaderTracker tracker = startedTracker();
        CoordinationException e = assertThrows(CoordinationException.class,
                () -> tracker.awaitLeader(Duration.ofMillis(300)));
        assertEquals("no leader master for cluster tracked after 300ms", e.getMessage());
        assertEquals(Optional.empty(), tracker.current());
        assertEquals(0, tracker.highestEpochSeen());
    }

    @Test
    void followsEveryNewLeaderInOrder() throws Exception {
        LeaderTracker tracker = startedTracker();
        List<LeaderInfo> seen = new CopyOnWriteArrayList<>();
        tracker.addListener(seen::add);

        LeaderInfo first = new LeaderInfo("m1", "h1:7077", 1);
        LeaderInfo second = new LeaderInfo("m2", "h2:7077", 2);
        publish(first);
        assertEquals(first, tracker.awaitLeader(Duration.ofSeconds(10)));
        admin.delete().forPath(PATHS.leader());
        Eventually.await(() -> tracker.current().isEmpty(), "no leader between leaders");
        publish(second);
        Eventually.await(() -> seen.size() == 2, "both leaders were reported");

        assertEquals(List.of(first, second), seen);
        assertEquals(Optional.of(second), tracker.current());
        assertEquals(2, tracker.highestEpochSeen());

        List<LeaderInfo> late = new CopyOnWriteArrayList<>();
        tracker.addListener(late::add);
        Eventually.await(() -> !late.isEmpty(), "a late listener hears of the current leader");
        assertEquals(List.of(second), late);
    }

    @Test
    void neverGoesBackToAnOlderEpochOrAMalformedRecord() throws Exception {
        LeaderTracker tracker = startedTracker();
        LeaderInfo current = new LeaderInfo("m3", "h3:7077", 3);
        publish(current);
        assertEquals(current, tracker.awaitLeader(Duration.ofSeconds(10)));
        List<LeaderInfo> seen = new CopyOnWriteArrayList<>();
        tracker.addListener(seen::add);
        Eventually.await(() -> seen.size() == 1, "the listener hears of the current leader");

        admin.setData().forPath(PATHS.leader(), new LeaderInfo("m2", "h2:7077", 2).encode());
        admin.setData().forPath(PATHS.leader(), "garbage".getBytes(UTF_8));
        LeaderInfo next = new LeaderInfo("m4", "h4:7077", 4);
        admin.setData().forPath(PATHS.leader(), next.encode());
        Eventually.await(() -> seen.size() == 2, "the next leader is reported");

        assertEquals(List.of(current, next), seen);
        assertEquals(4, tracker.highestEpochSeen());
        assertEquals(Optional.of(next), tracker.current());
    }

    @Test
    void hasAClearLifecycle() {
        LeaderTracker tracker = new LeaderTracker(clients.open(), PATHS);
        tracker.start();
        assertThrows(IllegalStateException.class, tracker::start);
        tracker.close();
        tracker.close();
        assertThrows(IllegalStateException.class, tracker::start);
        assertThrows(CoordinationException.class, () -> tracker.awaitLeader(Duration.ofSeconds(5)));
        new LeaderTracker(admin, PATHS).close();
    }
}
