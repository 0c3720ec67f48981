package io.ember.core.rpc;

import static java.util.Objects.requireNonNull;

import io.ember.core.config.EmberConfig;
import io.ember.core.config.EmberKeys;
import java.time.Duration;

/**
 * The connection limits of an {@link RpcServer} ({@code ember.rpc.*}): at most
 * {@code maxConnections} open at once; with a secret, a connection that has carried no
 * authenticated call within {@code authTimeout} is closed; a connection with no call in progress
 * for {@code idleTimeout} is closed gracefully.
 *
 * @param maxConnections {@code ember.rpc.maxConnections}, at least 1
 * @param authTimeout {@code ember.rpc.authTimeout}, positive
 * @param idleTimeout {@code ember.rpc.idleTimeout}, at least a second (gRPC's own floor)
 */
public record RpcLimits(int maxConnections, Duration authTimeout, Duration idleTimeout) {

    /** The defaults of the {@code ember.rpc.*} keys. */
    public static final RpcLimits DEFAULTS = new RpcLimits(
            EmberKeys.RPC_MAX_CONNECTIONS.defaultValue().orElseThrow(),
            EmberKeys.RPC_AUTH_TIMEOUT.defaultValue().orElseThrow(),
            EmberKeys.RPC_IDLE_TIMEOUT.defaultValue().orElseThrow());

    /** @throws IllegalArgumentException naming the value out of range */
    public RpcLimits {
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be >= 1: " + maxConnections);
        }
        requireNonNull(authTimeout, "authTimeout is null");
        if (authTimeout.isNegative() || authTimeout.isZero()) {
            throw new IllegalArgumentException("authTimeout must be > 0: " + authTimeout);
        }
        requireNonNull(idleTimeout, "idleTimeout is null");
        if (idleTimeout.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("idleTimeout must be >= 1s: " + idleTimeout);
        }
    }

    /** The limits a process's configuration sets. */
    public static RpcLimits from(EmberConfig config) {
        requireNonNull(config, "config is null");
        return new RpcLimits(config.get(EmberKeys.RPC_MAX_CONNECTIONS), config.get(EmberKeys.RPC_AUTH_TIMEOUT),
                config.get(EmberKeys.RPC_IDLE_TIMEOUT));
    }
}
