package io.ember.core.coordination;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.core.testing.Eventually;
import io.ember.core.testing.PlainZooKeeper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.ZooKeeperMain;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Id;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which cluster trees a process with a secret accepts, against a real ZooKeeper. */
final class ClusterOwnershipTest {

    private static final String SECRET = "correct-horse-battery-staple";
    private static final ClusterPaths PATHS = new ClusterPaths("owned");

    @TempDir
    Path baseDir;

    private EmbeddedZooKeeper server;
    private TestingClients clients;
    private ZooKeeper stranger;

    @BeforeEach
    void startServer() throws Exception {
        server = EmbeddedZooKeeper.start(baseDir);
        clients = new TestingClients(server.connectString());
        stranger = PlainZooKeeper.connect(server.connectString());
    }

    @AfterEach
    void stopServer() throws Exception {
        stranger.close();
        clients.close();
        server.close();
    }

    private ZooKeeperSettings withSecret() {
        return clients.settings().withSecret(SECRET);
    }

    /** Creates {@code /ember} and the root with ZooKeeper's open ACL, as any client without credentials would. */
    private void squatTheRoot() throws Exception {
        stranger.create(ClusterPaths.NAMESPACE, new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        stranger.create(PATHS.root(), new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    }

    @Test
    void aRootSomeoneCreatedWithAnOpenAclIsRefusedInOneLineNamingItAndLeftAsItWas() throws Exception {
        squatTheRoot();
        Map<String, Stat> before = PlainZooKeeper.snapshot(stranger, ClusterPaths.NAMESPACE);
        CuratorFramework client = clients.open(SECRET);

        CoordinationException refused = assertThrows(CoordinationException.class,
                () -> ClusterOwnership.claim(client, PATHS, withSecret()));

        assertEquals("ZooKeeper node /ember/owned can be changed without the cluster's secret (world:anyone has "
                + "cdrwa): it was not created by Ember with ember.auth.secret; delete it (`bin/ember zk-shell "
                + "deleteall /ember/owned` while no process of cluster 'owned' runs) or give it Ember's ACL (in "
                + "`bin/ember zk-shell`: `addauth digest ember:<the secret>`, then `setAcl -R /ember/owned "
                + "auth::cdrwa`), then start again", refused.getMessage());
        assertEquals(before, PlainZooKeeper.snapshot(stranger, ClusterPaths.NAMESPACE), "nothing was changed");
        assertThrows(CoordinationException.class, () -> ClusterOwnership.verify(client, PATHS, withSecret()));
    }

    @Test
    void anOpenContainerUnderAClosedRootIsRefusedByName() throws Exception {
        squatTheRoot();
        stranger.create(PATHS.workers(), new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        stranger.create(PATHS.worker("fake"), new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        CuratorFramework client = clients.open(SECRET);
        // An operator closes the root only.
        client.setACL().withACL(emberAcl()).forPath(PATHS.root());

        CoordinationException refused = assertThrows(CoordinationException.class,
                () -> ClusterOwnership.claim(client, PATHS, withSecret()));
        assertTrue(refused.getMessage().startsWith("ZooKeeper node /ember/owned/workers can be changed without the "
                + "cluster's secret (world:anyone has cdrwa)"), refused.getMessage());

        client.setACL().withACL(emberAcl()).forPath(PATHS.workers());
        refused = assertThrows(CoordinationException.class, () -> ClusterOwnership.claim(client, PATHS, withSecret()));
        assertTrue(refused.getMessage().startsWith("ZooKeeper node /ember/owned/workers/fake can be changed"),
                refused.getMessage());
    }

    @Test
    void aNodeWritableByAnAddressOrAnotherUserIsRefusedButOneOthersMayOnlyReadIsAccepted() throws Exception {
        CuratorFramework client = clients.open(SECRET);
        ClusterOwnership.claim(client, PATHS, withSecret());
        Id ember = ZooKeeperClients.identity(SECRET);

        client.setACL().withACL(acl(new ACL(ZooDefs.Perms.ALL, ember),
                new ACL(ZooDefs.Perms.READ, ZooDefs.Ids.ANYONE_ID_UNSAFE))).forPath(PATHS.root());
        ClusterOwnership.claim(client, PATHS, withSecret());

        client.setACL().withACL(acl(new ACL(ZooDefs.Perms.ALL, ember),
                new ACL(ZooDefs.Perms.READ | ZooDefs.Perms.CREATE, new Id("ip", "10.0.0.0/8")))).forPath(PATHS.root());
        CoordinationException refused = assertThrows(CoordinationException.class,
                () -> ClusterOwnership.claim(client, PATHS, withSecret()));
        assertTrue(refused.getMessage().startsWith("ZooKeeper node /ember/owned can be changed without the cluster's "
                + "secret (ip:10.0.0.0/8 has cr)"), refused.getMessage());

        client.setACL().withACL(acl(new ACL(ZooDefs.Perms.ALL, ember),
                new ACL(ZooDefs.Perms.DELETE, ZooKeeperClients.identity("another-secret-of-someone")))).forPath(PATHS.root());
        refused = assertThrows(CoordinationException.class, () -> ClusterOwnership.claim(client, PATHS, withSecret()));
        assertTrue(refused.getMessage().contains("(digest:ember:"), refused.getMessage());
        assertTrue(refused.getMessage().contains(" has d)"), refused.getMessage());
    }

    @Test
    void aNodeThatDoesNotGrantEmberWhatItNeedsIsRefused() throws Exception {
        CuratorFramework client = clients.open(SECRET);
        ClusterOwnership.claim(client, PATHS, withSecret());
        client.setACL().withACL(acl(new ACL(ZooDefs.Perms.READ | ZooDefs.Perms.ADMIN, ZooKeeperClients.identity(SECRET))))
                .forPath(PATHS.root());

        CoordinationException refused = assertThrows(CoordinationException.class,
                () -> ClusterOwnership.claim(client, PATHS, withSecret()));
        assertTrue(refused.getMessage().startsWith("ZooKeeper node /ember/owned does not grant the cluster's secret cdw:"),
                refused.getMessage());
    }

    @Test
    void aRootOfAnotherSecretIsNotThisClustersAndSaysSo() throws Exception {
        CuratorFramework other = clients.open("another-cluster-secret");
        ClusterOwnership.claim(other, PATHS, clients.settings().withSecret("another-cluster-secret"));
        CuratorFramework client = clients.open(SECRET);

        CoordinationException refused = assertThrows(CoordinationException.class,
                () -> ClusterOwnership.claim(client, PATHS, withSecret()));
        assertEquals("cannot read cluster owned in ZooKeeper at " + server.connectString() + ": not allowed to read "
                + "the ACL of /ember/owned (is ember.auth.secret the same as the cluster's? If it is, someone else "
                + "created /ember/owned: choose another ember.cluster, or have whoever created it delete it)",
                refused.getMessage());
    }

    @Test
    void aTreeEmberCreatedIsAcceptedAgainOnRestart() throws Exception {
        CuratorFramework first = clients.open(SECRET);
        ClusterOwnership.claim(first, PATHS, withSecret());
        List<ACL> rootAcl = first.getACL().forPath(PATHS.root());
        assertEquals(acl(new ACL(ZooDefs.Perms.ALL, ZooKeeperClients.identity(SECRET))), rootAcl,
                "the root was created with the digest ACL");
        // What a running cluster leaves: a worker, a leader with its epoch, an application.
        new Registrations(first, PATHS).registerWorker("w1", "spec".getBytes(UTF_8));
        RecordingListener events = new RecordingListener();
        LeaderElection election = clients.track(new LeaderElection(first, PATHS, "m1", "127.0.0.1:7077", events));
        election.start();
        Eventually.await(election::isLeader, "m1 leads");
        Registrations.putApplication(election, "app-1", "spec".getBytes(UTF_8));
        Registrations.putApplicationNumber(election, 2);

        CuratorFramework restarted = clients.open(SECRET);
        long startNanos = System.nanoTime();
        ClusterOwnership.claim(restarted, PATHS, withSecret());
        System.out.printf("checking the ACLs of %d nodes took %.1f ms%n", countNodes(restarted),
                (System.nanoTime() - startNanos) / 1e6);
        ClusterOwnership.verify(restarted, PATHS, withSecret());
    }

    @Test
    void theRemedyTheMessageGivesMakesASquattedTreeAcceptable() throws Exception {
        squatTheRoot();
        stranger.create(PATHS.workers(), new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        CuratorFramework client = clients.open(SECRET);
        assertThrows(CoordinationException.class, () -> ClusterOwnership.claim(client, PATHS, withSecret()));

        // What the operator types in ZooKeeper's own shell (bin/ember zk-shell).
        try (ZooKeeper shellClient = PlainZooKeeper.connect(server.connectString())) {
            ZooKeeperMain shell = new ZooKeeperMain(shellClient);
            shell.executeLine("addauth digest ember:" + SECRET);
            shell.executeLine("setAcl -R " + PATHS.root() + " auth::cdrwa");
        }

        ClusterOwnership.claim(client, PATHS, withSecret());
        assertThrows(KeeperException.NoAuthException.class,
                () -> stranger.getChildren(PATHS.root(), false), "strangers are shut out now");
    }

    @Test
    void aMissingRootIsCreatedWithTheDigestAclByClaimButNotByVerify() throws Exception {
        CuratorFramework client = clients.open(SECRET);

        ClusterOwnership.verify(client, PATHS, withSecret());
        assertNull(client.checkExists().forPath(PATHS.root()), "verify changes nothing");

        ClusterOwnership.claim(client, PATHS, withSecret());
        assertEquals(acl(new ACL(ZooDefs.Perms.ALL, ZooKeeperClients.identity(SECRET))),
                client.getACL().forPath(PATHS.root()));
        assertThrows(KeeperException.NoAuthException.class,
                () -> stranger.create(PATHS.workers(), new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT));
    }

    @Test
    void withoutASecretNothingIsCheckedOrCreated() throws Exception {
        squatTheRoot();
        Map<String, Stat> before = PlainZooKeeper.snapshot(stranger, ClusterPaths.NAMESPACE);
        CuratorFramework client = clients.open();

        ClusterOwnership.claim(client, PATHS, clients.settings());
        ClusterOwnership.claim(client, new ClusterPaths("absent"), clients.settings());

        assertEquals(before, PlainZooKeeper.snapshot(stranger, ClusterPaths.NAMESPACE));
    }

    @Test
    void lettersAreTheShellsOwn() {
        assertEquals("cdrwa", ClusterOwnership.letters(ZooDefs.Perms.ALL));
        assertEquals("rw", ClusterOwnership.letters(ZooDefs.Perms.READ | ZooDefs.Perms.WRITE));
        assertEquals("", ClusterOwnership.letters(0));
    }

    private static List<ACL> emberAcl() {
        return acl(new ACL(ZooDefs.Perms.ALL, ZooKeeperClients.identity(SECRET)));
    }

    /** A list ZooKeeper accepts (it asks whether the list contains null, which List.of refuses). */
    private static List<ACL> acl(ACL... entries) {
        return Arrays.asList(entries);
    }

    private static int countNodes(CuratorFramework client) throws Exception {
        int count = 0;
        List<String> toVisit = new ArrayList<>(List.of(PATHS.root()));
        while (!toVisit.isEmpty()) {
            String path = toVisit.remove(toVisit.size() - 1);
            count++;
            for (String child : client.getChildren().forPath(path)) {
                toVisit.add(path + "/" + child);
            }
        }
        return count;
    }
}
