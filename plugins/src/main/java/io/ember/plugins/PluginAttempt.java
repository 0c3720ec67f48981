package io.ember.plugins;

import static java.util.Objects.requireNonNull;

/** The outcome of trying to load one plugin, before its names are checked against the others. */
sealed interface PluginAttempt {

    /** The plugin loaded; it still has to be registered. */
    record Loaded(LoadedPlugin plugin) implements PluginAttempt {
        public Loaded {
            requireNonNull(plugin, "plugin is null");
        }
    }

    /** The plugin was refused; anything it had opened is closed. */
    record Refused(PluginRefusal refusal) implements PluginAttempt {
        public Refused {
            requireNonNull(refusal, "refusal is null");
        }
    }
}
