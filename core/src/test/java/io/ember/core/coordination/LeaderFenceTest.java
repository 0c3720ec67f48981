package io.ember.core.coordination;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.core.concurrent.EventLoop;
import io.ember.core.testing.Eventually;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorTransactionResult;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The fence of a leader's term, alone against a real ZooKeeper, with a handwritten leader. */
final class LeaderFenceTest {

    private static final ClusterPaths PATHS = new ClusterPaths("fence");

    /** A leader whose terms stay current until deposed; records every step-down. */
    private static final class TestingLeader implements LeaderFence.Leader {

        final List<String> deposed = new CopyOnWriteArrayList<>();

        @Override
        public boolean isCurrent(LeaderTerm term) {
            return deposed.isEmpty();
        }

        @Override
        public void deposed(LeaderTerm term, String reason) {
            deposed.add("epoch " + term.epoch() + ": " + reason);
        }
    }

    private TestingClients clients;
    private CuratorFramework client;
    private EventLoop work;
    private final TestingLeader leader = new TestingLeader();
    private LeaderFence fence;
    private LeaderTerm term;

    @BeforeEach
    void start() throws Exception {
        clients = TestingClients.withServer();
        client = clients.open();
        work = EventLoop.start("fence-test");
        fence = new LeaderFence(client, PATHS, "m1", work, leader);
        client.create().creatingParentsIfNeeded().forPath(PATHS.epoch(), "1".getBytes(UTF_8));
        client.create().creatingParentsIfNeeded().forPath(PATHS.apps());
        term = new LeaderTerm(1, client.checkExists().forPath(PATHS.epoch()).getVersion(), 0);
    }

    @AfterEach
    void stop() throws Exception {
        work.shutdownNow(Duration.ofSeconds(2));
        clients.close();
    }

    @Test
    void appliesTheWritesOfTheCurrentEpochAndReturnsTheirResults() throws Exception {
        List<CuratorTransactionResult> results = fence.write(term,
                client.transactionOp().create().forPath(PATHS.app("a"), "v1".getBytes(UTF_8)));

        assertEquals(1, results.size());
        assertEquals(PATHS.app("a"), results.get(0).getForPath());
        assertArrayEquals("v1".getBytes(UTF_8), client.getData().forPath(PATHS.app("a")));
        assertEquals(List.of(), leader.deposed);
    }

    @Test
    void refusesTheWritesOfASupersededEpochAndStepsDown() throws Exception {
        client.setData().forPath(PATHS.epoch(), "2".getBytes(UTF_8));

        NotLeaderException refused = assertThrows(NotLeaderException.class,
                () -> fence.write(term, client.transactionOp().create().forPath(PATHS.app("a"))));
        assertEquals("master m1 is no longer the leader: epoch 1 was superseded: another master leads cluster fence",
                refused.getMessage());
        assertNull(client.checkExists().forPath(PATHS.app("a")), "nothing was written");
        assertEquals(List.of("epoch 1: epoch 1 was superseded: another master leads cluster fence"), leader.deposed);
    }

    @Test
    void passesOnTheFailureOfAGivenOperationWithoutSteppingDown() throws Exception {
        client.create().forPath(PATHS.app("a"));

        assertThrows(KeeperException.NodeExistsException.class,
                () -> fence.write(term, client.transactionOp().create().forPath(PATHS.app("a"))));
        assertEquals(List.of(), leader.deposed);
    }

    @Test
    void stepsDownWhenTheWatchedEpochMovesOn() throws Exception {
        watchOnTheWorkLoop();
        assertEquals(List.of(), leader.deposed);

        client.setData().forPath(PATHS.epoch(), "2".getBytes(UTF_8));
        Eventually.await(() -> !leader.deposed.isEmpty(), "the leader is told it was superseded");
        assertEquals(List.of("epoch 1: epoch 1 was superseded: another master leads cluster fence"), leader.deposed);
    }

    @Test
    void stepsDownAtOnceWhenTheEpochMovedOnBeforeTheWatch() throws Exception {
        client.setData().forPath(PATHS.epoch(), "2".getBytes(UTF_8));

        watchOnTheWorkLoop();
        assertEquals(List.of("epoch 1: epoch 1 was superseded: another master leads cluster fence"), leader.deposed);
    }

