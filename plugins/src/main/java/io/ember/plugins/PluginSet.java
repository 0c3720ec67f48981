package io.ember.plugins;

import static java.util.Objects.requireNonNull;

import io.ember.api.allocation.AllocationPolicyFactory;
import io.ember.api.plugin.PolicyFactory;
import io.ember.api.plugin.PolicyKind;
import io.ember.api.scheduler.SchedulerFactory;
import io.ember.api.shuffle.ShuffleManagerFactory;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * What one {@link PluginManager#load()} found: the plugins it loaded, in load order (built-ins
 * first, then the plugins directory in file name order), the plugins it refused, and every factory
 * by name.
 *
 * <p>The factories are the TCCL-safe wrappers described on {@link LoadedPlugin}. They stay usable
 * until the {@link PluginManager} that loaded them is closed.
 *
 * <p>Immutable and thread-safe.
 */
public final class PluginSet {

    private final List<LoadedPlugin> plugins;
    private final List<PluginRefusal> refusals;
    private final Map<String, SchedulerFactory> schedulerFactories;
    private final Map<String, AllocationPolicyFactory> allocationPolicyFactories;
    private final Map<String, ShuffleManagerFactory> shuffleManagerFactories;

    /**
     * @throws IllegalArgumentException when two plugins share a name or offer a factory of the same
     *     kind and name
     */
    PluginSet(List<LoadedPlugin> plugins, List<PluginRefusal> refusals) {
        this.plugins = List.copyOf(requireNonNull(plugins, "plugins is null"));
        this.refusals = List.copyOf(requireNonNull(refusals, "refusals is null"));
        if (this.plugins.stream().map(LoadedPlugin::name).distinct().count() != this.plugins.size()) {
            throw new IllegalArgumentException("plugin names are not unique: " + this.plugins.stream().map(LoadedPlugin::name).toList());
        }
        this.schedulerFactories = byName(PolicyKind.SCHEDULER, this.plugins, LoadedPlugin::schedulerFactories);
        this.allocationPolicyFactories = byName(PolicyKind.ALLOCATION, this.plugins, LoadedPlugin::allocationPolicyFactories);
        this.shuffleManagerFactories = byName(PolicyKind.SHUFFLE, this.plugins, LoadedPlugin::shuffleManagerFactories);
    }

    /** The loaded plugins, built-ins first, then in the plugins directory's file name order. */
    public List<LoadedPlugin> plugins() {
        return plugins;
    }

    /** The refused plugins, in the order they were met. */
    public List<PluginRefusal> refusals() {
        return refusals;
    }

    /** Every scheduler factory of every loaded plugin, by factory name, sorted. */
    public Map<String, SchedulerFactory> schedulerFactories() {
        return schedulerFactories;
    }

    /** Every allocation policy factory of every loaded plugin, by factory name, sorted. */
    public Map<String, AllocationPolicyFactory> allocationPolicyFactories() {
        return allocationPolicyFactories;
    }

    /** Every shuffle manager factory of every loaded plugin, by factory name, sorted. */
    public Map<String, ShuffleManagerFactory> shuffleManagerFactories() {
        return shuffleManagerFactories;
    }

    /** Every factory of one kind, by factory name, sorted. */
    public Map<String, ? extends PolicyFactory> factories(PolicyKind kind) {
        return switch (requireNonNull(kind, "kind is null")) {
            case SCHEDULER -> schedulerFactories;
            case ALLOCATION -> allocationPolicyFactories;
            case SHUFFLE -> shuffleManagerFactories;
        };
    }

    /** The plugin that offers the factory of this kind and name, if one does. */
    public Optional<LoadedPlugin> pluginOffering(PolicyKind kind, String factoryName) {
        requireNonNull(kind, "kind is null");
        requireNonNull(factoryName, "factoryName is null");
        return plugins.stream()
                .filter(plugin -> plugin.factories(kind).stream().anyMatch(factory -> factory.name().equals(factoryName)))
                .findFirst();
    }

    @Override
    public String toString() {
        return "PluginSet[plugins=" + plugins.stream().map(LoadedPlugin::name).toList() + ", refused=" + refusals.size() + "]";
    }

    private static <F extends PolicyFactory> Map<String, F> byName(PolicyKind kind, List<LoadedPlugin> plugins,
                                                                   Function<LoadedPlugin, List<F>> factories) {
        Map<String, F> byName = new TreeMap<>();
        for (LoadedPlugin plugin : plugins) {
            for (F factory : factories.apply(plugin)) {
                if (byName.putIfAbsent(factory.name(), factory) != null) {
                    throw new IllegalArgumentException(kind.id() + " '" + factory.name() + "' is offered twice, the second time by plugin '"
                            + plugin.name() + "'");
                }
            }
        }
        return Collections.unmodifiableMap(byName);
    }
}
