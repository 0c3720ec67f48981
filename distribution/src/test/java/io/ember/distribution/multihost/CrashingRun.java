package io.ember.distribution.multihost;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * A JVM that makes a network with one host running {@code sleep}, prints {@code ready <prefix> <pid>}
 * and waits to be stopped: {@link MultiHostNetworkIT} ends it with SIGTERM (its shutdown hook must
 * clean up) or SIGKILL (the next network's start must remove what it left).
 */
public final class CrashingRun {

    private CrashingRun() {
    }

    public static void main(String[] args) throws InterruptedException {
        MultiHostNetwork network = MultiHostNetwork.create(Path.of(args[0]));
        Host host = network.addHost("victim");
        HostProcess sleeper = network.start(host, "sleep", List.of("sleep", "600"), Map.of());
        System.out.println("ready " + network.namespacePrefix() + " " + sleeper.pid());
        System.out.flush();
        new CountDownLatch(1).await();
    }

    /** The command line that runs this class in a JVM of its own. */
    static List<String> command(Path directory) {
        List<String> probe = Probe.command();
        List<String> command = new ArrayList<>(probe.subList(0, probe.size() - 1));
        command.add(CrashingRun.class.getName());
        command.add(directory.toString());
        return command;
    }
}
