package io.ember.core.worker;

import static java.util.Objects.requireNonNull;

import io.ember.api.config.ConfigKey;
import io.ember.api.config.Settings;
import io.ember.api.plugin.PolicyKind;
import io.ember.api.shuffle.ConnectionLimits;
import io.ember.api.shuffle.ShuffleManagerFactory;
import io.ember.core.bootstrap.EmberEnvironment;
import io.ember.core.config.EmberConfig;
import io.ember.core.config.EmberKeys;
import io.ember.core.config.ShuffleServiceLimits;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The shuffle side of a worker: the external shuffle service of its host, if any (embedded in the
 * worker, or run alone by {@code ember shuffle-service}), and the shuffle
 * settings it gives every executor it launches (so that an executor loads the same shuffle plugin,
 * with the same settings, as the service it registers with).
 *
 * <p>The executor settings are {@code ember.shuffle}, {@code ember.plugins.dir} (absolute, when the
 * worker has a plugins directory), {@code ember.plugins.parentFirstPackages} (when set) and every
 * non-sensitive {@code ember.shuffle.<name>.*} setting the worker's configuration sets, and the
 * {@code ember.shuffle.service.*} connection limits it sets (for an executor's own server). The worker
 * adds {@code ember.shuffle.service.port} (the port its service got) or
 * {@code ember.shuffle.service.enabled=false} at each launch.
 *
 * @param service the host's service; empty for none
 * @param executorSettings the settings every executor gets, full keys to text
 */
public record WorkerShuffle(Optional<Service> service, Map<String, String> executorSettings) {

    /**
     * The shuffle service of a worker's host.
     *
     * @param factory the selected shuffle ({@code ember.shuffle})
     * @param settings its settings ({@code ember.shuffle.<name>.*})
     * @param port {@code ember.shuffle.service.port}; 0 for any free port (embedded only)
     * @param embedded {@code ember.shuffle.service.embedded}: whether the worker starts it, or one
     *     {@code ember shuffle-service} runs on the host already listens on {@code port}
     * @param limits {@code ember.shuffle.service.maxConnections}, {@code .authTimeout} and
     *     {@code .idleTimeout}: the connection limits of a service the worker starts
     */
    public record Service(ShuffleManagerFactory factory, Settings settings, int port, boolean embedded,
                          ConnectionLimits limits) {
        /** @throws IllegalArgumentException for a port outside 0..65535, or 0 for a service the worker does not start */
        public Service {
            requireNonNull(factory, "factory is null");
            requireNonNull(settings, "settings is null");
            requireNonNull(limits, "limits is null");
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port must be in [0, 65535]: " + port);
            }
            if (port == 0 && !embedded) {
                throw new IllegalArgumentException(EmberKeys.SHUFFLE_SERVICE_PORT.name() + " must name the port of "
                        + "the host's ember shuffle-service (not 0) when " + EmberKeys.SHUFFLE_SERVICE_EMBEDDED.name()
                        + " is false");
            }
        }

        /** A service with the {@link ConnectionLimits#DEFAULTS default connection limits}. */
        public Service(ShuffleManagerFactory factory, Settings settings, int port, boolean embedded) {
            this(factory, settings, port, embedded, ConnectionLimits.DEFAULTS);
        }
    }

    public WorkerShuffle {
        requireNonNull(service, "service is null");
        executorSettings = Map.copyOf(requireNonNull(executorSettings, "executorSettings is null"));
    }

    /**
     * What the workers of a local cluster get: {@link #from} the environment, with each worker's
     * embedded service on a free port, since all of them share one host.
     */
    public static WorkerShuffle forLocalCluster(EmberEnvironment environment) {
        WorkerShuffle shuffle = from(environment);
        return new WorkerShuffle(shuffle.service().map(s -> new Service(s.factory(), s.settings(), 0, true, s.limits())),
                shuffle.executorSettings());
    }

    /**
     * No service, and no shuffle settings for executors: they use the default shuffle, found on
     * their class path, and serve their own blocks. What a worker started without a process
     * environment (a local cluster, a test) has.
     */
    public static WorkerShuffle none() {
        return new WorkerShuffle(Optional.empty(), Map.of());
    }

    /**
     * What a worker process's environment selects: the service of {@code ember.shuffle}'s plugin on
     * {@code ember.shuffle.service.port} when {@code ember.shuffle.service.enabled} (embedded unless
     * {@code ember.shuffle.service.embedded} is false), and the executor settings described in the
     * class documentation.
     *
     * @throws IllegalArgumentException when the service is not embedded and its port is 0
     */
    public static WorkerShuffle from(EmberEnvironment environment) {
        requireNonNull(environment, "environment is null");
        EmberConfig config = environment.config();
        ShuffleManagerFactory factory = environment.selected().shuffle();
        Settings settings = config.policy(PolicyKind.SHUFFLE, factory.name());
        Map<String, String> executorSettings = new LinkedHashMap<>();
        executorSettings.put(EmberKeys.SHUFFLE.name(), factory.name());
        environment.pluginsDir().ifPresent(dir -> executorSettings.put(EmberKeys.PLUGINS_DIR.name(), dir.toString()));
        if (config.core().isSet(EmberKeys.PLUGINS_PARENT_FIRST_PACKAGES.name())) {
            executorSettings.put(EmberKeys.PLUGINS_PARENT_FIRST_PACKAGES.name(),
                    config.get(EmberKeys.PLUGINS_PARENT_FIRST_PACKAGES));
        }
        executorSettings.putAll(setValues(settings, factory));
        executorSettings.putAll(ShuffleServiceLimits.setValues(config));
        Optional<Service> service = config.get(EmberKeys.SHUFFLE_SERVICE_ENABLED)
                ? Optional.of(new Service(factory, settings, config.get(EmberKeys.SHUFFLE_SERVICE_PORT),
                        config.get(EmberKeys.SHUFFLE_SERVICE_EMBEDDED), ShuffleServiceLimits.from(config)))
                : Optional.empty();
        return new WorkerShuffle(service, executorSettings);
    }

    /** The factory's settings a source set, as full keys to text; sensitive ones never leave the worker. */
    private static Map<String, String> setValues(Settings settings, ShuffleManagerFactory factory) {
        Map<String, String> values = new LinkedHashMap<>();
        for (ConfigKey<?> key : factory.configKeys()) {
            if (key.isSensitive()) {
                continue;
            }
            if (key.isPattern()) {
                for (String name : settings.names(key)) {
                    String relative = key.resolve(name);
                    if (settings.isSet(relative)) {
                        values.put(settings.prefix() + relative, patternText(settings, key, name));
                    }
                }
            } else if (settings.isSet(key.name())) {
                values.put(settings.prefix() + key.name(), text(settings, key));
            }
        }
        return values;
    }

    private static <T> String text(Settings settings, ConfigKey<T> key) {
        return key.type().format(settings.get(key));
    }

    private static <T> String patternText(Settings settings, ConfigKey<T> pattern, String name) {
        return pattern.type().format(settings.get(pattern, name));
    }
}
