package io.ember.core.coordination;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ember.api.plugin.PolicyKind;
import io.ember.core.config.ConfigSources;
import io.ember.core.config.EmberConfig;
import io.ember.core.config.EmberKeys;
import io.ember.core.config.KeyCatalog;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

final class ZooKeeperSettingsTest {

    private static EmberConfig config(Map<String, String> settings) {
        KeyCatalog catalog = new KeyCatalog(EmberKeys.all(), Map.of(
                PolicyKind.SCHEDULER, Map.of("fifo", List.of()),
                PolicyKind.ALLOCATION, Map.of("static", List.of()),
                PolicyKind.SHUFFLE, Map.of("sort", List.of())));
        return EmberConfig.resolve(ConfigSources.read(null, Map.of(), Map.of(), settings), catalog);
    }

    @Test
    void comeFromTheConfiguration() {
        ZooKeeperSettings settings = ZooKeeperSettings.from(config(Map.of(
                "ember.zookeeper.connect", "zk1:2181,zk2:2181",
                "ember.zookeeper.sessionTimeout", "2s",
                "ember.zookeeper.connectionTimeout", "5s",
                "ember.auth.secret", "a-secret-of-16-chars-or-more")));
        assertEquals(new ZooKeeperSettings("zk1:2181,zk2:2181", Duration.ofSeconds(2), Duration.ofSeconds(5),
                Optional.of("a-secret-of-16-chars-or-more")), settings);
    }

    @Test
    void useTheDefaultsOfTheKeys() {
        ZooKeeperSettings settings = ZooKeeperSettings.from(config(Map.of("ember.zookeeper.connect", "zk:2181")));
        assertEquals(ZooKeeperSettings.of("zk:2181"), settings);
        assertEquals(Duration.ofSeconds(4), settings.sessionTimeout());
        assertEquals(Duration.ofSeconds(10), settings.connectionTimeout());
        assertEquals(Optional.empty(), settings.secret());
    }

    @Test
    void needAnEnsemble() {
        CoordinationException e = assertThrows(CoordinationException.class,
                () -> ZooKeeperSettings.from(config(Map.of())));
        assertEquals("ember.zookeeper.connect is not set: masters, workers and drivers of a cluster need the "
                + "ZooKeeper ensemble, e.g. zk1:2181,zk2:2181,zk3:2181", e.getMessage());
    }

    @Test
    void canPointElsewhere() {
        ZooKeeperSettings embedded = ZooKeeperSettings.of("zk:2181").withConnectString("127.0.0.1:3000");
        assertEquals("127.0.0.1:3000", embedded.connectString());
    }
}
