package io.ember.core.config;

import static java.util.Objects.requireNonNull;

import io.ember.api.config.ConfigKey;
import io.ember.api.shuffle.ConnectionLimits;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the connection limits of shuffle servers ({@code ember.shuffle.service.maxConnections},
 * {@code .authTimeout}, {@code .idleTimeout}, {@code .connectTimeout}) for the processes that start one: a worker's embedded
 * service, {@code ember shuffle-service}, and an executor's own server.
 *
 * <p>Stateless and thread-safe.
 */
public final class ShuffleServiceLimits {

    private static final List<ConfigKey<?>> KEYS = List.of(EmberKeys.SHUFFLE_SERVICE_MAX_CONNECTIONS,
            EmberKeys.SHUFFLE_SERVICE_AUTH_TIMEOUT, EmberKeys.SHUFFLE_SERVICE_IDLE_TIMEOUT,
            EmberKeys.SHUFFLE_SERVICE_CONNECT_TIMEOUT);

    private ShuffleServiceLimits() {
    }

    /** The limits a configuration sets (each key's default where it sets none). */
    public static ConnectionLimits from(EmberConfig config) {
        requireNonNull(config, "config is null");
        return new ConnectionLimits(config.get(EmberKeys.SHUFFLE_SERVICE_MAX_CONNECTIONS),
                config.get(EmberKeys.SHUFFLE_SERVICE_AUTH_TIMEOUT), config.get(EmberKeys.SHUFFLE_SERVICE_IDLE_TIMEOUT),
                config.get(EmberKeys.SHUFFLE_SERVICE_CONNECT_TIMEOUT));
    }

    /** The limit settings a configuration sets explicitly, full keys to text, for an executor's settings. */
    public static Map<String, String> setValues(EmberConfig config) {
        requireNonNull(config, "config is null");
        Map<String, String> values = new LinkedHashMap<>();
        for (ConfigKey<?> key : KEYS) {
            if (config.core().isSet(key.name())) {
                values.put(key.name(), text(config, key));
            }
        }
        return values;
    }

    private static <T> String text(EmberConfig config, ConfigKey<T> key) {
        return key.type().format(config.get(key));
    }
}
