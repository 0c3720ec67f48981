package io.ember.api.shuffle;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * What the external shuffle service of a worker host needs.
 *
 * @param host the address to listen on
 * @param port the port to listen on; 0 picks a free one
 * @param stateDir where the service keeps what must survive its restart (the executors registered
 *     with it); created if missing
 * @param secret {@code ember.auth.secret} when set: connections that do not authenticate with it are
 *     refused
 * @param limits {@code ember.shuffle.service.*}: how many connections the service keeps open, and
 *     when it closes one that does not authenticate or stays idle
 */
public record ShuffleServiceContext(String host, int port, Path stateDir, Optional<String> secret,
                                    ConnectionLimits limits) {

    public ShuffleServiceContext {
        Objects.requireNonNull(host, "host is null");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be 0..65535: " + port);
        }
        Objects.requireNonNull(stateDir, "stateDir is null");
        Objects.requireNonNull(secret, "secret is null");
        Objects.requireNonNull(limits, "limits is null");
    }

    /** A context with the {@link ConnectionLimits#DEFAULTS default limits}. */
    public ShuffleServiceContext(String host, int port, Path stateDir, Optional<String> secret) {
        this(host, port, stateDir, secret, ConnectionLimits.DEFAULTS);
    }
}