    @Test
    void keepsLeadingWhileItsOwnRecordIsUntouched() throws Exception {
        publishRecordAndWatch();
        fence.write(term, client.transactionOp().create().forPath(PATHS.app("a"))); // the leader's own writes
        work.ask("a round trip", () -> null, Duration.ofSeconds(10));
        assertEquals(List.of(), leader.deposed);
    }

    @Test
    void stepsDownWhenSomeoneElseDeletesItsRecord() throws Exception {
        publishRecordAndWatch();

        clients.open().delete().forPath(PATHS.leader());
        Eventually.await(() -> !leader.deposed.isEmpty(), "the leader is told");
        assertEquals(List.of("epoch 1: its leader record /ember/fence/master/leader was deleted by someone else"),
                leader.deposed);
    }

    @Test
    void stepsDownWhenSomeoneElseRewritesItsRecordEvenWithTheSameContent() throws Exception {
        byte[] mine = publishRecordAndWatch();

        clients.open().setData().forPath(PATHS.leader(), mine);
        Eventually.await(() -> !leader.deposed.isEmpty(), "the leader is told");
        assertEquals(List.of("epoch 1: its leader record /ember/fence/master/leader was changed by someone else (it "
                + "now names master m1 at 127.0.0.1:7077, epoch 1)"), leader.deposed);
    }

    @Test
    void stepsDownWhenSomeoneElseReplacesItsRecordWithAnotherMaster() throws Exception {
        publishRecordAndWatch();

        CuratorFramework intruder = clients.open();
        intruder.delete().forPath(PATHS.leader());
        intruder.create().forPath(PATHS.leader(), new LeaderInfo("intruder", "10.0.0.66:7077", 1).encode());
        Eventually.await(() -> !leader.deposed.isEmpty(), "the leader is told");
        // The deletion or the new node, whichever the watch saw first.
        String reason = leader.deposed.get(0);
        assertTrue(reason.equals("epoch 1: its leader record /ember/fence/master/leader was deleted by someone else")
                || reason.equals("epoch 1: its leader record /ember/fence/master/leader was changed by someone else (it "
                        + "now names master intruder at 10.0.0.66:7077, epoch 1)"), reason);
    }

    @Test
    void aRecordWithAHigherEpochIsASuccessor() throws Exception {
        publishRecordAndWatch();

        // As a successor replaces a stale record: one transaction, so the watch sees only the new record.
        CuratorFramework successor = clients.open();
        successor.transaction().forOperations(successor.transactionOp().delete().forPath(PATHS.leader()),
                successor.transactionOp().create().withMode(CreateMode.EPHEMERAL)
                        .forPath(PATHS.leader(), new LeaderInfo("m2", "127.0.0.1:7078", 2).encode()));
        Eventually.await(() -> !leader.deposed.isEmpty(), "the leader is told");
        assertEquals(List.of("epoch 1: epoch 1 was superseded: another master leads cluster fence"), leader.deposed);
    }

    /** Publishes m1's record for the term on this client's session, and watches it; returns the record. */
    private byte[] publishRecordAndWatch() throws Exception {
        LeaderInfo mine = new LeaderInfo("m1", "127.0.0.1:7077", 1);
        client.create().withMode(CreateMode.EPHEMERAL).forPath(PATHS.leader(), mine.encode());
        long session = client.getZookeeperClient().getZooKeeper().getSessionId();
        work.ask("the record watch", () -> {
            fence.watchRecord(term, mine, session);
            return null;
        }, Duration.ofSeconds(10));
        assertEquals(List.of(), leader.deposed, "its own fresh record is accepted");
        return mine.encode();
    }

    /** Runs {@link LeaderFence#watch} where the election runs it, and waits until the watch is set. */
    private void watchOnTheWorkLoop() {
        work.ask("the epoch watch", () -> {
            fence.watch(term);
            return null;
        }, Duration.ofSeconds(10));
    }
}
