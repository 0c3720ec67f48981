package io.ember.core.bootstrap;

import static java.util.Objects.requireNonNull;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Module;
import com.google.inject.Stage;
import io.ember.core.config.EmberConfig;
import io.ember.core.plugin.PluginsModule;
import io.ember.core.plugin.SelectedPolicies;
import io.ember.plugins.PluginManager;
import io.ember.plugins.PluginSet;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A process's validated configuration and loaded plugins, and the root of its object graph.
 * Closing it closes the plugin class loaders; close it last.
 */
public final class EmberEnvironment implements AutoCloseable {

    private final LaunchContext launch;
    private final EmberConfig config;
    private final Optional<Path> pluginsDir;
    private final PluginManager pluginManager;
    private final PluginSet plugins;
    private final SelectedPolicies selected;

    EmberEnvironment(LaunchContext launch, EmberConfig config, Optional<Path> pluginsDir, PluginManager pluginManager,
                     PluginSet plugins, SelectedPolicies selected) {
        this.launch = requireNonNull(launch, "launch is null");
        this.config = requireNonNull(config, "config is null");
        this.pluginsDir = requireNonNull(pluginsDir, "pluginsDir is null");
        this.pluginManager = requireNonNull(pluginManager, "pluginManager is null");
        this.plugins = requireNonNull(plugins, "plugins is null");
        this.selected = requireNonNull(selected, "selected is null");
    }

    public LaunchContext launch() {
        return launch;
    }

    public EmberConfig config() {
        return config;
    }

    /**
     * The plugins directory the plugins were loaded from, absolute; empty for a process outside an
     * installation (built-in plugins only). See {@link Bootstrap#pluginsDir}.
     */
    public Optional<Path> pluginsDir() {
        return pluginsDir;
    }

    public PluginSet plugins() {
        return plugins;
    }

    public SelectedPolicies selected() {
        return selected;
    }

    /**
     * Builds an injector from the core modules (configuration, plugins and the selected policies,
     * the system clock) and the role's own modules.
     */
    public Injector createInjector(Module... roleModules) {
        List<Module> modules = new ArrayList<>();
        modules.add(new AbstractModule() {
            @Override
            protected void configure() {
                bind(EmberConfig.class).toInstance(config);
                bind(LaunchContext.class).toInstance(launch);
                bind(Clock.class).toInstance(Clock.systemUTC());
            }
        });
        modules.add(new PluginsModule(plugins));
        modules.addAll(List.of(roleModules));
        return Guice.createInjector(Stage.PRODUCTION, modules);
    }

    @Override
    public void close() {
        pluginManager.close();
    }
}
