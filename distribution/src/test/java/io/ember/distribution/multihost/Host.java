package io.ember.distribution.multihost;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;

/**
 * One host of a {@link MultiHostNetwork}: a network namespace with loopback and one interface,
 * {@code eth0}, holding {@code address} on the network's subnet and joined by a veth link to the
 * bridge port {@code bridgePort}; {@code directory} is its own disk (hosts share the machine's file
 * system, so each gets a directory of its own for work and data directories).
 */
public record Host(String name, String namespace, String address, String bridgePort, Path directory) {

    public Host {
        requireNonNull(name, "name is null");
        requireNonNull(namespace, "namespace is null");
        requireNonNull(address, "address is null");
        requireNonNull(bridgePort, "bridgePort is null");
        requireNonNull(directory, "directory is null");
    }

    @Override
    public String toString() {
        return name + " (" + address + ", namespace " + namespace + ")";
    }
}
