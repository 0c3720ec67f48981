package io.ember.plugins;

import static java.util.Objects.requireNonNull;

import io.ember.api.ApiVersion;
import io.ember.api.allocation.AllocationPolicyFactory;
import io.ember.api.plugin.PolicyFactory;
import io.ember.api.plugin.PolicyKind;
import io.ember.api.scheduler.SchedulerFactory;
import io.ember.api.shuffle.ShuffleManagerFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * A plugin the host accepted, and what it offers.
 *
 * <p>The factories are wrappers: every call into them, and into the policies, queues and managers
 * they create, runs with {@link #classLoader()} as the thread context class loader. Their
 * {@code name()}, {@code description()} and {@code configKeys()} are the answers the plugin gave at
 * load time. The factories are as thread-safe as the plugin's own.
 *
 * @param name the plugin's name, unique among the loaded plugins
 * @param version the providing JAR's {@code Implementation-Version}, else {@code "unknown"}
 * @param apiVersion the API version the plugin was built against
 * @param location the absolute path of the plugin folder or loose JAR, or for a built-in plugin
 *     {@code class path (<jar or directory>)}
 * @param builtIn whether the plugin came from the host's own class path rather than the plugins
 *     directory
 * @param classLoader the loader of the plugin's classes: a {@link PluginClassLoader} for a plugin
 *     from the plugins directory, the host's loader for a built-in
 * @param schedulerFactories the scheduler factories it offers, in the plugin's order
 * @param allocationPolicyFactories the allocation policy factories it offers, in the plugin's order
 * @param shuffleManagerFactories the shuffle manager factories it offers, in the plugin's order
 */
public record LoadedPlugin(String name, String version, ApiVersion apiVersion, String location, boolean builtIn,
                           ClassLoader classLoader, List<SchedulerFactory> schedulerFactories,
                           List<AllocationPolicyFactory> allocationPolicyFactories,
                           List<ShuffleManagerFactory> shuffleManagerFactories) {

    public LoadedPlugin {
        requireNonNull(name, "name is null");
        requireNonNull(version, "version is null");
        requireNonNull(apiVersion, "apiVersion is null");
        requireNonNull(location, "location is null");
        requireNonNull(classLoader, "classLoader is null");
        schedulerFactories = List.copyOf(requireNonNull(schedulerFactories, "schedulerFactories is null"));
        allocationPolicyFactories = List.copyOf(requireNonNull(allocationPolicyFactories, "allocationPolicyFactories is null"));
        shuffleManagerFactories = List.copyOf(requireNonNull(shuffleManagerFactories, "shuffleManagerFactories is null"));
    }

    /** The factories of one kind this plugin offers. */
    public List<? extends PolicyFactory> factories(PolicyKind kind) {
        return switch (requireNonNull(kind, "kind is null")) {
            case SCHEDULER -> schedulerFactories;
            case ALLOCATION -> allocationPolicyFactories;
            case SHUFFLE -> shuffleManagerFactories;
        };
    }

    /**
     * What the plugin offers, for people: {@code "scheduler fair, allocation dynamic"}, or
     * {@code "nothing"}.
     */
    public String offerings() {
        List<String> offerings = new ArrayList<>();
        for (PolicyKind kind : PolicyKind.values()) {
            for (PolicyFactory factory : factories(kind)) {
                offerings.add(kind.id() + " " + factory.name());
            }
        }
        return offerings.isEmpty() ? "nothing" : String.join(", ", offerings);
    }
}
