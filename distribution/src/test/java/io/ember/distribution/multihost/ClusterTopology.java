package io.ember.distribution.multihost;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The multi-host suite's cluster: 3 ZooKeeper servers, 2 masters and 3 workers (each with its
 * embedded shuffle service), each on a host of its own, plus a host for the driver. Every Ember
 * process binds and advertises its own host's address. Started by {@link #start}; the network's
 * close ends every process.
 */
public final class ClusterTopology {

    /** How long the ensemble, the masters and the workers may take to come up on a loaded machine. */
    private static final Duration START = Duration.ofSeconds(120);
    private static final String CLUSTER = "default";

    private final MultiHostNetwork network;
    private final EmberDistribution ember;
    private final ZooKeeperEnsemble zooKeeper;
    private final List<HostProcess> masters;
    private final List<HostProcess> workers;
    private final Host driver;

    private ClusterTopology(MultiHostNetwork network, EmberDistribution ember, ZooKeeperEnsemble zooKeeper,
                            List<HostProcess> masters, List<HostProcess> workers, Host driver) {
        this.network = network;
        this.ember = ember;
        this.zooKeeper = zooKeeper;
        this.masters = List.copyOf(masters);
        this.workers = List.copyOf(workers);
        this.driver = driver;
    }

    /**
     * Makes the hosts on {@code network} and starts the cluster on them; returns once the ensemble
     * serves and every worker has registered with the leader.
     *
     * @param workerCores cores each worker offers
     */
    public static ClusterTopology start(MultiHostNetwork network, EmberDistribution ember, int workerCores) {
        requireNonNull(network, "network is null");
        requireNonNull(ember, "ember is null");
        List<Host> zooKeeperHosts = List.of(network.addHost("zk1"), network.addHost("zk2"), network.addHost("zk3"));
        ZooKeeperEnsemble zooKeeper = ZooKeeperEnsemble.start(network, ember, zooKeeperHosts);
        zooKeeper.awaitServing(START);
        String connect = "ember.zookeeper.connect=" + zooKeeper.connectString();
        List<HostProcess> masters = new ArrayList<>();
        for (String name : List.of("master1", "master2")) {
            Host host = network.addHost(name);
            masters.add(network.start(host, "master", ember.ember("master", "--conf", connect,
                    "--conf", "ember.host=" + host.address()), ember.environment()));
        }
        List<HostProcess> workers = new ArrayList<>();
        for (String name : List.of("worker1", "worker2", "worker3")) {
            Host host = network.addHost(name);
            workers.add(network.start(host, "worker", ember.ember("worker", "--conf", connect,
                    "--conf", "ember.host=" + host.address(), "--conf", "ember.worker.cores=" + workerCores,
                    "--conf", "ember.worker.memory=2g",
                    "--conf", "ember.worker.workDir=" + host.directory().resolve("work")), ember.environment()));
        }
        Host driver = network.addHost("driver");
        for (HostProcess worker : workers) {
            worker.awaitOutput("registered with the leader master", START);
        }
        return new ClusterTopology(network, ember, zooKeeper, masters, workers, driver);
    }

    /** {@code ember://<the three servers>/default}. */
    public String masterUrl() {
        return "ember://" + zooKeeper.connectString() + "/" + CLUSTER;
    }

    /**
     * Starts {@code bin/ember submit} of an example on the driver's host, with one executor per
     * worker.
     */
    public HostProcess submit(String name, String exampleClass, String... args) {
        List<String> command = new ArrayList<>(List.of("submit", "--master", masterUrl(),
                "--conf", "ember.host=" + driver.address(), "--conf", "ember.executor.instances=" + workers.size(),
                "--class", exampleClass, ember.examplesJar().toString()));
        command.addAll(List.of(args));
        return network.start(driver, name, ember.ember(command.toArray(String[]::new)), ember.environment());
    }

    public List<HostProcess> masters() {
        return masters;
    }

    public List<HostProcess> workers() {
        return workers;
    }

    public ZooKeeperEnsemble zooKeeper() {
        return zooKeeper;
    }

    /** Every process's last lines, for a failure message. */
    public String describe() {
        StringBuilder all = new StringBuilder();
        masters.forEach(process -> all.append(process.describe()).append('\n'));
        workers.forEach(process -> all.append(process.describe()).append('\n'));
        return all.toString();
    }
}
