package io.ember.core.master;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import io.ember.api.config.DeclaredSettings;
import io.ember.core.coordination.ClusterPaths;
import io.ember.core.coordination.EmbeddedZooKeeper;
import io.ember.core.coordination.LeaderInfo;
import io.ember.core.coordination.ZooKeeperClients;
import io.ember.core.coordination.ZooKeeperSettings;
import io.ember.core.testing.CapturedLog;
import io.ember.core.testing.Eventually;
import io.ember.scheduler.fifo.FifoSchedulerFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two real masters with a secret: when someone (with the secret: an operator by hand, a script)
 * deletes the leader's record, the leader stops acting at once and the standby takes over with a
 * higher epoch, never both at the same time.
 */
final class MasterStepDownTest {

    private static final String SECRET = "correct-horse-battery-staple";
    private static final ClusterPaths PATHS = new ClusterPaths("step-down");

    @TempDir
    Path dir;

    private EmbeddedZooKeeper zooKeeper;
    private CuratorFramework operator;
    private final List<AutoCloseable> resources = new ArrayList<>();

    @BeforeEach
    void start() {
        zooKeeper = EmbeddedZooKeeper.start(dir);
        operator = ZooKeeperClients.connect(zk());
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
        operator.close();
        zooKeeper.close();
    }

    @Test
    void aLeaderWhoseRecordIsDeletedStopsActingAndTheStandbyTakesOverWithAHigherEpoch() throws Exception {
        MasterServer first = master();
        Eventually.await("the first master leads", first::isLeader);
        MasterServer second = master();
        assertEquals(1, first.epoch());

        // Watches for both acting at once: the standby read first, so a hit is a real overlap (the old
        // leader does not lead again while the standby keeps leading).
        AtomicBoolean overlap = new AtomicBoolean();
        AtomicBoolean done = new AtomicBoolean();
        Thread watcher = new Thread(() -> {
            while (!done.get()) {
                if (second.isLeader() && first.isLeader()) {
                    overlap.set(true);
                }
                Thread.onSpinWait();
            }
        }, "overlap-watcher");
        watcher.setDaemon(true);
        watcher.start();
        try (CapturedLog log = CapturedLog.of(MasterServer.class)) {
            try {
                operator.delete().forPath(PATHS.leader());

                Eventually.await("the old leader stops acting", () -> !first.isLeader());
                Eventually.await("the standby leads", second::isLeader);
            } finally {
                done.set(true);
                watcher.join();
            }
            assertFalse(overlap.get(), "never two at once");
            assertFalse(first.isLeader());
            assertEquals(2, second.epoch());
            assertEquals(-1, first.epoch());
            assertTrue(log.messages(Level.WARN).contains("Master " + first.masterId() + " stops acting as leader: its "
                    + "leader record /ember/step-down/master/leader was deleted by someone else"),
                    log.messages(Level.WARN).toString());
        }
        Eventually.await("the standby's record is published", () -> recordNames(second));
        assertTrue(second.isLeader());
    }

    private boolean recordNames(MasterServer master) {
        try {
            LeaderInfo info = LeaderInfo.decode(operator.getData().forPath(PATHS.leader()));
            return info.masterId().equals(master.masterId()) && info.epoch() == master.epoch();
        } catch (Exception e) {
            return false;
        }
    }

    private ZooKeeperSettings zk() {
        return ZooKeeperSettings.of(zooKeeper.connectString()).withTimeouts(Duration.ofSeconds(4), Duration.ofSeconds(10))
                .withSecret(SECRET);
    }

    private MasterServer master() {
        MasterOptions options = new MasterOptions(PATHS.cluster(), zk(), "127.0.0.1", 0, Placement.SPREAD,
                Optional.of(SECRET), Duration.ofSeconds(5), Duration.ofMillis(500), MasterOptions.newMasterId("127.0.0.1"));
        MasterServer master = MasterServer.start(options, new FifoSchedulerFactory().create(
                DeclaredSettings.of(List.of(), Map.of())));
        resources.add(master);
        return master;
    }
}
