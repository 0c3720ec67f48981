package io.ember.core.config;

import static java.util.Objects.requireNonNull;

import io.ember.api.config.ConfigKey;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;

/**
 * Where a server of a cluster process listens ({@code bind}) and the address it tells the others
 * to reach it at ({@code advertised}): the one it publishes in ZooKeeper and in every message. Both
 * come from its role's {@code ember.<role>.bindAddress} and {@code ember.<role>.advertisedAddress},
 * each {@code ember.host} when unset.
 *
 * <p>An advertised address the others could not reach is refused at the process's start with one
 * line naming the key that set it: a wildcard ({@code 0.0.0.0}, {@code ::}), or a loopback address
 * while the ZooKeeper ensemble, and so the rest of the cluster, is on another host. Everything on
 * 127.0.0.1 ({@code local-cluster}, tests) passes.
 *
 * @param bind the address to listen on; a wildcard listens on every interface
 * @param advertised the address others reach the server at
 */
public record ServerAddress(String bind, String advertised) {

    /** The roles that run servers, with their keys. */
    public enum Role {
        MASTER("master", EmberKeys.MASTER_BIND_ADDRESS, EmberKeys.MASTER_ADVERTISED_ADDRESS),
        /** A worker, its shuffle service (embedded or run alone) and its executors. */
        WORKER("worker", EmberKeys.WORKER_BIND_ADDRESS, EmberKeys.WORKER_ADVERTISED_ADDRESS),
        DRIVER("driver", EmberKeys.DRIVER_BIND_ADDRESS, EmberKeys.DRIVER_ADVERTISED_ADDRESS),
        /** Local-cluster's embedded ZooKeeper server. */
        ZOOKEEPER("zookeeper", EmberKeys.ZOOKEEPER_BIND_ADDRESS, EmberKeys.ZOOKEEPER_ADVERTISED_ADDRESS);

        private final String text;
        private final ConfigKey<String> bindKey;
        private final ConfigKey<String> advertisedKey;

        Role(String text, ConfigKey<String> bindKey, ConfigKey<String> advertisedKey) {
            this.text = text;
            this.bindKey = bindKey;
            this.advertisedKey = advertisedKey;
        }
    }

    public ServerAddress {
        requireNonNull(bind, "bind is null");
        requireNonNull(advertised, "advertised is null");
        if (bind.isBlank() || advertised.isBlank()) {
            throw new IllegalArgumentException("an address must not be blank: bind '" + bind + "', advertised '"
                    + advertised + "'");
        }
    }

    /** Listening on and advertising the same address. */
    public static ServerAddress of(String host) {
        return new ServerAddress(host, host);
    }

    /**
     * The addresses a process's configuration gives the role, checked against the ensemble it joins.
     *
     * @param zooKeeperConnect {@code host:port[,host:port...][/chroot]}
     * @throws ConfigException naming the key that set the advertised address, and where, when the
     *     others could not reach it there
     */
    public static ServerAddress from(EmberConfig config, Role role, String zooKeeperConnect) {
        requireNonNull(config, "config is null");
        requireNonNull(role, "role is null");
        requireNonNull(zooKeeperConnect, "zooKeeperConnect is null");
        String host = config.get(EmberKeys.HOST);
        ServerAddress address = new ServerAddress(config.core().find(role.bindKey).orElse(host),
                config.core().find(role.advertisedKey).orElse(host));
        String key = config.core().find(role.advertisedKey).isPresent() ? role.advertisedKey.name()
                : EmberKeys.HOST.name();
        problem(address.advertised(), role.text, zooKeeperConnect).ifPresent(message -> {
            throw new ConfigException(List.of(new ConfigProblem(key, config.core().origin(key), message)));
        });
        return address;
    }

    /** Whether others can reach it from other hosts: it listens on an address that is not loopback, or on every interface. */
    public boolean listensBeyondThisHost() {
        return !isLoopback(bind);
    }

    /** Why {@code host} cannot be advertised by a {@code role} of a cluster on that ensemble; empty when it can. */
    static Optional<String> problem(String host, String role, String zooKeeperConnect) {
        if (isWildcard(host)) {
            return Optional.of("'" + host + "' listens on every interface, but the " + role + " advertises this "
                    + "address to the others, who cannot reach it there; advertise this host's own address (to listen "
                    + "on every interface, set ember." + role + ".bindAddress instead)");
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
