package io.ember.core.coordination;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.CreateMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The leader's address record at {@code master/leader}, fenced by the epoch, alone against a real ZooKeeper. */
final class LeaderRecordTest {

    private static final ClusterPaths PATHS = new ClusterPaths("records");

    private TestingClients clients;
    private CuratorFramework client;
    private LeaderRecord record;

    @BeforeEach
    void start() throws Exception {
        clients = TestingClients.withServer();
        client = clients.open();
        record = new LeaderRecord(client, PATHS, "m1", "127.0.0.1:7077", "");
        client.create().creatingParentsIfNeeded().forPath(PATHS.epoch(), "1".getBytes(UTF_8));
    }

    @AfterEach
    void stop() throws Exception {
        clients.close();
    }

    private LeaderInfo published() throws Exception {
        return LeaderInfo.decode(client.getData().forPath(PATHS.leader()));
    }

    private int epochVersion() throws Exception {
        return client.checkExists().forPath(PATHS.epoch()).getVersion();
    }

    @Test
    void publishesAnEphemeralRecordOfItsIdAddressAndEpoch() throws Exception {
        assertTrue(record.publish(1, epochVersion(), () -> true));

        assertEquals(new LeaderInfo("m1", "127.0.0.1:7077", 1), published());
        assertTrue(client.checkExists().forPath(PATHS.leader()).getEphemeralOwner() != 0);
    }

    @Test
    void publishesTheUrlOfItsWebUiWithItsRecord() throws Exception {
        LeaderRecord withUi = new LeaderRecord(client, PATHS, "m1", "127.0.0.1:7077", "http://127.0.0.1:8080");

        assertTrue(withUi.publish(1, epochVersion(), () -> true));

        assertEquals(new LeaderInfo("m1", "127.0.0.1:7077", 1, "http://127.0.0.1:8080"), published());
    }

    @Test
    void replacesARecordAnEarlierLeadershipLeft() throws Exception {
        CuratorFramework earlier = clients.open();
        earlier.create().withMode(CreateMode.EPHEMERAL).forPath(PATHS.leader(),
                new LeaderInfo("m0", "127.0.0.1:7000", 1).encode());
        client.setData().forPath(PATHS.epoch(), "2".getBytes(UTF_8));

        assertTrue(record.publish(2, epochVersion(), () -> true));
        assertEquals(new LeaderInfo("m1", "127.0.0.1:7077", 2), published());
    }

    @Test
    void publishesNothingOnceAnotherEpochSupersededItsOwn() throws Exception {
        int ours = epochVersion();
        client.setData().forPath(PATHS.epoch(), "2".getBytes(UTF_8));

        assertFalse(record.publish(1, ours, () -> true));
        assertNull(client.checkExists().forPath(PATHS.leader()));
    }

    @Test
    void stopsWhenTheAttemptIsNoLongerWanted() throws Exception {
        int ours = epochVersion();
        assertThrows(StaleAttempt.class, () -> record.publish(1, ours, () -> false));
        assertNull(client.checkExists().forPath(PATHS.leader()));
    }

    @Test
    void deletesItsRecordWhileItsEpochIsTheLatest() throws Exception {
        record.publish(1, epochVersion(), () -> true);

        record.delete(epochVersion());
        assertNull(client.checkExists().forPath(PATHS.leader()));
    }

    @Test
    void leavesASuccessorsRecordAlone() throws Exception {
        int ours = epochVersion();
        record.publish(1, ours, () -> true);
        client.setData().forPath(PATHS.epoch(), "2".getBytes(UTF_8));
        LeaderRecord successor = new LeaderRecord(clients.open(), PATHS, "m2", "127.0.0.1:7078", "");
        assertTrue(successor.publish(2, epochVersion(), () -> true));

        record.delete(ours);
        assertNotNull(client.checkExists().forPath(PATHS.leader()));
        assertEquals("m2", published().masterId());
    }

    @Test
    void checksTheIdAndAddressAtOnce() {
        assertThrows(IllegalArgumentException.class, () -> new LeaderRecord(client, PATHS, "m1", "no-port", ""));
        assertThrows(IllegalArgumentException.class, () -> new LeaderRecord(client, PATHS, "a b", "h:1", ""));
        assertThrows(NullPointerException.class, () -> new LeaderRecord(null, PATHS, "m1", "h:1", ""));
    }
}
