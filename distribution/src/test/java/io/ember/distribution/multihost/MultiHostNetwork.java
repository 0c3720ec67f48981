package io.ember.distribution.multihost;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

/**
 * Hosts on one network, made of Linux network namespaces on this machine: one namespace per host
 * (loopback and {@code eth0} up, an address of a private /24 the network picked), each joined by a
 * veth link to a bridge that lives in a namespace of its own. Nothing is added to the machine's own
 * namespace: no interface, no address, no route; a host's only route is its subnet's, so nothing
 * leaves the network. It starts processes on its hosts ({@code ip netns exec}), cuts a host off
 * and heals it (its bridge port down and up: its packets are dropped both ways, silently, as when a
 * cable is pulled), and degrades every link (netem delay and loss, where the kernel has netem).
 *
 * <p>{@link #close()} ends every process running in its namespaces ({@code ip netns pids}: what it
 * started and what those started, such as executors) and deletes its namespaces, which takes their
 * veth links and the bridge with them; a JVM shutdown hook does the same if the JVM is stopped first.
 * Every namespace name starts with the network's {@link RunPrefix}; {@link #create} first removes
 * those of earlier runs whose JVM died. Needs root and iproute2: see {@link #unavailable()}.
 *
 * <p>Thread-safe: hosts and processes may be added and faults injected from any thread.
 */
public final class MultiHostNetwork implements AutoCloseable {

    private static final Pattern HOST_NAME = Pattern.compile("[a-z][a-z0-9]{0,15}");
    private static final Duration GONE_TIMEOUT = Duration.ofSeconds(20);

    private final RunPrefix prefix;
    private final Subnet subnet;
    private final Path directory;
    private final String bridgeNamespace;
    private final boolean netem;
    private final Map<String, Host> hosts = new LinkedHashMap<>();
    private final List<HostProcess> processes = new CopyOnWriteArrayList<>();
    private final List<String> namespaces = new CopyOnWriteArrayList<>();
    private final Set<String> cut = new HashSet<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread shutdownHook;
    private Optional<Degradation> degradation = Optional.empty();
    /** Where the kernel has no netem: delays by NFQUEUE and a user-space program; null when neither is there. */
    private QueueDelay queueDelay;
    /** The delaying program running on each host while degraded by {@link #queueDelay}. */
    private final Map<String, HostProcess> delayers = new HashMap<>();

