package io.ember.core.coordination;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.data.ACL;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class ZooKeeperAclTest {

    private static final String SECRET = "correct-horse-battery-staple";
    private static final ClusterPaths PATHS = new ClusterPaths("secure");

    @TempDir
    Path baseDir;

    private EmbeddedZooKeeper server;
    private TestingClients clients;

    @BeforeEach
    void startServer() {
        server = EmbeddedZooKeeper.start(baseDir);
        clients = new TestingClients(server.connectString());
    }

    @AfterEach
    void stopServer() {
        clients.close();
        server.close();
    }

    @Test
    void nodesCreatedWithTheSecretRefuseClientsWithoutIt() throws Exception {
        CuratorFramework owner = clients.open(SECRET);
        new Registrations(owner, PATHS).registerWorker("w1", "spec".getBytes(UTF_8));

        CuratorFramework stranger = clients.open();
        String worker = PATHS.worker("w1");
        assertThrows(KeeperException.NoAuthException.class, () -> stranger.getData().forPath(worker));
        assertThrows(KeeperException.NoAuthException.class, () -> stranger.setData().forPath(worker, new byte[0]));
        assertThrows(KeeperException.NoAuthException.class, () -> stranger.delete().forPath(worker));
        assertThrows(KeeperException.NoAuthException.class, () -> stranger.getChildren().forPath(PATHS.workers()));
        assertThrows(KeeperException.NoAuthException.class, () -> stranger.create().forPath(PATHS.worker("w2")));
        CoordinationException refused = assertThrows(CoordinationException.class,
                () -> new Registrations(stranger, PATHS).registerWorker("w2", new byte[0]));
        assertTrue(refused.getMessage().startsWith("cannot register worker w2 at /ember/secure/workers/w2: not allowed"),
                refused.getMessage());
    }

    @Test
    void aClientWithTheSameSecretReadsAndWrites() throws Exception {
        CuratorFramework owner = clients.open(SECRET);
        new Registrations(owner, PATHS).registerWorker("w1", "spec".getBytes(UTF_8));

        CuratorFramework peer = clients.open(SECRET);
        assertArrayEquals("spec".getBytes(UTF_8), peer.getData().forPath(PATHS.worker("w1")));
        new Registrations(peer, PATHS).registerWorker("w2", "other".getBytes(UTF_8));
        assertEquals(List.of("w1", "w2"), peer.getChildren().forPath(PATHS.workers()).stream().sorted().toList());

        List<ACL> acl = peer.getACL().forPath(PATHS.worker("w1"));
        assertEquals(1, acl.size());
        assertEquals("digest", acl.get(0).getId().getScheme());
        assertTrue(acl.get(0).getId().getId().startsWith("ember:"), acl.get(0).getId().getId());
        assertEquals(ZooDefs.Perms.ALL, acl.get(0).getPerms());
    }

    @Test
    void aClientWithAnotherSecretIsRefused() throws Exception {
        CuratorFramework owner = clients.open(SECRET);
        new Registrations(owner, PATHS).registerWorker("w1", "spec".getBytes(UTF_8));

        CuratorFramework impostor = clients.open("not-the-right-secret-at-all");
        assertThrows(KeeperException.NoAuthException.class, () -> impostor.getData().forPath(PATHS.worker("w1")));
        assertThrows(KeeperException.NoAuthException.class, () -> impostor.create().forPath(PATHS.worker("w2")));
    }

    @Test
    void clustersWithOtherSecretsShareTheNamespace() throws Exception {
        CuratorFramework first = clients.open(SECRET);
        new Registrations(first, PATHS).registerWorker("w1", new byte[0]);

        CuratorFramework other = clients.open("another-cluster-secret");
        ClusterPaths otherCluster = new ClusterPaths("other");
        new Registrations(other, otherCluster).registerWorker("w1", new byte[0]);
        assertThrows(KeeperException.NoAuthException.class, () -> other.getData().forPath(PATHS.worker("w1")));

        CuratorFramework open = clients.open();
        new Registrations(open, new ClusterPaths("open")).registerWorker("w1", new byte[0]);
        assertEquals(List.of("open", "other", "secure"),
                open.getChildren().forPath(ClusterPaths.NAMESPACE).stream().sorted().toList());
    }

    @Test
    void withoutASecretNodesAreOpen() throws Exception {
        CuratorFramework client = clients.open();
        new Registrations(client, PATHS).registerWorker("w1", new byte[0]);
        assertEquals(ZooDefs.Ids.OPEN_ACL_UNSAFE, client.getACL().forPath(PATHS.worker("w1")));
    }
}
