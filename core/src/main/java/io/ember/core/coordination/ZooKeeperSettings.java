package io.ember.core.coordination;

import static java.util.Objects.requireNonNull;

import io.ember.api.config.Durations;
import io.ember.core.config.EmberConfig;
import io.ember.core.config.EmberKeys;
import java.time.Duration;
import java.util.Optional;

/**
 * How to reach ZooKeeper: the ensemble, the session timeout (how long a silent process keeps its
 * ephemeral nodes, so how fast a crash is noticed), how long to wait for a connection, and the
 * cluster's shared secret (when present, every node created gets a digest ACL for it).
 *
 * <p>{@link #toString()} never shows the secret.
 *
 * @param connectString {@code host:port[,host:port...]}, optionally followed by a chroot
 *     ({@code /apps/ember}): every path Ember uses is then below it
 * @param sessionTimeout requested session timeout (the server may clamp it to [2, 20] ticks)
 * @param connectionTimeout how long to wait for a connection before giving up
 * @param secret the shared secret, empty for none
 */
public record ZooKeeperSettings(String connectString, Duration sessionTimeout, Duration connectionTimeout,
        Optional<String> secret) {

    public ZooKeeperSettings {
        requireNonNull(connectString, "connectString is null");
        requireNonNull(sessionTimeout, "sessionTimeout is null");
        requireNonNull(connectionTimeout, "connectionTimeout is null");
        requireNonNull(secret, "secret is null");
        if (connectString.isBlank()) {
            throw new IllegalArgumentException("connectString must not be blank");
        }
        toIntMillis(sessionTimeout, "sessionTimeout");
        toIntMillis(connectionTimeout, "connectionTimeout");
        if (secret.isPresent() && secret.get().isEmpty()) {
            throw new IllegalArgumentException("secret must not be empty (use Optional.empty() for none)");
        }
    }

    /** The ensemble's servers, {@code host:port[,host:port...]}, without the chroot. */
    public String servers() {
        int slash = connectString.indexOf('/');
        return slash < 0 ? connectString : connectString.substring(0, slash);
    }

    /** The chroot the connect string names, such as {@code /apps/ember}; empty for none. */
    public Optional<String> chroot() {
        int slash = connectString.indexOf('/');
        return slash < 0 || slash == connectString.length() - 1 ? Optional.empty()
                : Optional.of(connectString.substring(slash));
    }

    /** Settings with the default timeouts (those of {@link EmberKeys}) and no secret. */
    public static ZooKeeperSettings of(String connectString) {
        return new ZooKeeperSettings(connectString, EmberKeys.ZOOKEEPER_SESSION_TIMEOUT.defaultValue().orElseThrow(),
                EmberKeys.ZOOKEEPER_CONNECTION_TIMEOUT.defaultValue().orElseThrow(), Optional.empty());
    }

    /**
     * The settings a process's configuration gives: {@code ember.zookeeper.connect},
     * {@code ember.zookeeper.sessionTimeout}, {@code ember.zookeeper.connectionTimeout} and
     * {@code ember.auth.secret}.
     *
     * @throws CoordinationException when {@code ember.zookeeper.connect} is not set
     */
    public static ZooKeeperSettings from(EmberConfig config) {
        requireNonNull(config, "config is null");
        String connect = config.core().find(EmberKeys.ZOOKEEPER_CONNECT).orElseThrow(() -> new CoordinationException(
                EmberKeys.ZOOKEEPER_CONNECT.name() + " is not set: masters, workers and drivers of a cluster need "
                        + "the ZooKeeper ensemble, e.g. zk1:2181,zk2:2181,zk3:2181"));
        return new ZooKeeperSettings(connect, config.get(EmberKeys.ZOOKEEPER_SESSION_TIMEOUT),
                config.get(EmberKeys.ZOOKEEPER_CONNECTION_TIMEOUT), config.core().find(EmberKeys.AUTH_SECRET));
    }

    /** These settings for another ensemble (the embedded server of local-cluster mode, say). */
    public ZooKeeperSettings withConnectString(String connectString) {
        return new ZooKeeperSettings(connectString, sessionTimeout, connectionTimeout, secret);
    }

    /** These settings with the given secret. */
    public ZooKeeperSettings withSecret(String secret) {
        return new ZooKeeperSettings(connectString, sessionTimeout, connectionTimeout, Optional.of(secret));
    }

    /** These settings with other timeouts. */
    public ZooKeeperSettings withTimeouts(Duration sessionTimeout, Duration connectionTimeout) {
        return new ZooKeeperSettings(connectString, sessionTimeout, connectionTimeout, secret);
    }

    /** The duration in whole milliseconds for ZooKeeper's and Curator's {@code int} timeouts, at least 1. */
    static int toIntMillis(Duration duration, String what) {
        long millis = duration.toMillis();
        if (duration.isNegative() || duration.isZero() || millis > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(what + " must be between 1ms and " + Integer.MAX_VALUE + "ms: " + duration);
        }
        return (int) Math.max(1, millis);
    }

    @Override
    public String toString() {
        return "ZooKeeperSettings[connectString=" + connectString + ", sessionTimeout="
                + Durations.format(sessionTimeout) + ", connectionTimeout=" + Durations.format(connectionTimeout)
                + ", secret=" + (secret.isPresent() ? "(set)" : "(none)") + "]";
    }
}
