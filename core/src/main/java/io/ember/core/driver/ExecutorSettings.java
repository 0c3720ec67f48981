package io.ember.core.driver;

import io.ember.api.config.ConfigKey;
import io.ember.core.config.EmberConfig;
import io.ember.core.config.EmberKeys;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How each {@code ember.executor.*} and {@code ember.memory.*} setting of an application reaches its
 * executors, on every kind of cluster: a standalone worker starts an executor with the application's
 * settings, never with its own in their place. {@code ExecutorSettingsTest} fails when a new such key
 * has no route here.
 */
final class ExecutorSettings {

    /** The road a setting takes. */
    enum Route {
        /** In the application's registration with the master, which sizes, places and relaunches executors by it. */
        APPLICATION,
        /** In the settings the worker starts each executor with: its JVM options and its configuration. */
        LAUNCH,
        /** Sent by the driver to each executor when it registers. */
        REGISTRATION,
        /** The driver's own: how many executors it asks for, when it gives one up. */
        DRIVER
    }

    static final Map<ConfigKey<?>, Route> ROUTES = Map.of(
            EmberKeys.EXECUTOR_CORES, Route.APPLICATION,
            EmberKeys.EXECUTOR_MEMORY, Route.APPLICATION,
            EmberKeys.EXECUTOR_JAVA_OPTIONS, Route.LAUNCH,
            EmberKeys.EXECUTOR_HEARTBEAT_INTERVAL, Route.LAUNCH,
            EmberKeys.MEMORY_FRACTION, Route.REGISTRATION,
            EmberKeys.MEMORY_STORAGE_FRACTION, Route.REGISTRATION,
            EmberKeys.EXECUTOR_MAX_LAUNCH_FAILURES, Route.APPLICATION,
            EmberKeys.EXECUTOR_MAX_FAILURES, Route.APPLICATION,
            EmberKeys.EXECUTOR_INSTANCES, Route.DRIVER,
            EmberKeys.EXECUTOR_HEARTBEAT_TIMEOUT, Route.DRIVER);

    private ExecutorSettings() {
    }

    /**
     * The settings every executor of the application starts with: the cluster it belongs to, and the
     * application's settings that take the {@link Route#LAUNCH} road (JVM options only when set).
     */
    static Map<String, String> forLaunch(EmberConfig config, String cluster) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put(EmberKeys.CLUSTER.name(), cluster);
        settings.put(EmberKeys.ZOOKEEPER_SESSION_TIMEOUT.name(), text(config, EmberKeys.ZOOKEEPER_SESSION_TIMEOUT));
        settings.put(EmberKeys.EXECUTOR_HEARTBEAT_INTERVAL.name(), text(config, EmberKeys.EXECUTOR_HEARTBEAT_INTERVAL));
        String javaOptions = config.get(EmberKeys.EXECUTOR_JAVA_OPTIONS);
        if (!javaOptions.isBlank()) {
            settings.put(EmberKeys.EXECUTOR_JAVA_OPTIONS.name(), javaOptions);
        }
        return settings;
    }

    private static <T> String text(EmberConfig config, ConfigKey<T> key) {
        return key.type().format(config.get(key));
    }
}
