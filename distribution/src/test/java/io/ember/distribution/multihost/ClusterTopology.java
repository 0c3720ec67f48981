package io.ember.distribution.multihost;

import static java.util.Objects.requireNonNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * The multi-host suite's cluster: 3 ZooKeeper servers, 2 masters and 3 workers (each with its
 * embedded shuffle service), each on a host of its own, plus a host for the driver. Every Ember
 * process binds and advertises its own host's address. Started by {@link #start}; a fault test may
 * kill a master or a worker and start it again ({@link #restartMaster}, {@link #restartWorker}). The
 * network's close ends every process. Safe from any thread.
 *
 * <p>The hosts share the machine's file system. A test of what must be shared across hosts can
 * have the workers not share one directory ({@link #start(MultiHostNetwork, EmberDistribution, int,
 * Path)}): each worker then runs in a mount namespace of its own ({@code unshare --mount}), which its
 * executors inherit, with an empty tmpfs of its own mounted over that directory. What the driver (or
 * the test) writes there no worker sees, and what a worker writes there no other host sees.
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
    private final int workerCores;
    /** The directory each worker sees a tmpfs of its own over, or null. */
    private final Path unshared;
    private int restarts;

    private ClusterTopology(MultiHostNetwork network, EmberDistribution ember, ZooKeeperEnsemble zooKeeper,
                            List<HostProcess> masters, List<HostProcess> workers, Host driver, int workerCores,
                            Path unshared) {
        this.network = network;
        this.ember = ember;
        this.zooKeeper = zooKeeper;
        this.masters = new ArrayList<>(masters);
        this.workers = new ArrayList<>(workers);
        this.driver = driver;
        this.workerCores = workerCores;
        this.unshared = unshared;
    }

    /**
     * Makes the hosts on {@code network} and starts the cluster on them; returns once the ensemble
     * serves and every worker has registered with the leader.
     *
     * @param workerCores cores each worker offers
     */
    public static ClusterTopology start(MultiHostNetwork network, EmberDistribution ember, int workerCores) {
        return start(network, ember, workerCores, null);
    }

    /**
     * As {@link #start(MultiHostNetwork, EmberDistribution, int)}, with {@code unsharedOnWorkers}, a
     * directory that exists, not shared by the workers: each sees an empty tmpfs of its own there.
     * Needs {@code unshare} and {@code mount} (util-linux) and root.
     *
     * @param unsharedOnWorkers the directory, or null to share everything
     */
    public static ClusterTopology start(MultiHostNetwork network, EmberDistribution ember, int workerCores,
                                        Path unsharedOnWorkers) {
        requireNonNull(network, "network is null");
        requireNonNull(ember, "ember is null");
        if (unsharedOnWorkers != null && !Files.isDirectory(unsharedOnWorkers)) {
            throw new IllegalArgumentException("the directory to unshare, " + unsharedOnWorkers + ", does not exist");
        }
        List<Host> zooKeeperHosts = List.of(network.addHost("zk1"), network.addHost("zk2"), network.addHost("zk3"));
        ZooKeeperEnsemble zooKeeper = ZooKeeperEnsemble.start(network, ember, zooKeeperHosts);
        zooKeeper.awaitServing(START);
        String connect = "ember.zookeeper.connect=" + zooKeeper.connectString();
        List<HostProcess> masters = new ArrayList<>();
        for (String name : List.of("master1", "master2")) {
            masters.add(startMaster(network, ember, zooKeeper, network.addHost(name), "master"));
        }
        List<HostProcess> workers = new ArrayList<>();
        for (String name : List.of("worker1", "worker2", "worker3")) {
            workers.add(startWorker(network, ember, zooKeeper, network.addHost(name), "worker", workerCores,
                    unsharedOnWorkers));
        }
        Host driver = network.addHost("driver");
        for (HostProcess worker : workers) {
            worker.awaitOutput("registered with the leader master", START);
        }
        return new ClusterTopology(network, ember, zooKeeper, masters, workers, driver, workerCores,
                unsharedOnWorkers);
    }

    private static HostProcess startMaster(MultiHostNetwork network, EmberDistribution ember,
                                           ZooKeeperEnsemble zooKeeper, Host host, String name) {
        return network.start(host, name, ember.ember("master", "--conf",
                "ember.zookeeper.connect=" + zooKeeper.connectString(), "--conf", "ember.host=" + host.address()),
                ember.environment());
    }

    private static HostProcess startWorker(MultiHostNetwork network, EmberDistribution ember,
                                           ZooKeeperEnsemble zooKeeper, Host host, String name, int cores,
                                           Path unshared) {
        List<String> worker = ember.ember("worker", "--conf",
                "ember.zookeeper.connect=" + zooKeeper.connectString(),
                "--conf", "ember.host=" + host.address(), "--conf", "ember.worker.cores=" + cores,
                "--conf", "ember.worker.memory=2g",
                "--conf", "ember.worker.workDir=" + workDirectory(host));
        return network.start(host, name, unshared == null ? worker : withPrivateDirectory(unshared, worker),
                ember.environment());
    }

    private static Path workDirectory(Host host) {
        return host.directory().resolve("work");
    }

    /**
     * Where worker {@code index} (0-based) keeps its executors' class-data-sharing archive: its work
     * directory's {@code .class-data}.
     */
    public Path classDataDirectory(int index) {
        return workDirectory(workers().get(index).host()).resolve(".class-data");
    }

    /**
     * {@code command} in a mount namespace of its own (on top of the one {@code ip netns exec} makes)
     * with an empty tmpfs mounted over {@code directory}: the process and its children see their own,
     * and the mount ends with the last of them.
     */
    static List<String> withPrivateDirectory(Path directory, List<String> command) {
        List<String> wrapped = new ArrayList<>(List.of("unshare", "--mount", "--propagation", "private",
                "sh", "-c", "mount -t tmpfs ember-unshared \"$1\" && shift && exec \"$@\"", "sh",
                directory.toString()));
        wrapped.addAll(command);
        return wrapped;
    }

    /**
     * Starts worker {@code index} (0-based) again on its host once a test has killed it (and what ran
     * on its host), and waits until it has registered with the leader.
     */
    public synchronized HostProcess restartWorker(int index) {
        HostProcess old = workers.get(index);
        if (old.isAlive()) {
            throw new IllegalStateException(old + " is still running");
        }
        HostProcess worker = startWorker(network, ember, zooKeeper, old.host(), "worker-" + ++restarts, workerCores,
                unshared);
        workers.set(index, worker);
        worker.awaitOutput("registered with the leader master", START);
        return worker;
    }

    /** Starts master {@code index} (0-based) again on its host once a test has killed it. */
    public synchronized HostProcess restartMaster(int index) {
        HostProcess old = masters.get(index);
        if (old.isAlive()) {
            throw new IllegalStateException(old + " is still running");
        }
        HostProcess master = startMaster(network, ember, zooKeeper, old.host(), "master-" + ++restarts);
        masters.set(index, master);
        return master;
    }

    /**
     * The index of the master that leads now: the one alive whose log says it leads ("Leading
     * cluster") and has not said since that it stopped.
     */
    public synchronized OptionalInt leaderMaster() {
        for (int i = 0; i < masters.size(); i++) {
            HostProcess master = masters.get(i);
            String log = master.stdout() + master.stderr();
            int leads = log.lastIndexOf("Leading cluster '" + CLUSTER + "'");
            if (master.isAlive() && leads >= 0 && leads > log.lastIndexOf("no longer the leader")
                    && leads > log.lastIndexOf("stops acting as leader") && leads > log.lastIndexOf("gave up leadership")) {
                return OptionalInt.of(i);
            }
        }
        return OptionalInt.empty();
    }

    /** {@code ember://<the three servers>/default}. */
    public String masterUrl() {
        return "ember://" + zooKeeper.connectString() + "/" + CLUSTER;
    }

    /**
     * Starts {@code bin/ember submit} of an example on the driver's host, with one executor per
     * worker. The driver serves no web UI ({@code ember.ui.port=0}, unless {@code settings} say
     * otherwise): the fault suite is about jobs, and a driver's web server costs each submit about
     * a second of class loading on the client compiler these tests run on; the masters and workers
     * keep theirs.
     */
    public HostProcess submit(String name, String exampleClass, String... args) {
        return submit(name, Map.of(), exampleClass, args);
    }

    /** As {@link #submit(String, String, String...)}, with {@code settings} on top of those it makes. */
    public HostProcess submit(String name, Map<String, String> settings, String exampleClass, String... args) {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("ember.host", driver.address());
        all.put("ember.executor.instances", Integer.toString(workers().size()));
        all.put("ember.ui.port", "0");
        all.putAll(settings);
        List<String> command = new ArrayList<>(List.of("submit", "--master", masterUrl()));
        all.forEach((key, value) -> command.addAll(List.of("--conf", key + "=" + value)));
        command.addAll(List.of("--class", exampleClass, ember.examplesJar().toString()));
        command.addAll(List.of(args));
        return network.start(driver, name, ember.ember(command.toArray(String[]::new)), ember.environment());
    }

    public synchronized List<HostProcess> masters() {
        return List.copyOf(masters);
    }

    public synchronized List<HostProcess> workers() {
        return List.copyOf(workers);
    }

    public Host driver() {
        return driver;
    }

    public ZooKeeperEnsemble zooKeeper() {
        return zooKeeper;
    }

    /** Every process's last lines, for a failure message. */
    public String describe() {
        StringBuilder all = new StringBuilder();
        zooKeeper.servers().forEach(process -> all.append(process.describe()).append('\n'));
        masters().forEach(process -> all.append(process.describe()).append('\n'));
        workers().forEach(process -> all.append(process.describe()).append('\n'));
        return all.toString();
    }
}
