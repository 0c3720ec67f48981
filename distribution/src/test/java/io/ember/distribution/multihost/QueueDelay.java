package io.ember.distribution.multihost;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Delays and loses the packets a host receives where the kernel has no netem: an iptables rule in
 * the host's namespace hands every packet arriving on {@code eth0} to NFQUEUE, where a small
 * user-space program of the harness ({@code netdelay.py}, Python, speaking nfnetlink_queue itself)
 * accepts it after the delay or drops it. Delaying at the receiver, not the sender, matters: a
 * packet held on the sender's way out still counts against its socket's small-queue limit, which
 * would throttle a TCP flow to a trickle; netem avoids that by detaching the packet, NFQUEUE cannot.
 * Every packet between two hosts is delayed once, as with netem on each host's egress.
 *
 * <p>Used by {@link MultiHostNetwork} under its lock.
 */
final class QueueDelay {

    /** The rule, after the chain it goes in: every packet that arrives on eth0 goes to queue 0 (accepted when nobody reads it). */
    private static final List<String> RULE = List.of("-i", "eth0", "-j", "NFQUEUE", "--queue-num", "0",
            "--queue-bypass");
    private static final Duration READY = Duration.ofSeconds(10);

    private final MultiHostNetwork network;
    private final Path script;

    private QueueDelay(MultiHostNetwork network, Path script) {
        this.network = requireNonNull(network, "network is null");
        this.script = requireNonNull(script, "script is null");
    }

    /**
     * A queue delay for {@code network}'s hosts when this machine has {@code iptables} with NFQUEUE
     * and {@code python3} (tried in {@code namespace}); else none. Writes the program into {@code directory}.
     */
    static QueueDelay ifAvailable(MultiHostNetwork network, String namespace, Path directory) {
        if (!Commands.attempt("python3", "-V").succeeded()) {
            return null;
        }
        Commands.Outcome add = Commands.attempt(rule(namespace, "-A"));
        if (!add.succeeded()) {
            return null;
        }
        Commands.run(rule(namespace, "-D"));
        Path script = directory.resolve("netdelay.py");
        try (InputStream in = QueueDelay.class.getResourceAsStream("netdelay.py")) {
            if (in == null) {
                throw new IllegalStateException("netdelay.py is not on the test class path");
            }
            Files.createDirectories(directory);
            Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + script + ": " + e.getMessage(), e);
        }
        return new QueueDelay(network, script);
    }

    /** Starts delaying (and losing) what {@code host} receives; returns the program, to end with {@link #remove}. */
    HostProcess apply(Host host, Duration delay, double lossPercent) {
        Commands.run(rule(host.namespace(), "-A"));
        HostProcess delayer = network.start(host, "netdelay", List.of("python3", script.toString(),
                "--delay-ms", Long.toString(delay.toMillis()),
                "--loss-percent", String.format(Locale.ROOT, "%.3f", lossPercent)), Map.of());
        delayer.awaitOutput("netdelay: queue", READY);
        return delayer;
    }

    /** Stops delaying what {@code host} receives. */
    void remove(Host host, HostProcess delayer) {
        delayer.kill();
        Commands.run(rule(host.namespace(), "-D"));
    }

    private static String[] rule(String namespace, String action) {
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", namespace, "iptables", "-t", "raw",
                action, "PREROUTING"));
        command.addAll(RULE);
        return command.toArray(String[]::new);
    }
}
