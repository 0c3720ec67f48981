package io.ember.plugins;

import static java.util.Objects.requireNonNull;

import io.ember.api.plugin.PolicyFactory;
import io.ember.api.plugin.PolicyKind;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The plugins accepted so far in one load, in load order, and the names they hold: plugin names,
 * and factory names within each {@link PolicyKind}. The first plugin to claim a name keeps it; a
 * later claimant is refused, never silently preferred.
 *
 * <p>Not thread-safe: belongs to the loading thread.
 */
final class PluginRegistry {

    private final Map<String, LoadedPlugin> pluginsByName = new LinkedHashMap<>();
    private final Map<PolicyKind, Map<String, LoadedPlugin>> offeredBy = new EnumMap<>(PolicyKind.class);

    PluginRegistry() {
        for (PolicyKind kind : PolicyKind.values()) {
            offeredBy.put(kind, new HashMap<>());
        }
    }

    /**
     * Accepts a plugin, or refuses it (accepting nothing of it) when its name or one of its factory
     * names is already taken.
     */
    void register(LoadedPlugin plugin) throws PluginRefusedException {
        requireNonNull(plugin, "plugin is null");
        LoadedPlugin sameName = pluginsByName.get(plugin.name());
        if (sameName != null) {
            throw new PluginRefusedException("the name '" + plugin.name() + "' is already taken by the plugin at " + sameName.location());
        }
        for (PolicyKind kind : PolicyKind.values()) {
            for (PolicyFactory factory : plugin.factories(kind)) {
                LoadedPlugin other = offeredBy.get(kind).get(factory.name());
                if (other != null) {
                    throw new PluginRefusedException("offers " + kind.id() + " '" + factory.name() + "', already offered by plugin '"
                            + other.name() + "' at " + other.location());
                }
            }
        }
        pluginsByName.put(plugin.name(), plugin);
        for (PolicyKind kind : PolicyKind.values()) {
            for (PolicyFactory factory : plugin.factories(kind)) {
                offeredBy.get(kind).put(factory.name(), plugin);
            }
        }
    }

    /** The accepted plugins, in the order they were registered. */
    List<LoadedPlugin> plugins() {
        return List.copyOf(new ArrayList<>(pluginsByName.values()));
    }
}
