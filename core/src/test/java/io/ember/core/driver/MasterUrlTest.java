package io.ember.core.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.core.driver.MasterUrl.ClusterUrl;
import io.ember.core.driver.MasterUrl.LocalClusterUrl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

final class MasterUrlTest {

    private static final String EXPECTED = "; expected local[N], local-cluster[W,C] or ember://<zookeeper-connect>/<cluster>";

    @Test
    void parsesALocalCluster() {
        assertEquals(new LocalClusterUrl(2, 3), MasterUrl.parse("local-cluster[2,3]"));
        assertEquals(new LocalClusterUrl(1, 1), MasterUrl.parse("  local-cluster[ 1 , 1 ]  "));
        assertEquals("local-cluster[2,3]", MasterUrl.parse("local-cluster[2,3]").toString());
    }

    @Test
    void parsesAClusterWithOneOrSeveralZooKeeperServers() {
        assertEquals(new ClusterUrl("zk1:2181", "prod"), MasterUrl.parse("ember://zk1:2181/prod"));
        assertEquals(new ClusterUrl("zk1:2181,10.0.0.2:2182,zk3.example.com:2181", "team-a2"),
                MasterUrl.parse("ember://zk1:2181,10.0.0.2:2182,zk3.example.com:2181/team-a2"));
        assertEquals("ember://zk1:2181/prod", MasterUrl.parse("ember://zk1:2181/prod").toString());
    }

    @Test
    void theLastPartOfThePathNamesTheClusterAndThePartsBeforeItTheChroot() {
        assertEquals(new ClusterUrl("zk1:2181,zk2:2181,zk3:2181/apps/ember", "prod"),
                MasterUrl.parse("ember://zk1:2181,zk2:2181,zk3:2181/apps/ember/prod"));
        assertEquals(new ClusterUrl("zk1:2181/a", "b"), MasterUrl.parse("ember://zk1:2181/a/b"));
    }

    @Test
    void refusesAnUnknownSchemeWithTheAcceptedForms() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MasterUrl.parse("foo://x"));
        assertEquals("ember.master 'foo://x' is not a master URL" + EXPECTED, e.getMessage());
    }

    @Test
    void parsesLocalModeWithItsThreads() {
        assertEquals(new MasterUrl.LocalUrl(4), MasterUrl.parse("local[4]"));
        assertEquals(new MasterUrl.LocalUrl(1), MasterUrl.parse("local"));
        assertEquals(new MasterUrl.LocalUrl(3), MasterUrl.parse(" local[ 3 ] "));
        assertEquals(new MasterUrl.LocalUrl(Runtime.getRuntime().availableProcessors()), MasterUrl.parse("local[*]"));
        assertEquals("local[4]", MasterUrl.parse("local[4]").toString());
    }

    @Test
    void refusesLocalModeWithoutThreads() {
        for (String bad : new String[] {"local[0]", "local[-1]", "local[x]", "local[]", "local[99999999999999999999]"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MasterUrl.parse(bad));
            assertTrue(e.getMessage().startsWith("ember.master '" + bad + "' is not a master URL"), e.getMessage());
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "local-cluster[2]        | ember.master 'local-cluster[2]' is not a master URL" + EXPECTED,
        "local-cluster[a,1]      | ember.master 'local-cluster[a,1]' is not a master URL" + EXPECTED,
        "local-cluster[2,3       | ember.master 'local-cluster[2,3' is not a master URL" + EXPECTED,
        "local-cluster[0,2]      | ember.master 'local-cluster[0,2]' is not a master URL: local-cluster[W,C] needs at least 1 worker (W >= 1)" + EXPECTED,
        "local-cluster[2,0]      | ember.master 'local-cluster[2,0]' is not a master URL: local-cluster[W,C] needs at least 1 core per worker (C >= 1)" + EXPECTED,
        "local-cluster[99999999999,1] | ember.master 'local-cluster[99999999999,1]' is not a master URL: W and C must be at most 2147483647" + EXPECTED,
        "ember://zk1:2181        | ember.master 'ember://zk1:2181' is not a master URL: it names no cluster (ember://<zookeeper-connect>/<cluster>)" + EXPECTED,
        "ember://zk1:2181/       | ember.master 'ember://zk1:2181/' is not a master URL: it names no cluster (ember://<zookeeper-connect>/<cluster>)" + EXPECTED,
        "ember:///prod           | ember.master 'ember:///prod' is not a master URL: it names no ZooKeeper ensemble (host:port[,host:port...])" + EXPECTED,
        "ember://zk1/prod        | ember.master 'ember://zk1/prod' is not a master URL: 'zk1' is not a ZooKeeper server host:port (the ensemble is host:port[,host:port...][/chroot])" + EXPECTED,
        "ember://zk1:2181,/prod  | ember.master 'ember://zk1:2181,/prod' is not a master URL: '' is not a ZooKeeper server host:port (the ensemble is host:port[,host:port...][/chroot])" + EXPECTED,
        "ember://zk1:99999/prod  | ember.master 'ember://zk1:99999/prod' is not a master URL: 'zk1:99999' is not a ZooKeeper server host:port (the ensemble is host:port[,host:port...][/chroot])" + EXPECTED,
        "ember://zk1:2181/Prod   | ember.master 'ember://zk1:2181/Prod' is not a master URL: cluster 'Prod' must be lower-case letters, digits and - (starting with a letter or digit)" + EXPECTED,
        "ember://zk1:2181/a/B    | ember.master 'ember://zk1:2181/a/B' is not a master URL: cluster 'B' must be lower-case letters, digits and - (starting with a letter or digit)" + EXPECTED,
        "ember://zk1:2181//prod  | ember.master 'ember://zk1:2181//prod' is not a master URL: the chroot '/' is not a ZooKeeper path (/name[/name...], no empty, '.' or '..' part, no spaces)" + EXPECTED,
        "ember://zk1:2181/zookeeper/prod | ember.master 'ember://zk1:2181/zookeeper/prod' is not a master URL: the chroot '/zookeeper' lies in /zookeeper, which ZooKeeper keeps for itself" + EXPECTED,
        "spark://host:7077       | ember.master 'spark://host:7077' is not a master URL" + EXPECTED,
    })
    void refusesEachMalformedUrlWithOneLineSayingWhy(String url, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MasterUrl.parse(url));
        assertEquals(message, e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void callsAnEmptyValueNotSet() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MasterUrl.parse("  "));
        assertTrue(e.getMessage().startsWith("ember.master is not set; "), e.getMessage());
    }
}
