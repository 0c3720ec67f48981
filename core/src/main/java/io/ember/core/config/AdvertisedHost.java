package io.ember.core.config;

import static java.util.Objects.requireNonNull;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;

/**
 * Refuses, at a cluster process's start, an {@code ember.host} that other hosts could not reach the
 * process at: a wildcard address ({@code 0.0.0.0}, {@code ::}), which would be advertised as it is,
 * or a loopback address while the ZooKeeper ensemble, and so the rest of the cluster, is on another
 * host. {@code local-cluster} and tests, with everything on 127.0.0.1, pass.
 */
public final class AdvertisedHost {

    private AdvertisedHost() {
    }

    /**
     * @param role what starts, for the message: {@code master}, {@code worker}, {@code driver}
     * @param zooKeeperConnect the ensemble the process joins, {@code host:port[,host:port...][/chroot]}
     * @throws ConfigException naming {@code ember.host} and where it was set, when it cannot be advertised
     */
    public static void check(EmberConfig config, String role, String zooKeeperConnect) {
        requireNonNull(config, "config is null");
        requireNonNull(role, "role is null");
        requireNonNull(zooKeeperConnect, "zooKeeperConnect is null");
        problem(config.get(EmberKeys.HOST), role, zooKeeperConnect).ifPresent(message -> {
            throw new ConfigException(List.of(new ConfigProblem(EmberKeys.HOST.name(),
                    config.core().origin(EmberKeys.HOST.name()), message)));
        });
    }

    /** Why {@code host} cannot be advertised by a {@code role} of a cluster on that ensemble; empty when it can. */
    static Optional<String> problem(String host, String role, String zooKeeperConnect) {
        if (isWildcard(host)) {
            return Optional.of("'" + host + "' listens on every interface, but the " + role + " advertises this "
                    + "address to the others, who cannot reach it there; set it to this host's own address");
        }
        if (!isLoopback(host)) {
            return Optional.empty();
        }
        int slash = zooKeeperConnect.indexOf('/');
        String servers = slash < 0 ? zooKeeperConnect : zooKeeperConnect.substring(0, slash);
        for (String server : servers.split(",")) {
            String zooKeeperHost = server.substring(0, Math.max(0, server.lastIndexOf(':')));
            if (!zooKeeperHost.isEmpty() && !isLoopback(zooKeeperHost)) {
                return Optional.of("'" + host + "' is a loopback address, but ZooKeeper (" + server + "), and so the "
                        + "rest of the cluster, is on another host, from which this " + role + " could not be "
                        + "reached; set it to this host's own address");
            }
        }
        return Optional.empty();
    }

    private static boolean isWildcard(String host) {
        String bare = unbracketed(host);
        return bare.equals("0.0.0.0") || bare.equals("::") || bare.equals("0:0:0:0:0:0:0:0");
    }

    /** Whether {@code host} names this machine's loopback interface (a name is resolved; unknown: not loopback). */
    private static boolean isLoopback(String host) {
        String bare = unbracketed(host);
        if (bare.equalsIgnoreCase("localhost")) {
            return true;
        }
        try {
            return InetAddress.getByName(bare).isLoopbackAddress();
        } catch (UnknownHostException | SecurityException e) {
            return false;
        }
    }

    private static String unbracketed(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }
}
