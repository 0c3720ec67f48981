package io.ember.distribution.multihost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The smoke test of the harness with Ember itself: ZooKeeper, a master, a worker and a driver, each
 * on a host of its own, every Ember process binding and advertising its host's address
 * ({@code ember.host}); the README's WordCount runs through them.
 */
final class EmberAcrossHostsIT {

    private static final Duration START = Duration.ofSeconds(60);

    @BeforeAll
    static void needsNamespaces() {
        Optional<String> why = MultiHostNetwork.unavailable();
        assumeTrue(why.isEmpty(), () -> why.orElseThrow());
    }

    @Test
    void wordCountRunsWithZooKeeperMasterWorkerAndDriverOnHostsOfTheirOwn(@TempDir Path dir) throws Exception {
        EmberDistribution ember = EmberDistribution.fromBuild();
        try (MultiHostNetwork network = MultiHostNetwork.create(dir)) {
            Host zk = network.addHost("zk");
            Host master = network.addHost("master");
            Host worker = network.addHost("worker");
            Host driver = network.addHost("driver");
            ZooKeeperEnsemble zooKeeper = ZooKeeperEnsemble.start(network, ember, List.of(zk));
            zooKeeper.awaitServing(START);
            String connect = "ember.zookeeper.connect=" + zooKeeper.connectString();

            HostProcess masterProcess = network.start(master, "master", ember.ember("master",
                    "--conf", connect, "--conf", "ember.host=" + master.address()), ember.environment());
            HostProcess workerProcess = network.start(worker, "worker", ember.ember("worker",
                    "--conf", connect, "--conf", "ember.host=" + worker.address(),
                    "--conf", "ember.worker.cores=2", "--conf", "ember.worker.memory=2g",
                    "--conf", "ember.worker.workDir=" + worker.directory().resolve("work")), ember.environment());
            workerProcess.awaitOutput("registered with the leader master", START);
            assertTrue(workerProcess.stderr().contains(" at " + master.address() + ":"),
                    "the worker reached the master at the address the master advertised\n" + workerProcess.describe());

            HostProcess submit = network.start(driver, "submit", ember.ember("submit",
                    "--master", "ember://" + zooKeeper.connectString() + "/default",
                    "--conf", "ember.host=" + driver.address(),
                    "--class", "io.ember.examples.WordCount", ember.examplesJar().toString()), ember.environment());
            int exit = submit.awaitExit(Duration.ofSeconds(180));

            String all = submit.describe() + "\n" + masterProcess.describe() + "\n" + workerProcess.describe();
            assertEquals(0, exit, all);
            assertTrue(submit.stdout().contains("The 10 most frequent of 9,903 distinct words (6,775,812 words in all)"), all);
            System.out.println("multi-host WordCount: " + submit.stdout().lines()
                    .filter(line -> line.startsWith("Counted in")).findFirst().orElse("(no summary line)"));
        }
    }
}
