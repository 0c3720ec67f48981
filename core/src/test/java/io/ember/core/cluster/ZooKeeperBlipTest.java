package io.ember.core.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import io.ember.core.coordination.LeaderInfo;
import io.ember.core.driver.EmberContext;
import io.ember.core.driver.client.ApplicationClient;
import io.ember.core.testing.CapturedLog;
import io.ember.core.testing.Eventually;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * ZooKeeper goes away for a moment, shorter than every session, as when the server a master is
 * connected to dies and the quorum holds: the leader stops acting while the connection is down,
 * then resumes the same term in the same epoch. Nobody else notices: no new epoch, no application
 * registered again, the same executors; placement works again afterwards.
 */
final class ZooKeeperBlipTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @RegisterExtension
    final ProcessClusterExtension cluster = ProcessClusterExtension.withMasters(1)
            // a session that outlives the blip even on a slow machine
            .withMasterSettings(Map.of("ember.zookeeper.sessionTimeout", "10s"))
            .withWorkers(2, 2);

    @Test
    void theLeaderResumesItsTermInTheSameEpochAndNoDriverNotices() throws Exception {
        LeaderInfo before = cluster.awaitLeaderAbove(0);
        Eventually.await(WAIT, () -> cluster.describe(before.address()).getWorkersCount() == 2,
                "both workers registered with the leader");
        try (CapturedLog driverLog = CapturedLog.of(ApplicationClient.class)) {
            EmberContext app = cluster.startApplication(cluster.applicationSettings("through-the-blip", 2));
            Set<String> executors = ProcessClusterExtension.executorIds(app.awaitExecutors(2, WAIT));
            assertEquals(120L, app.range(0, 16, 4).reduce(Long::sum));

            long stopped = System.nanoTime();
            cluster.stopZooKeeper();
            Eventually.await(WAIT, () -> cluster.mastersOutput().contains("pauses its leadership"),
                    () -> "the leader pauses; the masters said:" + cluster.mastersOutput());
            cluster.restartZooKeeper();
            long restarted = System.nanoTime();
            Eventually.await(WAIT, () -> cluster.mastersOutput().contains("resumes leading cluster"),
                    () -> "the leader resumes; the masters said:" + cluster.mastersOutput());
            long resumedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restarted);

            assertEquals(before.epoch(), cluster.leader().orElseThrow().epoch(), "the same leader record");
            assertEquals(before.epoch(), cluster.describe(before.address()).getEpoch(), "the same term");
            String masters = cluster.mastersOutput();
            assertEquals(1, masters.split("Leading cluster", -1).length - 1, "recovered once only\n" + masters);
            assertEquals(120L, app.range(0, 16, 4).reduce(Long::sum), "a job after the blip");
            assertEquals(executors, ProcessClusterExtension.executorIds(app.executors()), "the same executors");
            assertTrue(driverLog.messages(Level.INFO).stream().noneMatch(m -> m.startsWith("New leader master")),
                    () -> "the driver registered nothing again: " + driverLog.messages(Level.INFO));

            // Placement works again: a new application gets the two free cores' executors.
            EmberContext newcomer = cluster.startApplication(cluster.applicationSettings("after-the-blip", 2));
            newcomer.awaitExecutors(2, WAIT);
            assertEquals(120L, newcomer.range(0, 16, 4).reduce(Long::sum), "a new application runs");
            System.out.printf("ZooKeeper away for %d ms: the leader resumed epoch %d %d ms after it returned%n",
                    TimeUnit.NANOSECONDS.toMillis(restarted - stopped), before.epoch(), resumedMillis);
        }
    }
}
