package io.ember.distribution.multihost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The suite's topology (issue #17 item 5): 3 ZooKeeper servers, 2 masters, 3 workers with their
 * shuffle services and a driver, each on its own host. The README's WordCount and the
 * SalesByRegion join run on it, each with its exact result, their executors spread over the three
 * worker hosts.
 */
final class ClusterTopologyIT {

    private static final Duration JOB = Duration.ofSeconds(240);

    private static Path dir;
    private static MultiHostNetwork network;
    private static ClusterTopology cluster;

    @BeforeAll
    static void startTheCluster() throws IOException {
        Optional<String> why = MultiHostNetwork.unavailable();
        assumeTrue(why.isEmpty(), () -> why.orElseThrow());
        dir = Files.createTempDirectory("ember-topology-");
        network = MultiHostNetwork.create(dir);
        long started = System.nanoTime();
        cluster = ClusterTopology.start(network, EmberDistribution.fromBuild(), 2);
        System.out.printf("multi-host topology: 3 ZooKeeper servers, 2 masters, 3 workers up in %d ms%n",
                (System.nanoTime() - started) / 1_000_000);
    }

    @AfterAll
    static void stopTheCluster() throws IOException {
        if (network != null) {
            network.close();
        }
        if (dir != null) {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
            }
        }
    }

    @Test
    void wordCountGivesTheReadmesAnswer() throws Exception {
        HostProcess submit = cluster.submit("wordcount", "io.ember.examples.WordCount");

        int exit = submit.awaitExit(JOB);

        String all = submit.describe() + "\n" + cluster.describe();
        assertEquals(0, exit, all);
        assertTrue(submit.stdout().contains("The 10 most frequent of 9,903 distinct words (6,775,812 words in all)"),
                all);
        assertTrue(submit.stdout().contains("      699064  ae\n"), all);
        assertTrue(submit.stdout().contains("Counted in ") && submit.stdout().contains(" on 3 executor(s)"),
                "one executor on each worker host\n" + all);
    }

    @Test
    void aJoinTotalsEachRegionExactly() throws Exception {
        int customers = 10_000;
        int orders = 1_000_000;
        HostProcess submit = cluster.submit("sales", "io.ember.examples.SalesByRegion", Integer.toString(customers),
                Integer.toString(orders));

        int exit = submit.awaitExit(JOB);

        String all = submit.describe() + "\n" + cluster.describe();
        assertEquals(0, exit, all);
        for (String line : SalesByRegionAnswer.lines(customers, orders)) {
            assertTrue(submit.stdout().contains(line + "\n"), "missing '" + line + "'\n" + all);
        }
    }
}
