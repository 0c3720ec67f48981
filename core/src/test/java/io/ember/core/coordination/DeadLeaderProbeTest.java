package io.ember.core.coordination;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.core.concurrent.EventLoop;
import io.ember.core.coordination.DeadLeaderProbe.Answer;
import io.ember.core.testing.Eventually;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A standby's probe of the leader over a real ZooKeeper, with two real elections; what the leader's
 * address answers is scripted, and the test runs each probe itself.
 */
final class DeadLeaderProbeTest {

    private static final ClusterPaths PATHS = new ClusterPaths("probe");

    @TempDir
    Path baseDir;

    private EmbeddedZooKeeper server;
    private TestingClients clients;
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final Deque<Answer> answers = new ArrayDeque<>();
    private final EventLoop probeLoop = EventLoop.start("test-leader-probe");   // unused: the test probes itself

    @BeforeEach
    void startServer() {
        server = EmbeddedZooKeeper.start(baseDir);
        clients = new TestingClients(server.connectString());
    }

    @AfterEach
    void stopEverything() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
        probeLoop.shutdownNow(Duration.ofSeconds(1));
        clients.close();
        server.close();
    }

    @Test
    void aLeaderWhoseAddressRefusesTwiceInARowLeavesTheElectionAndTheStandbyLeadsWithAHigherEpoch() {
        RecordingListener first = new RecordingListener();
        LeaderElection leader = election("m1", first);
        Eventually.await(leader::isLeader, "m1 leads");
        RecordingListener second = new RecordingListener();
        LeaderElection standby = election("m2", second);
        DeadLeaderProbe probe = probe("m2");

        answers.addAll(List.of(Answer.REFUSED, Answer.REFUSED));
        assertFalse(probe.probe(), "one refusal is not enough");
        assertTrue(probe.probe(), "the second in a row removes it");

        Eventually.await(() -> standby.isLeader() && second.lastEpoch() > first.lastEpoch(), "m2 leads, with a higher epoch");
        Eventually.await(first::lost, "m1 is told it lost leadership");
        assertFalse(leader.isLeader());
    }

    @Test
    void aLeaderThatAnswersOrCannotBeReachedIsLeftToItsSession() {
        LeaderElection leader = election("m1", new RecordingListener());
        Eventually.await(leader::isLeader, "m1 leads");
        election("m2", new RecordingListener());
        DeadLeaderProbe probe = probe("m2");

        // a timeout (a partition, a paused or dead host) proves nothing; refusals count only in a row
        answers.addAll(List.of(Answer.NO_ANSWER, Answer.REFUSED, Answer.ACCEPTED, Answer.REFUSED, Answer.NO_ANSWER,
                Answer.NO_ANSWER, Answer.REFUSED, Answer.ACCEPTED));
        for (int i = 0; i < 8; i++) {
            assertFalse(probe.probe(), "probe " + i);
        }

        assertTrue(leader.isLeader());
        assertEquals(0, answers.size(), "every probe asked the leader");
    }

    @Test
    void aMasterNeverProbesItself() {
        LeaderElection leader = election("m1", new RecordingListener());
        Eventually.await(leader::isLeader, "m1 leads");
        DeadLeaderProbe probe = probe("m1");

        answers.addAll(List.of(Answer.REFUSED, Answer.REFUSED, Answer.REFUSED));
        for (int i = 0; i < 3; i++) {
            assertFalse(probe.probe());
        }

        assertEquals(3, answers.size(), "nothing asked");
        assertTrue(leader.isLeader());
    }

    private LeaderElection election(String id, RecordingListener listener) {
        LeaderElection election = new LeaderElection(clients.open(), PATHS, id, "127.0.0.1:7001", listener);
        toClose.add(election);
        election.start();
        return election;
    }

    /** A probe for {@code masterId} whose tracker has seen the leader, answered from {@link #answers}. */
    private DeadLeaderProbe probe(String masterId) {
        LeaderTracker tracker = new LeaderTracker(clients.open(), PATHS);
        tracker.start();
        toClose.add(tracker);
        Eventually.await(() -> tracker.current().isPresent(), "the tracker sees the leader");
        return new DeadLeaderProbe(clients.open(), PATHS, masterId, tracker,
                (host, port) -> answers.isEmpty() ? Answer.ACCEPTED : answers.poll(), probeLoop);
    }
}
