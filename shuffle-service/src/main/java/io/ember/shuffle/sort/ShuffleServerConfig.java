package io.ember.shuffle.sort;

import static java.util.Objects.requireNonNull;

import io.ember.api.shuffle.ConnectionLimits;
import java.util.Optional;

/**
 * How a {@link ShuffleServer} runs.
 *
 * @param host the address to listen on
 * @param port the port; 0 picks a free one
 * @param secret the shared secret every connection must authenticate with, when set
 * @param acceptsRegistrations whether clients may register executors and remove applications (the
 *     external service); an executor's own server serves only what it registered locally
 * @param zeroCopy whether blocks are sent as file regions the kernel copies ({@code true}) or as
 *     chunks read through user space (for transports that cannot send files directly)
 * @param limits how many connections it keeps, and when it closes one that does not authenticate
 *     or stays idle
 */
record ShuffleServerConfig(String host, int port, Optional<String> secret, boolean acceptsRegistrations,
                           boolean zeroCopy, ConnectionLimits limits) {

    ShuffleServerConfig {
        requireNonNull(host, "host is null");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be 0..65535: " + port);
        }
        requireNonNull(secret, "secret is null");
        requireNonNull(limits, "limits is null");
    }

    /** A server with the {@link ConnectionLimits#DEFAULTS default limits}. */
    ShuffleServerConfig(String host, int port, Optional<String> secret, boolean acceptsRegistrations,
                        boolean zeroCopy) {
        this(host, port, secret, acceptsRegistrations, zeroCopy, ConnectionLimits.DEFAULTS);
    }

    @Override
    public String toString() {
        return "ShuffleServerConfig[" + host + ":" + port + (secret.isPresent() ? ", authenticated" : "")
                + (acceptsRegistrations ? ", accepts registrations" : ", own executor only")
                + (zeroCopy ? ", zero-copy" : ", chunked") + ", at most " + limits.maxConnections()
                + " connections, idle ones closed after " + limits.idleTimeout().toMillis() + " ms"
                + (secret.isPresent() ? ", unauthenticated ones after " + limits.authTimeout().toMillis() + " ms" : "")
                + "]";
    }
}
