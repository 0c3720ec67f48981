package io.ember.api.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The standard {@link Settings}: a set of declared keys and the raw values given for them, parsed
 * and checked once, up front.
 *
 * <p>The host builds one per component from the merged configuration; plugin authors can build one
 * in unit tests with {@link #of(Collection, Map)}.
 *
 * <p>Immutable and thread-safe once built.
 */
public final class DeclaredSettings implements Settings {

    private static final String DEFAULT_ORIGIN = "default";

    private final String prefix;
    private final Map<String, ConfigKey<?>> fixedKeys;
    private final List<ConfigKey<?>> patternKeys;
    private final Map<String, Object> values;
    private final Map<String, String> origins;

    private DeclaredSettings(String prefix, Map<String, ConfigKey<?>> fixedKeys, List<ConfigKey<?>> patternKeys,
                             Map<String, Object> values, Map<String, String> origins) {
        this.prefix = prefix;
        this.fixedKeys = fixedKeys;
        this.patternKeys = patternKeys;
        this.values = values;
        this.origins = origins;
    }

    /** Starts building a view of {@code keys} whose full names carry {@code prefix}. */
    public static Builder builder(String prefix, Collection<? extends ConfigKey<?>> keys) {
        return new Builder(prefix, keys);
    }

    /**
     * A view with no prefix over {@code values} (relative keys to raw text), for tests.
     *
     * @throws InvalidSettingException for the first value that fails; when several do, the
     *     others are attached to it as {@linkplain Throwable#getSuppressed() suppressed} exceptions
     */
    public static DeclaredSettings of(Collection<? extends ConfigKey<?>> keys, Map<String, String> values) {
        Builder builder = builder("", keys);
        values.forEach((k, v) -> builder.set(k, v, "test"));
        return builder.build();
    }

    @Override
    public String prefix() {
        return prefix;
    }

    @Override
    public <T> T get(ConfigKey<T> key) {
        return find(key).orElseThrow(() -> new IllegalArgumentException(
                "no value and no default for " + prefix + key.name()));
    }

    @Override
    public <T> Optional<T> find(ConfigKey<T> key) {
        requireDeclared(key);
        if (key.isPattern()) {
            throw new IllegalArgumentException(prefix + key.name() + " is a pattern; pass the name too");
        }
        return lookup(key, key.name());
    }

    @Override
    public <T> T get(ConfigKey<T> pattern, String name) {
        return find(pattern, name).orElseThrow(() -> new IllegalArgumentException(
                "no value and no default for " + prefix + pattern.resolve(name)));
    }

    @Override
    public <T> Optional<T> find(ConfigKey<T> pattern, String name) {
        requireDeclared(pattern);
        return lookup(pattern, pattern.resolve(name));
    }

    @Override
    public Set<String> names(ConfigKey<?> pattern) {
        requireDeclared(pattern);
        Set<String> names = new TreeSet<>();
        for (String key : values.keySet()) {
            pattern.match(key).ifPresent(names::add);
        }
        return Collections.unmodifiableSet(names);
    }

    @Override
    public boolean isSet(String key) {
        return values.containsKey(key);
    }

    @Override
    public String origin(String key) {
        return origins.getOrDefault(key, DEFAULT_ORIGIN);
    }

    private <T> Optional<T> lookup(ConfigKey<T> key, String concreteName) {
        Object value = values.get(concreteName);
        if (value == null) {
            return key.defaultValue();
        }
        @SuppressWarnings("unchecked")
        T typed = (T) value;
        return Optional.of(typed);
    }

    private void requireDeclared(ConfigKey<?> key) {
        ConfigKey<?> declared = key.isPattern() ? patternKeys.stream().filter(k -> k == key || k.name().equals(key.name()))
                .findFirst().orElse(null) : fixedKeys.get(key.name());
        if (declared == null) {
            throw new IllegalArgumentException("key " + prefix + key.name() + " is not declared for this component");
        }
    }

    /**
     * Collects raw values with their origins, then parses and checks them all. Later
     * {@link #set} calls for the same key replace earlier ones (the caller applies precedence by
     * setting sources from lowest to highest).
     */
    public static final class Builder {
        private final String prefix;
        private final Map<String, ConfigKey<?>> fixedKeys = new LinkedHashMap<>();
        private final List<ConfigKey<?>> patternKeys = new ArrayList<>();
        private final Map<String, String> raw = new LinkedHashMap<>();
        private final Map<String, String> origins = new HashMap<>();

        private Builder(String prefix, Collection<? extends ConfigKey<?>> keys) {
            this.prefix = Objects.requireNonNull(prefix, "prefix is null");
            for (ConfigKey<?> key : keys) {
                if (key.isPattern()) {
                    if (patternKeys.stream().anyMatch(k -> k.name().equals(key.name()))) {
                        throw new IllegalArgumentException("key declared twice: " + prefix + key.name());
                    }
                    patternKeys.add(key);
                } else if (fixedKeys.putIfAbsent(key.name(), key) != null) {
                    throw new IllegalArgumentException("key declared twice: " + prefix + key.name());
                }
            }
        }

        /**
         * Gives a raw value to a key (relative to the prefix).
         *
         * @param origin where the value came from, e.g. {@code "conf/ember.properties:4"}
         */
        public Builder set(String key, String value, String origin) {
            Objects.requireNonNull(key, "key is null");
            Objects.requireNonNull(value, "value is null");
            raw.put(key, value);
            origins.put(key, Objects.requireNonNull(origin, "origin is null"));
            return this;
        }

        /** Every problem with the values given so far: unknown keys, bad values, missing required keys. */
        public List<InvalidSettingException> problems() {
            List<InvalidSettingException> problems = new ArrayList<>();
            parse(problems);
            return problems;
        }

        /**
         * The checked view.
         *
         * @throws InvalidSettingException when any value fails; with several problems the first is
         *     thrown and the others are attached as suppressed exceptions
         */
        public DeclaredSettings build() {
            List<InvalidSettingException> problems = new ArrayList<>();
            Map<String, Object> parsed = parse(problems);
            if (!problems.isEmpty()) {
                InvalidSettingException first = problems.get(0);
                problems.subList(1, problems.size()).forEach(first::addSuppressed);
                throw first;
            }
            return new DeclaredSettings(prefix, Map.copyOf(fixedKeys), List.copyOf(patternKeys),
                    Map.copyOf(parsed), Map.copyOf(origins));
        }

        private Map<String, Object> parse(List<InvalidSettingException> problems) {
            Map<String, Object> parsed = new HashMap<>();
            for (Map.Entry<String, String> entry : raw.entrySet()) {
                String key = entry.getKey();
                String origin = origins.get(key);
                ConfigKey<?> declared = declarationOf(key);
                if (declared == null) {
                    problems.add(new InvalidSettingException(prefix + key, origin, unknownKeyMessage(key)));
                    continue;
                }
                try {
                    parsed.put(key, declared.parse(entry.getValue()));
                } catch (IllegalArgumentException e) {
                    problems.add(new InvalidSettingException(prefix + key, origin, e.getMessage()));
                }
            }
            for (ConfigKey<?> key : fixedKeys.values()) {
                if (key.isRequired() && !raw.containsKey(key.name())) {
                    problems.add(new InvalidSettingException(prefix + key.name(), DEFAULT_ORIGIN,
                            "is required and has no value; expected " + key.allowedValues()));
                }
            }
            return parsed;
        }

        private ConfigKey<?> declarationOf(String key) {
            ConfigKey<?> fixed = fixedKeys.get(key);
            if (fixed != null) {
                return fixed;
            }
            for (ConfigKey<?> pattern : patternKeys) {
                if (pattern.match(key).isPresent()) {
                    return pattern;
                }
            }
            return null;
        }

        private String unknownKeyMessage(String key) {
            List<String> known = new ArrayList<>(fixedKeys.keySet());
            patternKeys.forEach(p -> known.add(p.name()));
            return Suggestions.closest(key, known)
                    .map(s -> "unknown key (did you mean " + prefix + s + "?)")
                    .orElse("unknown key");
        }
    }
}
