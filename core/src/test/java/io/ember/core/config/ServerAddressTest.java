package io.ember.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

final class ServerAddressTest {

    @Test
    void aLoopbackHostIsFineWhenZooKeeperIsOnThisHostToo() {
        assertEquals(Optional.empty(), ServerAddress.problem("127.0.0.1", "worker", "127.0.0.1:2181,localhost:2182"));
        assertEquals(Optional.empty(), ServerAddress.problem("localhost", "worker", "[::1]:2181/apps"));
    }

    @Test
    void anAddressOfThisHostIsFineWhateverZooKeeperIs() {
        assertEquals(Optional.empty(), ServerAddress.problem("10.0.0.21", "worker", "10.0.0.1:2181"));
        assertEquals(Optional.empty(), ServerAddress.problem("10.0.0.21", "worker", "127.0.0.1:2181"));
    }

    @Test
    void aLoopbackHostIsRefusedWhenZooKeeperIsOnAnotherHost() {
        assertEquals(Optional.of("'127.0.0.1' is a loopback address, but ZooKeeper (10.0.0.2:2181), and so the rest of "
                        + "the cluster, is on another host, from which this worker could not be reached; set it to this "
                        + "host's own address"),
                ServerAddress.problem("127.0.0.1", "worker", "127.0.0.1:2181,10.0.0.2:2181/apps/ember"));
    }

    @Test
    void aWildcardAddressIsNeverAdvertised() {
        for (String wildcard : List.of("0.0.0.0", "::", "[::]")) {
            assertEquals(Optional.of("'" + wildcard + "' listens on every interface, but the master advertises this "
                            + "address to the others, who cannot reach it there; advertise this host's own address (to "
                            + "listen on every interface, set ember.master.bindAddress instead)"),
                    ServerAddress.problem(wildcard, "master", "127.0.0.1:2181"));
        }
    }

    @Test
    void aRefusalNamesTheKeyThatSetTheAdvertisedAddressAndWhere() {
        ConfigException fromHost = assertThrows(ConfigException.class, () -> ServerAddress.from(
                config(Map.of("EMBER_HOST", "0.0.0.0"), Map.of()), ServerAddress.Role.DRIVER, "10.0.0.1:2181"));
        ConfigException fromRole = assertThrows(ConfigException.class, () -> ServerAddress.from(
                config(Map.of("EMBER_HOST", "10.0.0.5"), Map.of("ember.worker.advertisedAddress", "127.0.0.1")),
                ServerAddress.Role.WORKER, "10.0.0.1:2181"));

        assertEquals("ember.host", fromHost.problems().get(0).key());
        assertEquals("environment variable EMBER_HOST", fromHost.problems().get(0).origin());
        assertEquals("ember.worker.advertisedAddress", fromRole.problems().get(0).key());
        assertEquals("application setting", fromRole.problems().get(0).origin());
    }

    @Test
    void eachRoleListensAndAdvertisesWhereItsKeysSayAndElseAtEmberHost() {
        EmberConfig config = config(Map.of("EMBER_HOST", "10.0.0.5"), Map.of("ember.worker.bindAddress", "0.0.0.0",
                "ember.driver.advertisedAddress", "203.0.113.7"));

        assertEquals(new ServerAddress("0.0.0.0", "10.0.0.5"),
                ServerAddress.from(config, ServerAddress.Role.WORKER, "10.0.0.1:2181"));
        assertEquals(new ServerAddress("10.0.0.5", "203.0.113.7"),
                ServerAddress.from(config, ServerAddress.Role.DRIVER, "10.0.0.1:2181"));
        assertEquals(ServerAddress.of("10.0.0.5"), ServerAddress.from(config, ServerAddress.Role.MASTER, "10.0.0.1:2181"));
    }

    private static EmberConfig config(Map<String, String> environment, Map<String, String> settings) {
        return EmberConfig.resolve(ConfigSources.read(null, environment, Map.of(), settings), TestingCatalog.catalog());
    }
}