    private MultiHostNetwork(RunPrefix prefix, Subnet subnet, Path directory) {
        this.prefix = requireNonNull(prefix, "prefix is null");
        this.subnet = requireNonNull(subnet, "subnet is null");
        this.directory = requireNonNull(directory, "directory is null");
        this.bridgeNamespace = prefix.value() + "bridge";
        this.shutdownHook = new Thread(this::cleanUp, "multi-host network clean-up " + prefix.value());
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        try {
            addNamespace(bridgeNamespace);
            ip(bridgeNamespace, "link", "add", "br0", "type", "bridge");
            ip(bridgeNamespace, "link", "set", "br0", "up");
            this.netem = Commands.attempt("tc", "-n", bridgeNamespace, "qdisc", "add", "dev", "br0", "root",
                    "netem", "delay", "1ms").succeeded();
            if (netem) {
                Commands.run("tc", "-n", bridgeNamespace, "qdisc", "del", "dev", "br0", "root");
            } else {
                this.queueDelay = QueueDelay.ifAvailable(this, bridgeNamespace, directory);
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * Why this machine cannot make a network (not Linux, not root, no {@code ip}, namespaces refused),
     * in one line; empty when it can. A test calls it in an assumption, so that it skips with the reason.
     */
    public static Optional<String> unavailable() {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
            return Optional.of("multi-host tests need Linux network namespaces; this is " + System.getProperty("os.name"));
        }
        Commands.Outcome id = Commands.attempt("id", "-u");
        if (!id.succeeded() || !id.stdout().strip().equals("0")) {
            return Optional.of("multi-host tests need root to create network namespaces (uid " + id.stdout().strip() + ")");
        }
        for (String tool : List.of("ip", "tc")) {
            Commands.Outcome version = Commands.attempt(tool, "-V");
            if (!version.succeeded()) {
                return Optional.of("multi-host tests need '" + tool + "' (iproute2): " + version.stderr().strip());
            }
        }
        String probe = RunPrefix.fresh().value() + "probe";
        Commands.Outcome add = Commands.attempt("ip", "netns", "add", probe);
        if (!add.succeeded()) {
            return Optional.of("multi-host tests cannot create a network namespace here: " + add.stderr().strip());
        }
        Commands.run("ip", "netns", "del", probe);
        return Optional.empty();
    }

    /**
     * A network with no hosts yet, keeping its hosts' directories and process logs under {@code directory};
     * first removes what crashed earlier runs left behind.
     */
    public static MultiHostNetwork create(Path directory) {
        removeLeftovers();
        List<String> routes = Commands.run("ip", "-4", "route", "show", "table", "all").lines().toList();
        return new MultiHostNetwork(RunPrefix.fresh(), Subnet.free(routes, ThreadLocalRandom.current().nextInt(512)),
                directory);
    }

    /** Adds a host named {@code name} (lower-case letters and digits, at most 16), up and reachable from the others. */
    public synchronized Host addHost(String name) {
        if (!HOST_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("host name '" + name + "' must match " + HOST_NAME.pattern());
        }
        if (hosts.containsKey(name)) {
            throw new IllegalArgumentException("host '" + name + "' exists already");
        }
        checkOpen();
        int index = hosts.size();
        String namespace = prefix.value() + name;
        String port = "p" + index;
        Host host = new Host(name, namespace, subnet.address(index), port, hostDirectory(name));
        addNamespace(namespace);
        ip(bridgeNamespace, "link", "add", port, "type", "veth", "peer", "name", "eth0", "netns", namespace);
        ip(bridgeNamespace, "link", "set", port, "master", "br0", "up");
        ip(namespace, "addr", "add", host.address() + "/24", "dev", "eth0");
        ip(namespace, "link", "set", "eth0", "up");
        ip(namespace, "link", "set", "lo", "up");
        hosts.put(name, host);
        degradation.ifPresent(d -> applyDegradation(host));
        return host;
    }

    public synchronized Host host(String name) {
        Host host = hosts.get(name);
        if (host == null) {
            throw new IllegalArgumentException("no host '" + name + "'; hosts: " + hosts.keySet());
        }
        return host;
    }

    public synchronized List<Host> hosts() {
        return List.copyOf(hosts.values());
    }

    /** The prefix of every namespace this network makes. */
    public String namespacePrefix() {
        return prefix.value();
    }

    /** The namespaces it made and has not deleted yet (hosts' and the bridge's). */
    public List<String> namespaces() {
        return List.copyOf(namespaces);
    }

    public String subnet() {
        return subnet.toString();
    }

    /**
     * Starts {@code command} on {@code host}, in the environment of this JVM less every {@code EMBER_*}
     * variable, plus {@code environment}; its output goes to {@code <host dir>/logs/<name>.out|.err}.
     */
    public HostProcess start(Host host, String name, List<String> command, Map<String, String> environment) {
        checkOpen();
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", host.namespace()));
        full.addAll(command);
        Path logs = host.directory().resolve("logs");
        Path stdout = logs.resolve(name + ".out");
        Path stderr = logs.resolve(name + ".err");
        try {
            Files.createDirectories(logs);
            ProcessBuilder builder = new ProcessBuilder(full).redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
            builder.environment().keySet().removeIf(variable -> variable.startsWith("EMBER_"));
            builder.environment().putAll(environment);
            HostProcess process = new HostProcess(name, host, builder.start(), stdout, stderr);
            processes.add(process);
            return process;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + " on " + host + ": " + e.getMessage(), e);
        }
    }

    /** Every process it started (whether still running or not). */
    public List<HostProcess> processes() {
        return List.copyOf(processes);
    }

    /** The PIDs running in {@code host}'s namespace now: what it started there, and their children. */
    public List<Long> pids(Host host) {
        return pidsIn(host.namespace());
    }

    /**
     * Cuts {@code host} off: its bridge port goes down, so that nothing it sends reaches another host
     * and nothing reaches it (dropped silently: a connect times out, as to a host that lost its cable).
     * Its loopback still works.
     */
    public synchronized void cut(Host host) {
        checkOpen();
        ip(bridgeNamespace, "link", "set", host(host.name()).bridgePort(), "down");
        cut.add(host.name());
    }

    /** Joins a host {@link #cut} off again. */
    public synchronized void heal(Host host) {
        checkOpen();
        ip(bridgeNamespace, "link", "set", host(host.name()).bridgePort(), "up");
        cut.remove(host.name());
    }

    public synchronized boolean isCut(Host host) {
        return cut.contains(host.name());
    }

    /**
     * Whether this machine can delay and lose packets: with {@code tc netem} (CONFIG_NET_SCH_NETEM),
     * or else with an iptables NFQUEUE rule and {@code python3} ({@link QueueDelay}).
     */
    public boolean canDegrade() {
        return netem || queueDelay != null;
    }

    /**
     * Delays every packet between two hosts by {@code delay} and loses {@code lossPercent} % of them,
     * on every host (so a round trip between two hosts takes twice {@code delay} more); hosts added
     * later too. With netem on each host's way out, else with {@link QueueDelay} on its way in.
     */
    public synchronized void degrade(Duration delay, double lossPercent) {
        checkOpen();
        if (!canDegrade()) {
            throw new IllegalStateException("this kernel has no netem (CONFIG_NET_SCH_NETEM), and iptables with "
                    + "NFQUEUE or python3 is missing: links cannot be delayed");
        }
        if (degradation.isPresent()) {
            restore();
        }
        degradation = Optional.of(new Degradation(delay, lossPercent));
        hosts.values().forEach(this::applyDegradation);
    }

    /** Removes what {@link #degrade} added. */
    public synchronized void restore() {
        checkOpen();
        if (degradation.isPresent()) {
            degradation = Optional.empty();
            for (Host host : hosts.values()) {
                if (netem) {
                    Commands.run("tc", "-n", host.namespace(), "qdisc", "del", "dev", "eth0", "root");
                } else {
                    HostProcess delayer = delayers.remove(host.name());
                    if (delayer != null) {
                        queueDelay.remove(host, delayer);
                    }
                }
            }
        }
    }

    /** Ends every process in its namespaces and deletes them; safe to call again. */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs (or ran) cleanUp itself
        }
        cleanUp();
    }

    private void cleanUp() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        List<String> made = List.copyOf(namespaces);
        for (HostProcess process : processes) {
            ProcessHandle.of(process.pid()).ifPresent(ProcessHandle::destroyForcibly);
        }
        for (String namespace : made) {
            killAll(namespace);
        }
        for (HostProcess process : processes) {
            process.awaitGone(GONE_TIMEOUT);
        }
        List<String> failures = new ArrayList<>();
        for (String namespace : made) {
            Commands.Outcome delete = Commands.attempt("ip", "netns", "del", namespace);
            if (delete.succeeded()) {
                namespaces.remove(namespace);
            } else {
                failures.add(namespace + ": " + delete.stderr().strip());
            }
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException("could not delete namespaces " + failures);
        }
    }

    /**
     * SIGKILL to every process in {@code namespace}, and waits until none is left there and each has
     * been reaped (a killed process lingers as a zombie until its parent, or init, collects it).
     */
    private static void killAll(String namespace) {
        Set<Long> seen = new HashSet<>();
        Await.until(GONE_TIMEOUT, () -> {
            List<Long> pids = pidsIn(namespace);
            seen.addAll(pids);
            pids.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
            return pids.isEmpty() && seen.stream().noneMatch(MultiHostNetwork::isAlive);
        }, () -> "processes still running in namespace " + namespace + ": " + pidsIn(namespace)
                + ", not yet reaped: " + seen.stream().filter(MultiHostNetwork::isAlive).toList());
    }

    private static boolean isAlive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private static List<Long> pidsIn(String namespace) {
        Commands.Outcome pids = Commands.attempt("ip", "netns", "pids", namespace);
        if (!pids.succeeded()) {
            return List.of();
        }
        return pids.stdout().lines().map(String::strip).filter(line -> !line.isEmpty()).map(Long::parseLong).toList();
    }

    private static void removeLeftovers() {
        Commands.Outcome list = Commands.attempt("ip", "netns", "list");
        if (!list.succeeded()) {
            return;
        }
        for (String namespace : RunPrefix.leftovers(RunPrefix.names(list.stdout()))) {
            killAll(namespace);
            Commands.run("ip", "netns", "del", namespace);
            System.err.println("multi-host network: removed namespace " + namespace + ", left by a run that crashed");
        }
    }

    private void applyDegradation(Host host) {
        Degradation d = degradation.orElseThrow();
        if (netem) {
            Commands.run("tc", "-n", host.namespace(), "qdisc", "replace", "dev", "eth0", "root", "netem",
                    "delay", d.delay().toMillis() + "ms", "loss", d.lossPercent() + "%");
        } else {
            delayers.put(host.name(), queueDelay.apply(host, d.delay(), d.lossPercent()));
        }
    }

    private void addNamespace(String namespace) {
        Commands.run("ip", "netns", "add", namespace);
        namespaces.add(namespace);
    }

    private static void ip(String namespace, String... args) {
        List<String> command = new ArrayList<>(List.of("ip", "-n", namespace));
        command.addAll(List.of(args));
        Commands.run(command.toArray(String[]::new));
    }

    private Path hostDirectory(String name) {
        try {
            return Files.createDirectories(directory.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void checkOpen() {
        if (closed.get()) {
            throw new IllegalStateException("the multi-host network " + prefix.value() + " is closed");
        }
    }

    private record Degradation(Duration delay, double lossPercent) {
    }
}
