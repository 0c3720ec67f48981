package io.ember.core.cluster;

import static io.ember.core.testing.RawConnections.assertAdmitted;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ember.core.dataset.Pair;
import io.ember.core.driver.EmberContext;
import io.ember.core.worker.WorkerServer;
import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every server of a cluster listening on every interface ({@code ember.<role>.bindAddress=0.0.0.0})
 * while it advertises this host's address: a master process, a worker in this JVM with its shuffle
 * service and executors, and a driver. They find each other at the advertised addresses and a
 * shuffle job runs exact. Before the split, {@code ember.host=0.0.0.0} would have been advertised as
 * it is.
 */
final class BindAddressesTest {

    @RegisterExtension
    final ProcessClusterExtension cluster = ProcessClusterExtension.withMasters(1)
            .withMasterSettings(Map.of("ember.master.bindAddress", "0.0.0.0"));

    @Test
    void serversListeningOnEveryInterfaceAreReachedAtTheirAdvertisedAddresses() throws IOException {
        WorkerServer worker = cluster.startWorker("worker-1", 2, Map.of("ember.worker.bindAddress", "0.0.0.0",
                "ember.worker.advertisedAddress", "127.0.0.1"));
        cluster.awaitLeaderAbove(0);
        Map<String, String> settings = cluster.applicationSettings("bind-addresses", 1);
        settings.put("ember.driver.bindAddress", "0.0.0.0");
        EmberContext context = cluster.startApplication(settings);
        context.awaitExecutors(1, Duration.ofSeconds(60));

        Map<Integer, Integer> counts = context.range(0, 100, 4).mapToPair(i -> new Pair<>((int) (i % 3), 1))
                .reduceByKey(Integer::sum, 2).collectAsMap();

        assertEquals(Map.of(0, 34, 1, 33, 2, 33), counts, "a shuffle job's exact result");
        assertEquals("127.0.0.1", worker.info().host(), "the worker advertises 127.0.0.1, not 0.0.0.0");
        assertEquals("127.0.0.1", context.driverAddress().substring(0, context.driverAddress().lastIndexOf(':')));
        int driverPort = Integer.parseInt(context.driverAddress().substring(context.driverAddress().lastIndexOf(':') + 1));
        for (int port : new int[] {worker.info().rpcPort(), driverPort}) {
            try (Socket elsewhere = new Socket("127.0.0.2", port)) {   // another address of this host: bound to all
                elsewhere.setSoTimeout(20_000);
                assertAdmitted(elsewhere);
            }
        }
    }
}
