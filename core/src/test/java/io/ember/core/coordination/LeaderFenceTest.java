package io.ember.core.coordination;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ember.core.concurrent.EventLoop;
import io.ember.core.testing.Eventually;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorTransactionResult;
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

    /** Runs {@link LeaderFence#watch} where the election runs it, and waits until the watch is set. */
    private void watchOnTheWorkLoop() {
        work.ask("the epoch watch", () -> {
            fence.watch(term);
            return null;
        }, Duration.ofSeconds(10));
    }
}
