package io.ember.plugins;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Thrown while a plugin is inspected or loaded when it must be refused. An expected condition, so it
 * carries no stack trace; its message is the refusal's reason.
 */
final class PluginRefusedException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String pluginName;

    PluginRefusedException(String reason) {
        this(null, reason);
    }

    private PluginRefusedException(String pluginName, String reason) {
        super(reason, null, false, false);
        this.pluginName = pluginName;
    }

    /**
     * A refusal because plugin code threw {@code failure} while doing {@code what}: names the root
     * cause's class and message, or the missing class when a class could not be linked.
     */
    static PluginRefusedException thrownBy(String what, Throwable failure) {
        Optional<NoClassDefFoundError> missing = causes(failure).stream()
                .filter(NoClassDefFoundError.class::isInstance)
                .map(NoClassDefFoundError.class::cast)
                .filter(e -> isClassName(e.getMessage()))
                .findFirst();
        if (missing.isPresent()) {
            String className = missing.get().getMessage().replace('/', '.');
            return new PluginRefusedException(what + " failed: class " + className
                    + " is missing (" + oneLine(missing.get().toString()) + "); bundle the JAR that holds it with the plugin");
        }
        return new PluginRefusedException(what + " threw " + describe(failure));
    }

    /** The same refusal, now that the plugin's name is known. */
    PluginRefusedException forPlugin(String name) {
        return pluginName != null ? this : new PluginRefusedException(name, getMessage());
    }

    /** The plugin's name, when it was known at the time of the refusal. */
    Optional<String> pluginName() {
        return Optional.ofNullable(pluginName);
    }

    /** A failure on one line: its root cause's class and message. */
    static String describe(Throwable failure) {
        List<Throwable> chain = causes(failure);
        Throwable root = chain.get(chain.size() - 1);
        return oneLine(root.getMessage() == null ? root.getClass().getName() : root.getClass().getName() + ": " + root.getMessage());
    }

    private static List<Throwable> causes(Throwable failure) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
            chain.add(t);
        }
        return chain;
    }

    private static boolean isClassName(String text) {
        return text != null && !text.isEmpty() && text.chars().noneMatch(Character::isWhitespace);
    }

    private static String oneLine(String text) {
        return text.replaceAll("\\s*\\R\\s*", " ").strip();
    }
}
