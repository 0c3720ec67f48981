package io.ember.distribution.multihost;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The private IPv4 /24 a network's hosts live in: one of 198.18.0.0/15 (the range set aside for
 * network tests, RFC 2544) that no route of the machine's own namespace covers or falls into, so that
 * an address of a harness host is never one the machine already uses.
 */
record Subnet(int network) {

    private static final int BASE = (198 << 24) | (18 << 16);
    private static final int CHOICES = 512;
    private static final Pattern ROUTE = Pattern.compile("^(?:\\S+\\s+)?(\\d+\\.\\d+\\.\\d+\\.\\d+)(?:/(\\d+))?\\b");
    /** Host addresses start here: .1 to .9 stay free (a gateway nobody needs, but an operator might look for). */
    private static final int FIRST_HOST = 10;

    /** The first /24 of 198.18.0.0/15 that none of {@code routes} (lines of {@code ip -4 route show table all}) overlaps. */
    static Subnet free(List<String> routes, int start) {
        for (int i = 0; i < CHOICES; i++) {
            int candidate = BASE + (((start + i) % CHOICES) << 8);
            if (routes.stream().map(Subnet::prefix).flatMap(Optional::stream).noneMatch(p -> p.overlaps(candidate, 24))) {
                return new Subnet(candidate);
            }
        }
        throw new IllegalStateException("every /24 of 198.18.0.0/15 is covered by a route of this machine: " + routes);
    }

    /** The address of the host with index {@code index} (0-based), e.g. 198.18.3.10 for the first. */
    String address(int index) {
        if (index < 0 || index + FIRST_HOST > 254) {
            throw new IllegalArgumentException("host index " + index + " outside 0.." + (254 - FIRST_HOST));
        }
        return format(network + FIRST_HOST + index);
    }

    @Override
    public String toString() {
        return format(network) + "/24";
    }

    private static Optional<Prefix> prefix(String route) {
        String line = route.strip();
        if (line.startsWith("default")) {
            return Optional.of(new Prefix(0, 0));
        }
        Matcher m = ROUTE.matcher(line);
        if (!m.find()) {
            return Optional.empty();
        }
        return Optional.of(new Prefix(parse(m.group(1)), m.group(2) == null ? 32 : Integer.parseInt(m.group(2))));
    }

    private static int parse(String dotted) {
        String[] parts = dotted.split("\\.");
        int value = 0;
        for (String part : parts) {
            value = (value << 8) | Integer.parseInt(part);
        }
        return value;
    }

    private static String format(int address) {
        return (address >>> 24) + "." + ((address >>> 16) & 0xff) + "." + ((address >>> 8) & 0xff) + "." + (address & 0xff);
    }

    /** A route's destination. A default route (length 0) overlaps nothing we choose: it is where traffic leaves, not a network. */
    private record Prefix(int address, int length) {
        boolean overlaps(int other, int otherLength) {
            if (length == 0) {
                return false;
            }
            int common = Math.min(length, otherLength);
            int mask = common == 0 ? 0 : -1 << (32 - common);
            return (address & mask) == (other & mask);
        }
    }
}
