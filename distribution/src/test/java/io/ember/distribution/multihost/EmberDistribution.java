package io.ember.distribution.multihost;

import static java.util.Objects.requireNonNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The command lines that run an installed distribution on a harness host: its {@code bin/ember}
 * (with the test's JVM as {@code EMBER_JAVA}; {@link MultiHostNetwork#start} drops every inherited
 * {@code EMBER_*} variable, as an operator's clean shell would) and ZooKeeper's own
 * {@code QuorumPeerMain} on the distribution's {@code lib/} class path and logging configuration.
 */
public record EmberDistribution(Path home) {

    /**
     * The JVM options of every process the distribution's end-to-end tests start (its
     * {@code bin/ember} through {@code EMBER_JAVA_OPTS}, executors through
     * {@code EMBER_EXECUTOR_JAVAOPTIONS}, ZooKeeper servers on their command line), unless a test sets
     * its own: the client compiler only. The tests' JVMs are many and short-lived, a dozen at a time on
     * two cores, and the server compiler's work does not pay off in them: a SalesByRegion submit of
     * 4,000,000 orders on local-cluster[3,2] took 37-43 CPU-seconds and 20-23 s with it, 22-24
     * CPU-seconds and 13-14 s without. What the tests check does not depend on the compiler.
     */
    public static final String TEST_JVM_OPTIONS = "-XX:TieredStopAtLevel=1";

    public EmberDistribution {
        requireNonNull(home, "home is null");
        if (!Files.isExecutable(home.resolve("bin/ember"))) {
            throw new IllegalArgumentException("no executable bin/ember in " + home + ": build the distribution first");
        }
    }

    /** The distribution the build made: the {@code distribution.dir} system property failsafe sets. */
    public static EmberDistribution fromBuild() {
        String dir = System.getProperty("distribution.dir");
        if (dir == null) {
            throw new IllegalStateException("system property distribution.dir is not set: run through Maven's failsafe");
        }
        return new EmberDistribution(Path.of(dir));
    }

    /** {@code bin/ember args...}. */
    public List<String> ember(String... args) {
        List<String> command = new ArrayList<>(List.of(home.resolve("bin/ember").toString()));
        command.addAll(List.of(args));
        return command;
    }

    /**
     * The environment {@code bin/ember} gets: the test's own JVM, with the client compiler only for it
     * and for the executors of its workers and drivers (as the end-to-end tests' {@code EmberCommand}
     * has it, and for the same reason: a dozen short-lived JVMs at a time on two cores).
     */
    public Map<String, String> environment() {
        return Map.of("EMBER_JAVA", java(), "EMBER_JAVA_OPTS", TEST_JVM_OPTIONS,
                "EMBER_EXECUTOR_JAVAOPTIONS", TEST_JVM_OPTIONS);
    }

    /**
     * ZooKeeper's {@code QuorumPeerMain} on {@code config}: a standalone server, or a member of the
     * ensemble it lists, logging as {@code logback} says (the distribution's own configuration keeps
     * ZooKeeper to errors; the harness needs its INFO lines to see it serve and elect).
     */
    public List<String> quorumPeer(Path config, Path logback) {
        return List.of(java(), "-Xmx256m", TEST_JVM_OPTIONS,
                "-Dlogback.configurationFile=" + logback,
                "-cp", home.resolve("lib") + "/*", "org.apache.zookeeper.server.quorum.QuorumPeerMain", config.toString());
    }

    /** The examples JAR shipped in {@code examples/}. */
    public Path examplesJar() {
        return home.resolve("examples/ember-examples-" + version() + ".jar");
    }

    private String version() {
        String name = home.getFileName().toString();
        return name.substring(name.indexOf('-') + 1);
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
