package io.ember.core.config;

import io.ember.api.config.ConfigKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The keys one component declares, looked up by their names relative to its prefix. Immutable.
 */
final class KeySet {

    private final String prefix;
    private final List<ConfigKey<?>> keys;
    private final Map<String, ConfigKey<?>> fixed = new LinkedHashMap<>();
    private final List<ConfigKey<?>> patterns = new ArrayList<>();

    /**
     * @throws IllegalArgumentException when two keys share a name
     */
    KeySet(String prefix, List<ConfigKey<?>> keys) {
        this.prefix = prefix;
        this.keys = List.copyOf(keys);
        for (ConfigKey<?> key : this.keys) {
            boolean duplicate = key.isPattern()
                    ? patterns.stream().anyMatch(p -> p.name().equals(key.name()))
                    : fixed.containsKey(key.name());
            if (duplicate) {
                throw new IllegalArgumentException("key declared twice: " + prefix + key.name());
            }
            if (key.isPattern()) {
                patterns.add(key);
            } else {
                fixed.put(key.name(), key);
            }
        }
    }

    /** The prefix of these keys' full names: {@code ""} for the core, {@code ember.scheduler.fair.} for a policy. */
    String prefix() {
        return prefix;
    }

    /** The keys in declaration order. */
    List<ConfigKey<?>> keys() {
        return keys;
    }

    /** The declaration of a relative name: a fixed key of that name, else a pattern it matches. */
    Optional<ConfigKey<?>> find(String relativeName) {
        ConfigKey<?> key = fixed.get(relativeName);
        if (key != null) {
            return Optional.of(key);
        }
        return patterns.stream().filter(p -> p.match(relativeName).isPresent()).findFirst();
    }

    /** The relative names, patterns with their placeholder, in declaration order. */
    List<String> names() {
        return keys.stream().map(ConfigKey::name).toList();
    }

    /** The keys without a placeholder. */
    List<ConfigKey<?>> fixedKeys() {
        return List.copyOf(fixed.values());
    }
}
