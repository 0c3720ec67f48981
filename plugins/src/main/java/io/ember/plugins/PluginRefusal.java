package io.ember.plugins;

import static java.util.Objects.requireNonNull;

/**
 * Why a plugin was not loaded. Refusals are expected conditions (a stale JAR, a plugin built for
 * another API version); the host logs one line per refusal and carries on with the other plugins.
 *
 * <p>Immutable and thread-safe.
 *
 * @param plugin the plugin's name when it is known, else the name of its folder or JAR file
 * @param location the absolute path of the plugin folder or loose JAR, or for a built-in plugin
 *     {@code class path (<jar or directory>)}
 * @param reason what is wrong, naming the offending JAR, class or value
 */
public record PluginRefusal(String plugin, String location, String reason) {

    public PluginRefusal {
        requireNonNull(plugin, "plugin is null");
        requireNonNull(location, "location is null");
        requireNonNull(reason, "reason is null");
    }

    /** {@code plugin '<plugin>' at <location> refused: <reason>}. */
    @Override
    public String toString() {
        return "plugin '" + plugin + "' at " + location + " refused: " + reason;
    }
}
