package io.ember.core.web;

import static java.util.Objects.requireNonNull;

import io.ember.api.config.ConfigKey;
import io.ember.core.config.EmberConfig;
import io.ember.core.config.EmberKeys;

/**
 * Where a process's web server listens: its first port, and how many ports after it to try when it
 * is taken. Port 0 means the process serves no web UI.
 *
 * @param port the first port to try; 0 for no web server
 * @param retries how many ports after {@code port} to try ({@code ember.ui.portRetries})
 * @param setting the key {@code port} came from, named in log lines; empty when it came from code
 */
public record WebUiPort(int port, int retries, String setting) {

    /** No web server. */
    public static final WebUiPort OFF = new WebUiPort(0, 0, "");

    public WebUiPort {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("a web UI port must be in [0, 65535]: " + port);
        }
        if (retries < 0) {
            throw new IllegalArgumentException("port retries must be >= 0: " + retries);
        }
        requireNonNull(setting, "setting is null");
    }

    /** {@code port}, then up to {@code retries} ports after it, set in code. */
    public static WebUiPort of(int port, int retries) {
        return new WebUiPort(port, retries, "");
    }

    /** The port {@code key} sets, with {@code ember.ui.portRetries}. */
    public static WebUiPort from(EmberConfig config, ConfigKey<Integer> key) {
        requireNonNull(config, "config is null");
        requireNonNull(key, "key is null");
        return new WebUiPort(config.get(key), config.get(EmberKeys.UI_PORT_RETRIES), key.name());
    }

    /** Whether a web server is wanted at all. */
    public boolean enabled() {
        return port > 0;
    }
}
