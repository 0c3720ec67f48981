package io.ember.distribution.multihost;

import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The prefix of every namespace one {@link MultiHostNetwork} makes, {@code emh-<pid>-<random>-}:
 * {@code emh} (Ember multi-host) marks the harness's namespaces, the JVM's PID tells a crashed run
 * (its JVM is gone) from a running one, and the random part tells two networks of one JVM apart.
 * Nothing outside this pattern is ever touched.
 */
record RunPrefix(String value) {

    static final String MARK = "emh-";
    private static final Pattern OURS = Pattern.compile("^" + MARK + "(\\d+)-[0-9a-f]{6}-\\S+");

    /** A fresh prefix for a network of this JVM. */
    static RunPrefix fresh() {
        byte[] random = new byte[3];
        ThreadLocalRandom.current().nextBytes(random);
        return new RunPrefix(MARK + ProcessHandle.current().pid() + "-" + HexFormat.of().formatHex(random) + "-");
    }

    boolean owns(String namespace) {
        return namespace.startsWith(value);
    }

    /**
     * The namespaces among {@code namespaces} (names from {@code ip netns list}) that a harness run
     * made whose JVM has gone: leftovers of a crashed run, safe to remove.
     */
    static List<String> leftovers(List<String> namespaces) {
        return namespaces.stream().filter(name -> {
            Matcher m = OURS.matcher(name);
            return m.matches() && ProcessHandle.of(Long.parseLong(m.group(1))).map(p -> !p.isAlive()).orElse(true);
        }).toList();
    }

    /** The names of {@code ip netns list}'s output (each line is a name, sometimes followed by {@code (id: N)}). */
    static List<String> names(String ipNetnsList) {
        return ipNetnsList.lines().map(String::strip).filter(line -> !line.isEmpty())
                .map(line -> line.split("\\s+", 2)[0]).toList();
    }
}
