package io.ember.api.shuffle;

import java.time.Duration;
import java.util.Objects;

/**
 * The limits a shuffle server holds its connections to ({@code ember.shuffle.service.*}). A server
 * keeps at most {@code maxConnections} open and refuses (closes at once) those beyond; with a
 * secret, it closes a connection that has not authenticated within {@code authTimeout}, and may
 * close the oldest such connection to make room for a new one when it is full; it closes a
 * connection on which nothing was read or written for {@code idleTimeout}. A client gives up a
 * connection that has not opened within {@code connectTimeout} (a host that is down or cut off
 * answers nothing at all), and a request waiting on it fails at once, as a fetch failure, instead of
 * being tried again on a host that would not answer either.
 *
 * @param maxConnections the most connections open at once, at least 1
 * @param authTimeout how long a connection may take to authenticate (only when a secret is set)
 * @param idleTimeout how long a connection may stay silent before the server closes it
 * @param connectTimeout how long a client waits for a connection to a shuffle server to open
 */
public record ConnectionLimits(int maxConnections, Duration authTimeout, Duration idleTimeout,
        Duration connectTimeout) {

    /** The default of {@code ember.shuffle.service.connectTimeout}. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);

    /** What a server holds to when nobody said otherwise: the defaults of {@code ember.shuffle.service.*}. */
    public static final ConnectionLimits DEFAULTS =
            new ConnectionLimits(8192, Duration.ofSeconds(10), Duration.ofMinutes(2), DEFAULT_CONNECT_TIMEOUT);

    /** @throws IllegalArgumentException for a non-positive count or duration */
    public ConnectionLimits {
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be >= 1: " + maxConnections);
        }
        requirePositive(authTimeout, "authTimeout");
        requirePositive(idleTimeout, "idleTimeout");
        requirePositive(connectTimeout, "connectTimeout");
    }

    /** The server's limits, with the default connect timeout for clients. */
    public ConnectionLimits(int maxConnections, Duration authTimeout, Duration idleTimeout) {
        this(maxConnections, authTimeout, idleTimeout, DEFAULT_CONNECT_TIMEOUT);
    }

    private static void requirePositive(Duration duration, String name) {
        Objects.requireNonNull(duration, name + " is null");
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be > 0: " + duration);
        }
    }
}
