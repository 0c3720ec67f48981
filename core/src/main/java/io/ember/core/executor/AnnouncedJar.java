package io.ember.core.executor;

import static java.util.Objects.requireNonNull;

/**
 * An application JAR as the driver announces it when it accepts an executor: the executor fetches
 * it by name and checks it against the size and digest ({@link ApplicationJars}).
 *
 * @param name a plain file name (checked when fetched)
 * @param size its length in bytes
 * @param sha256 its SHA-256, in hex
 */
record AnnouncedJar(String name, long size, String sha256) {

    AnnouncedJar {
        requireNonNull(name, "name is null");
        requireNonNull(sha256, "sha256 is null");
    }
}
