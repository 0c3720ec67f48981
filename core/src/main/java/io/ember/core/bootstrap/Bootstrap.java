package io.ember.core.bootstrap;

import static java.util.Objects.requireNonNull;

import io.ember.api.config.ConfigKey;
import io.ember.api.plugin.PolicyFactory;
import io.ember.api.plugin.PolicyKind;
import io.ember.core.config.ConfigException;
import io.ember.core.config.ConfigSources;
import io.ember.core.config.EmberConfig;
import io.ember.core.config.EmberKeys;
import io.ember.core.config.KeyCatalog;
import io.ember.core.plugin.PolicySelector;
import io.ember.core.plugin.SelectedPolicies;
import io.ember.plugins.PluginManager;
import io.ember.plugins.PluginSet;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Loads a process's configuration and plugins in the one order that works: read the raw sources,
 * find the plugins directory in them, load the plugins, then validate every setting against the
 * core's keys and the loaded factories' keys, and finally select the configured policies.
 *
 * <p>The steps are public so that {@code ember plugins} can list the plugins even when the
 * configuration is broken; {@link #load()} runs them all.
 */
public final class Bootstrap {

    private final LaunchContext launch;

    public Bootstrap(LaunchContext launch) {
        this.launch = requireNonNull(launch, "launch is null");
    }

    /** The raw, merged sources (files, environment, system properties, settings); nothing validated. */
    public ConfigSources readSources() {
        return ConfigSources.read(launch.confDir().orElse(null), launch.environment(),
                launch.systemProperties(), launch.settings());
    }

    /**
     * The plugins directory: {@code ember.plugins.dir} when set (relative to the home, else the
     * working directory), else {@code $EMBER_HOME/plugins}; empty for a process outside an
     * installation (no home, nothing set), which then has built-in plugins only.
     */
    public Optional<Path> pluginsDir(ConfigSources sources) {
        Optional<String> configured = sources.rawValue(EmberKeys.PLUGINS_DIR.name()).map(String::trim);
        if (configured.isEmpty() && launch.emberHome().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(launch.resolve(configured.orElseGet(() -> EmberKeys.PLUGINS_DIR.defaultValue().orElseThrow())));
    }

    /** Creates (but does not load) the plugin manager for the sources' plugins directory. */
    public PluginManager pluginManager(ConfigSources sources) {
        List<String> parentFirst = Arrays.stream(raw(sources, EmberKeys.PLUGINS_PARENT_FIRST_PACKAGES).split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .toList();
        return new PluginManager(pluginsDir(sources), parentFirst, Bootstrap.class.getClassLoader());
    }

    /** Every key that may be set: the core's and each loaded factory's. */
    public static KeyCatalog catalog(PluginSet plugins) {
        Map<PolicyKind, Map<String, List<ConfigKey<?>>>> policyKeys = new EnumMap<>(PolicyKind.class);
        for (PolicyKind kind : PolicyKind.values()) {
            Map<String, List<ConfigKey<?>>> byName = new LinkedHashMap<>();
            for (Map.Entry<String, ? extends PolicyFactory> entry : plugins.factories(kind).entrySet()) {
                byName.put(entry.getKey(), entry.getValue().configKeys());
            }
            policyKeys.put(kind, byName);
        }
        return new KeyCatalog(EmberKeys.all(), policyKeys);
    }

    /**
     * Runs every step.
     *
     * @throws ConfigException with every configuration problem found (the
     *     plugin manager is closed first)
     */
    public EmberEnvironment load() {
        ConfigSources sources = readSources();
        PluginManager manager = pluginManager(sources);
        try {
            PluginSet plugins = manager.load();
            EmberConfig config = EmberConfig.resolve(sources, catalog(plugins));
            SelectedPolicies selected = new PolicySelector(config.core(), plugins.refusals())
                    .select(plugins.schedulerFactories(), plugins.allocationPolicyFactories(),
                            plugins.shuffleManagerFactories());
            return new EmberEnvironment(launch, config, pluginsDir(sources), manager, plugins, selected);
        } catch (RuntimeException | Error e) {
            manager.close();
            throw e;
        }
    }

    private static String raw(ConfigSources sources, ConfigKey<String> key) {
        return sources.rawValue(key.name()).map(String::trim).orElseGet(() -> key.defaultValue().orElse(""));
    }
}
