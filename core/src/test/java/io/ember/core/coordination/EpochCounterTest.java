package io.ember.core.coordination;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.CreateMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The compare-and-set increment of {@code master/epoch}, alone against a real ZooKeeper. */
final class EpochCounterTest {

    private static final ClusterPaths PATHS = new ClusterPaths("epochs");

    private TestingClients clients;
    private CuratorFramework client;
    private EpochCounter counter;
    private String latchNode;

    @BeforeEach
    void start() throws Exception {
        clients = TestingClients.withServer();
        client = clients.open();
        counter = new EpochCounter(client, PATHS, "m1");
        latchNode = client.create().creatingParentsIfNeeded().withMode(CreateMode.EPHEMERAL_SEQUENTIAL)
                .forPath(PATHS.masterLatch() + "/latch-", "m1".getBytes(UTF_8));
    }

    @AfterEach
    void stop() throws Exception {
        clients.close();
    }

    @Test
    void createsTheEpochAtOneWhenThereIsNone() throws Exception {
        assertEquals(new EpochCounter.Epoch(1, 0), counter.increment(latchNode, () -> true));
        assertArrayEquals("1".getBytes(UTF_8), client.getData().forPath(PATHS.epoch()));
    }

    @Test
    void givesEveryIncrementAHigherEpochAndTheVersionItWrote() throws Exception {
        counter.increment(latchNode, () -> true);
        EpochCounter other = new EpochCounter(clients.open(), PATHS, "m2");

        assertEquals(new EpochCounter.Epoch(2, 1), other.increment(latchNode, () -> true));
        assertEquals(new EpochCounter.Epoch(3, 2), counter.increment(latchNode, () -> true));
        assertArrayEquals("3".getBytes(UTF_8), client.getData().forPath(PATHS.epoch()));
        assertEquals(2, client.checkExists().forPath(PATHS.epoch()).getVersion());
    }

    @Test
    void changesNothingWhenTheLatchNodeIsGone() throws Exception {
        counter.increment(latchNode, () -> true);
        client.delete().forPath(latchNode);

        assertNull(counter.increment(latchNode, () -> true));
        assertArrayEquals("1".getBytes(UTF_8), client.getData().forPath(PATHS.epoch()));
    }

    @Test
    void stopsWhenTheAttemptIsNoLongerWanted() throws Exception {
        assertThrows(StaleAttempt.class, () -> counter.increment(latchNode, () -> false));
        assertNull(client.checkExists().forPath(PATHS.epoch()));
    }

    /** Two masters read the same epoch: only the first write counts; the stale one changes nothing. */
    @Test
    void aStaleWriterCanSetNeitherAnOlderNorTheSameEpoch() throws Exception {
        EpochCounter other = new EpochCounter(clients.open(), PATHS, "m2");
        counter.increment(latchNode, () -> true);
        EpochCounter.Reading stale = counter.read();
        assertEquals(new EpochCounter.Reading(1, 0), stale);

        assertEquals(new EpochCounter.Epoch(2, 1), other.increment(latchNode, () -> true));
        // m1 would move the epoch from 2 back to 2 (its read said 1): refused.
        assertEquals(new EpochCounter.Outcome.Changed(), counter.write(latchNode, stale));
        assertArrayEquals("2".getBytes(UTF_8), client.getData().forPath(PATHS.epoch()));

        other.increment(latchNode, () -> true);
        // Older still: refused again, and the epoch stays where the other master set it.
        assertEquals(new EpochCounter.Outcome.Changed(), counter.write(latchNode, stale));
        assertArrayEquals("3".getBytes(UTF_8), client.getData().forPath(PATHS.epoch()));

        assertEquals(new EpochCounter.Epoch(4, 3), counter.increment(latchNode, () -> true), "m1 reads again");
    }

    @Test
    void twoMastersCreatingTheFirstEpochCannotBothHaveIt() throws Exception {
        EpochCounter other = new EpochCounter(clients.open(), PATHS, "m2");
        EpochCounter.Reading nothing = counter.read();
        assertEquals(EpochCounter.Reading.ABSENT, nothing);

        assertEquals(new EpochCounter.Epoch(1, 0), other.increment(latchNode, () -> true));
        assertEquals(new EpochCounter.Outcome.Changed(), counter.write(latchNode, nothing));
        assertArrayEquals("1".getBytes(UTF_8), client.getData().forPath(PATHS.epoch()));
    }

    @Test
    void anEpochSetBackBySomeoneElseStillMovesForward() throws Exception {
        for (int i = 0; i < 3; i++) {
            counter.increment(latchNode, () -> true);
        }
        client.setData().forPath(PATHS.epoch(), "1".getBytes(UTF_8)); // someone with the secret, by hand

        assertEquals(4, counter.increment(latchNode, () -> true).number());
        assertArrayEquals("4".getBytes(UTF_8), client.getData().forPath(PATHS.epoch()));
    }

    @Test
    void aDeletedEpochContinuesAfterTheLeaderRecordsEvenForAMasterThatSawNone() throws Exception {
        for (int i = 0; i < 3; i++) {
            counter.increment(latchNode, () -> true);
        }
        client.create().forPath(PATHS.leader(), new LeaderInfo("m1", "127.0.0.1:7077", 3).encode());
        client.delete().forPath(PATHS.epoch()); // someone with the secret, by hand

        EpochCounter fresh = new EpochCounter(clients.open(), PATHS, "m2");
        assertEquals(4, fresh.increment(latchNode, () -> true).number());
        assertArrayEquals("4".getBytes(UTF_8), client.getData().forPath(PATHS.epoch()));
    }

    @Test
    void refusesAnEpochNodeThatHoldsSomethingElse() throws Exception {
        client.create().forPath(PATHS.epoch(), "seven".getBytes(UTF_8));

        CoordinationException refused = assertThrows(CoordinationException.class,
                () -> counter.increment(latchNode, () -> true));
        assertEquals(PATHS.epoch() + " holds 'seven', not an epoch number; it must only be written by Ember masters",
                refused.getMessage());
    }
}
