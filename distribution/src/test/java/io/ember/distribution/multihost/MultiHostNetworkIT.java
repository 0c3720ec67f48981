package io.ember.distribution.multihost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The multi-host harness itself, on real namespaces, links and processes: what it makes, that hosts
 * reach each other, that a cut cuts and healing heals, that latency delays, and that it leaves
 * nothing behind, whether closed, stopped by SIGTERM or killed.
 */
final class MultiHostNetworkIT {

    private static final int PORT = 7070;
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final Pattern ROUND_TRIP = Pattern.compile("connected in (\\d+) us, round trip (\\d+) us");

    @BeforeAll
    static void needsNamespaces() {
        Optional<String> why = MultiHostNetwork.unavailable();
        assumeTrue(why.isEmpty(), () -> why.orElseThrow());
    }

    @Test
    void makesOneNamespacePerHostBehindABridgeAndRemovesThemAll(@TempDir Path dir) {
        Set<String> rootLinks = rootLinks();
        String rootRoutes = Commands.run("ip", "-4", "route", "show", "table", "all");
        String prefix;
        List<String> made;
        try (MultiHostNetwork network = MultiHostNetwork.create(dir)) {
            prefix = network.namespacePrefix();
            long start = System.nanoTime();
            List<Host> hosts = List.of(network.addHost("a"), network.addHost("b"), network.addHost("c"));
            System.out.printf("multi-host network: 3 hosts set up in %d ms on %s%n",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), network.subnet());
            made = network.namespaces();
            assertEquals(4, made.size(), made.toString());
            assertTrue(made.stream().allMatch(name -> name.startsWith(prefix)), made.toString());
            assertTrue(namespacesWith(prefix).containsAll(made), namespacesWith(prefix).toString());
            for (Host host : hosts) {
                String addresses = Commands.run("ip", "-n", host.namespace(), "-4", "-o", "addr", "show");
                assertTrue(addresses.matches("(?s).*\\blo\\s+inet 127\\.0\\.0\\.1/8.*"),
                        "loopback is up on " + host + ":\n" + addresses);
                assertTrue(addresses.matches("(?s).*\\beth0\\s+inet " + Pattern.quote(host.address()) + "/24.*"),
                        host + " holds its address:\n" + addresses);
                String routes = Commands.run("ip", "-n", host.namespace(), "-4", "route", "show");
                assertEquals(1, routes.lines().count(), "only the subnet's route, no way out, on " + host + ":\n" + routes);
                assertFalse(rootRoutes.contains(host.address()), "a host's address is not the machine's: " + host);
            }
            assertEquals(3, hosts.stream().map(Host::address).distinct().count());
            assertEquals(rootLinks, rootLinks(), "nothing added to the machine's own namespace");
            assertEquals(rootRoutes, Commands.run("ip", "-4", "route", "show", "table", "all"), "no route added to the machine");
        }
        assertEquals(List.of(), namespacesWith(prefix), "namespaces of the run left behind");
        for (String namespace : made) {
            assertFalse(Commands.attempt("ip", "-n", namespace, "link", "show").succeeded(), namespace + " is gone");
        }
        assertEquals(rootLinks, rootLinks(), "no veth link left");
    }

    @Test
    void hostsReachEachOtherAndACutCutsUntilHealed(@TempDir Path dir) throws Exception {
        try (MultiHostNetwork network = MultiHostNetwork.create(dir)) {
            Host a = network.addHost("a");
            Host b = network.addHost("b");
            Host c = network.addHost("c");
            listen(network, b);
            listen(network, c);

            String before = connect(network, a, b, 5000);
            System.out.println("multi-host network: a to b " + before);

            network.cut(b);
            long cutAt = System.nanoTime();
            HostProcess across = network.start(a, "connect-across-cut", Probe.command("connect", b.address(),
                    String.valueOf(PORT), "1500"), Map.of());
            int exit = across.awaitExit(DEADLINE);
            assertNotEquals(0, exit, "a connect across the cut fails:\n" + across.describe());
            System.out.printf("multi-host network: a to b while b is cut off: '%s' after %d ms%n", across.stdout().strip(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - cutAt));
            assertEquals(0, run(network, a, c, "connect-beside-cut"), "a still reaches c");

            network.heal(b);
            long healedAt = System.nanoTime();
            Await.until(DEADLINE, () -> run(network, a, b, "connect-after-heal") == 0, () -> "a does not reach b after healing");
            System.out.printf("multi-host network: a reaches b again %d ms after healing%n",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - healedAt));
        }
    }

    @Test
    void latencyDelaysEveryRoundTripUntilRestored(@TempDir Path dir) throws Exception {
        try (MultiHostNetwork network = MultiHostNetwork.create(dir)) {
            assumeTrue(network.canDegrade(), "latency test skipped: this machine cannot delay packets: no netem "
                    + "(CONFIG_NET_SCH_NETEM), and no iptables with NFQUEUE or no python3");
            Host a = network.addHost("a");
            Host b = network.addHost("b");
            listen(network, b);
            long plain = roundTripMicros(connect(network, a, b, 5000));

            network.degrade(Duration.ofMillis(100), 1.0);
            long delayed = roundTripMicros(connect(network, a, b, 10_000));
            network.restore();
            long restored = roundTripMicros(connect(network, a, b, 5000));

            System.out.printf("multi-host network: round trip %d us, %d us with 100 ms delay each way, %d us restored%n",
                    plain, delayed, restored);
            assertTrue(delayed >= 200_000, "a round trip takes at least the delay both ways: " + delayed + " us");
        }
    }

    @Test
    void closeEndsEveryProcessItStartedAndTheirChildren(@TempDir Path dir) throws Exception {
        List<Long> pids;
        try (MultiHostNetwork network = MultiHostNetwork.create(dir)) {
            Host a = network.addHost("a");
            HostProcess parent = network.start(a, "parent", List.of("bash", "-c", "sleep 600 & echo child $!; wait"), Map.of());
            parent.awaitOutput("child ", DEADLINE);
            long child = Long.parseLong(parent.stdout().strip().substring("child ".length()));
            HostProcess listener = listen(network, a);
            pids = List.of(parent.pid(), child, listener.pid());
            assertTrue(network.pids(a).containsAll(pids), "ip netns pids sees them: " + network.pids(a) + " " + pids);
        }
        for (long pid : pids) {
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "process " + pid + " is gone");
        }
    }

    @Test
    void aShutdownHookCleansUpAJvmStoppedBySigterm(@TempDir Path dir) throws Exception {
        Process run = new ProcessBuilder(CrashingRun.command(dir)).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            Ready ready = awaitReady(run);
            assertTrue(namespacesWith(ready.prefix()).size() == 2, namespacesWith(ready.prefix()).toString());
            run.destroy();
            assertTrue(run.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS), "the run stops on SIGTERM");
            assertEquals(List.of(), namespacesWith(ready.prefix()), "its shutdown hook deleted its namespaces");
            assertFalse(ProcessHandle.of(ready.pid()).map(ProcessHandle::isAlive).orElse(false), "and ended its process");
        } finally {
            run.destroyForcibly();
        }
    }

    @Test
    void theNextRunRemovesWhatAKilledRunLeftBehind(@TempDir Path dir) throws Exception {
        Process run = new ProcessBuilder(CrashingRun.command(dir)).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        Ready ready;
        try {
            ready = awaitReady(run);
        } finally {
            run.destroyForcibly();
            run.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS);
        }
        assertEquals(2, namespacesWith(ready.prefix()).size(), "SIGKILL leaves them: " + namespacesWith(ready.prefix()));
        assertTrue(ProcessHandle.of(ready.pid()).map(ProcessHandle::isAlive).orElse(false), "and its process");

        try (MultiHostNetwork next = MultiHostNetwork.create(dir.resolve("next"))) {
            assertEquals(List.of(), namespacesWith(ready.prefix()), "the next run removed the crashed run's namespaces");
            Await.until(DEADLINE, () -> !ProcessHandle.of(ready.pid()).map(ProcessHandle::isAlive).orElse(false),
                    () -> "the crashed run's process " + ready.pid() + " still runs");
            assertFalse(next.namespaces().isEmpty());
        }
    }

    private static HostProcess listen(MultiHostNetwork network, Host host) {
        HostProcess listener = network.start(host, "listen", Probe.command("listen", host.address(), String.valueOf(PORT)), Map.of());
        listener.awaitOutput("listening", DEADLINE);
        return listener;
    }

    /** Connects from {@code from} to {@code to}'s listener; the probe's line, or an AssertionError with its output. */
    private static String connect(MultiHostNetwork network, Host from, Host to, int timeoutMillis) throws InterruptedException {
        HostProcess probe = network.start(from, "connect", Probe.command("connect", to.address(), String.valueOf(PORT),
                String.valueOf(timeoutMillis)), Map.of());
        assertEquals(0, probe.awaitExit(DEADLINE), () -> from.name() + " reaches " + to.name() + "\n" + probe.describe());
        return probe.stdout().strip();
    }

    private static int run(MultiHostNetwork network, Host from, Host to, String name) {
        try {
            return network.start(from, name, Probe.command("connect", to.address(), String.valueOf(PORT), "1500"), Map.of())
                    .awaitExit(DEADLINE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static long roundTripMicros(String probeLine) {
        Matcher m = ROUND_TRIP.matcher(probeLine);
        assertTrue(m.find(), probeLine);
        return Long.parseLong(m.group(2));
    }

    private static List<String> namespacesWith(String prefix) {
        return RunPrefix.names(Commands.run("ip", "netns", "list")).stream().filter(name -> name.startsWith(prefix)).toList();
    }

    private static Set<String> rootLinks() {
        return Commands.run("ip", "-o", "link", "show").lines()
                .map(line -> line.split(":\\s+", 3)[1].split("@")[0]).collect(Collectors.toSet());
    }

    private static Ready awaitReady(Process run) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(run.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        assertTrue(line != null && line.startsWith("ready "), "the crashing run started: " + line);
        String[] parts = line.split(" ");
        return new Ready(parts[1], Long.parseLong(parts[2]));
    }

    private record Ready(String prefix, long pid) {
    }
}
