package io.ember.api.cluster;

/** Argument checks shared by the value types of this package. */
final class Checks {

    private Checks() {
    }

    static void positive(long value, String name) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be >= 1: " + value);
        }
    }

    static void port(int port, String name) {
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException(name + " must be a port in 1..65535: " + port);
        }
    }
}
