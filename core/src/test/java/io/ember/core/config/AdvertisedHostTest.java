package io.ember.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

final class AdvertisedHostTest {

    @Test
    void aLoopbackHostIsFineWhenZooKeeperIsOnThisHostToo() {
        assertEquals(Optional.empty(), AdvertisedHost.problem("127.0.0.1", "worker", "127.0.0.1:2181,localhost:2182"));
        assertEquals(Optional.empty(), AdvertisedHost.problem("localhost", "worker", "[::1]:2181/apps"));
    }

    @Test
    void anAddressOfThisHostIsFineWhateverZooKeeperIs() {
        assertEquals(Optional.empty(), AdvertisedHost.problem("10.0.0.21", "worker", "10.0.0.1:2181"));
        assertEquals(Optional.empty(), AdvertisedHost.problem("10.0.0.21", "worker", "127.0.0.1:2181"));
    }

    @Test
    void aLoopbackHostIsRefusedWhenZooKeeperIsOnAnotherHost() {
        assertEquals(Optional.of("'127.0.0.1' is a loopback address, but ZooKeeper (10.0.0.2:2181), and so the rest of "
                        + "the cluster, is on another host, from which this worker could not be reached; set it to this "
                        + "host's own address"),
                AdvertisedHost.problem("127.0.0.1", "worker", "127.0.0.1:2181,10.0.0.2:2181/apps/ember"));
    }

    @Test
    void aWildcardAddressIsNeverAdvertised() {
        for (String wildcard : List.of("0.0.0.0", "::", "[::]")) {
            assertEquals(Optional.of("'" + wildcard + "' listens on every interface, but the master advertises this "
                            + "address to the others, who cannot reach it there; set it to this host's own address"),
                    AdvertisedHost.problem(wildcard, "master", "127.0.0.1:2181"));
        }
    }

    @Test
    void aRefusalNamesTheKeyAndWhereItWasSet() {
        EmberConfig config = EmberConfig.resolve(ConfigSources.read(null, Map.of("EMBER_HOST", "0.0.0.0"), Map.of(),
                Map.of()), TestingCatalog.catalog());

        ConfigException e = assertThrows(ConfigException.class,
                () -> AdvertisedHost.check(config, "driver", "10.0.0.1:2181"));

        assertEquals(1, e.problems().size());
        assertEquals("ember.host", e.problems().get(0).key());
        assertEquals("environment variable EMBER_HOST", e.problems().get(0).origin());
    }
}
