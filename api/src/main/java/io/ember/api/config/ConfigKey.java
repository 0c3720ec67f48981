package io.ember.api.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The declaration of one setting: its name, type, default, documentation and the checks its
 * value must pass. Every setting Ember reads is declared exactly once as a {@code ConfigKey}; the
 * host validates every value against its declaration when the configuration is loaded, so a
 * factory reading {@link Settings} never meets a malformed value.
 *
 * <p>A name may contain one {@value #PLACEHOLDER} segment, making the key a <em>pattern</em> for a
 * family of settings: {@code pool.<name>.weight} declares {@code pool.reports.weight},
 * {@code pool.etl.weight}, and so on. The placeholder matches one segment of letters, digits,
 * {@code _} and {@code -}.
 *
 * <p>A plugin factory declares its keys relative to its own prefix (for the {@code fair} scheduler,
 * {@code pool.<name>.weight} is {@code ember.scheduler.fair.pool.<name>.weight} in
 * {@code ember.properties} and plain {@code pool.<name>.weight} in
 * {@code conf/scheduler-fair.properties}).
 *
 * <p>Immutable and thread-safe.
 *
 * @param <T> the type of the value
 */
public final class ConfigKey<T> {

    /** The placeholder segment that makes a key a pattern. */
    public static final String PLACEHOLDER = "<name>";

    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_-]+");

    private final String name;
    private final ValueType<T> type;
    private final T defaultValue;
    private final String defaultDescription;
    private final boolean required;
    private final boolean sensitive;
    private final String doc;
    private final List<Check<T>> checks;

    private ConfigKey(Builder<T> builder) {
        this.name = builder.name;
        this.type = builder.type;
        this.defaultValue = builder.defaultValue;
        this.defaultDescription = builder.defaultDescription;
        this.required = builder.required;
        this.sensitive = builder.sensitive;
        this.doc = builder.doc;
        this.checks = List.copyOf(builder.checks);
    }

    /** Starts a key of any {@link ValueType}. */
    public static <T> Builder<T> key(String name, ValueType<T> type) {
        return new Builder<>(name, type);
    }

    /** Starts a string key. */
    public static Builder<String> stringKey(String name) {
        return key(name, ValueType.STRING);
    }

    /** Starts a key whose value is one of a fixed set of words, matched ignoring case. */
    public static Builder<String> choiceKey(String name, String... allowed) {
        List<String> words = Arrays.stream(allowed).map(w -> Objects.requireNonNull(w, "allowed word is null")).toList();
        if (words.isEmpty()) {
            throw new IllegalArgumentException("a choice key needs at least one allowed value: " + name);
        }
        String description = "one of " + String.join(", ", words);
        ValueType<String> type = ValueType.of(description, text -> words.stream()
                .filter(w -> w.equalsIgnoreCase(text))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("not one of " + words)), w -> w);
        return key(name, type);
    }

    /** Starts an {@code int} key. */
    public static Builder<Integer> intKey(String name) {
        return key(name, ValueType.INT);
    }

    /** Starts a {@code long} key. */
    public static Builder<Long> longKey(String name) {
        return key(name, ValueType.LONG);
    }

    /** Starts a {@code double} key. */
    public static Builder<Double> doubleKey(String name) {
        return key(name, ValueType.DOUBLE);
    }

    /** Starts a boolean key. */
    public static Builder<Boolean> booleanKey(String name) {
        return key(name, ValueType.BOOLEAN);
    }

    /** Starts a duration key ({@code 500ms}, {@code 5s}, {@code 2m}). */
    public static Builder<Duration> durationKey(String name) {
        return key(name, ValueType.DURATION);
    }

    /** Starts a size key in bytes ({@code 64m}, {@code 2g}). */
    public static Builder<Long> bytesKey(String name) {
        return key(name, ValueType.BYTES);
    }

    /** The key's name, possibly containing {@value #PLACEHOLDER}. */
    public String name() {
        return name;
    }

    /** The value type. */
    public ValueType<T> type() {
        return type;
    }

    /** The default, when the key has one. */
    public Optional<T> defaultValue() {
        return Optional.ofNullable(defaultValue);
    }

    /**
     * The default as documentation shows it: the formatted default value, or the text given to
     * {@link Builder#defaultDescription(String)} (such as {@code "unbounded"}), or {@code "(none)"}.
     */
    public String defaultText() {
        if (defaultDescription != null) {
            return defaultDescription;
        }
        return defaultValue == null ? "(none)" : type.format(defaultValue);
    }

    /** Whether a value must be given (a required key has no default). */
    public boolean isRequired() {
        return required;
    }

    /** One or more sentences saying what the setting does. */
    public String doc() {
        return doc;
    }

    /** Whether the name contains the {@value #PLACEHOLDER} segment. */
    public boolean isPattern() {
        return name.contains(PLACEHOLDER);
    }

    /**
     * What a valid value looks like, for error messages and documentation, e.g.
     * {@code "an integer, at least 1"}.
     */
    public String allowedValues() {
        if (checks.isEmpty()) {
            return type.description();
        }
        return type.description() + ", " + checks.stream().map(Check::description).collect(Collectors.joining(", "));
    }

    /**
     * Parses and checks a value.
     *
     * @throws IllegalArgumentException whose message says what the value is and what is allowed,
     *     without the key (the caller adds key and origin)
     */
    public T parse(String text) {
        T value;
        try {
            value = type.parse(text);
        } catch (IllegalArgumentException e) {
            if (sensitive) {
                throw new IllegalArgumentException("the value (not shown) is not " + type.description()
                        + "; expected " + allowedValues());
            }
            throw new IllegalArgumentException(e.getMessage() + "; expected " + allowedValues(), e);
        }
        for (Check<T> check : checks) {
            if (!check.test().test(value)) {
                String shown = sensitive ? "the value (not shown)" : "'" + text.trim() + "'";
                throw new IllegalArgumentException(shown + " is not allowed; expected " + allowedValues());
            }
        }
        return value;
    }

    /** Whether the value is a secret: never shown in messages, logs or listings. */
    public boolean isSensitive() {
        return sensitive;
    }

    /**
     * The concrete name for a placeholder value: {@code pool.<name>.weight} with {@code "etl"} is
     * {@code pool.etl.weight}.
     *
     * @throws IllegalStateException when this key is not a pattern
     * @throws IllegalArgumentException when the value is not one segment
     */
    public String resolve(String placeholderValue) {
        if (!isPattern()) {
            throw new IllegalStateException("key is not a pattern: " + name);
        }
        if (placeholderValue == null || !SEGMENT.matcher(placeholderValue).matches()) {
            throw new IllegalArgumentException("not a valid name for " + name + ": '" + placeholderValue + "'");
        }
        return name.replace(PLACEHOLDER, placeholderValue);
    }

    /**
     * The placeholder value when {@code concreteName} is an instance of this pattern
     * ({@code pool.etl.weight} gives {@code etl}); empty when it is not, or when this key is not a
     * pattern.
     */
    public Optional<String> match(String concreteName) {
        if (!isPattern()) {
            return Optional.empty();
        }
        int at = name.indexOf(PLACEHOLDER);
        String before = name.substring(0, at);
        String after = name.substring(at + PLACEHOLDER.length());
        if (concreteName.length() <= before.length() + after.length()
                || !concreteName.startsWith(before) || !concreteName.endsWith(after)) {
            return Optional.empty();
        }
        String middle = concreteName.substring(before.length(), concreteName.length() - after.length());
        return SEGMENT.matcher(middle).matches() ? Optional.of(middle) : Optional.empty();
    }

    @Override
    public String toString() {
        return name;
    }

    private record Check<T>(Predicate<T> test, String description) {
    }

    private record Bound<T>(Comparable<T> comparable, T value, boolean inclusive, String description) {
    }

    /**
     * Builds a {@link ConfigKey}. Contradictory declarations are rejected by {@link #build()}: a
     * missing doc, a required key with a default, a required pattern key, a default that fails
     * its own checks or that its type cannot read back from its text form, bounds that no value
     * can meet (such as {@code min(10).max(5)}). A malformed name is rejected at once.
     *
     * @param <T> the value type
     */
    public static final class Builder<T> {
        private final String name;
        private final ValueType<T> type;
        private final List<Check<T>> checks = new ArrayList<>();
        private final List<Bound<T>> lowerBounds = new ArrayList<>();
        private final List<Bound<T>> upperBounds = new ArrayList<>();
        private T defaultValue;
        private String defaultDescription;
        private boolean required;
        private boolean sensitive;
        private String doc;

        private Builder(String name, ValueType<T> type) {
            this.name = Objects.requireNonNull(name, "name is null");
            this.type = Objects.requireNonNull(type, "type is null");
            if (name.isBlank() || name.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException("key name must be non-empty without spaces: '" + name + "'");
            }
            int first = name.indexOf(PLACEHOLDER);
            if (first >= 0 && name.indexOf(PLACEHOLDER, first + 1) >= 0) {
                throw new IllegalArgumentException("key name may contain " + PLACEHOLDER + " at most once: " + name);
            }
            for (String segment : name.split("\\.", -1)) {
                if (segment.isEmpty()) {
                    throw new IllegalArgumentException("key name has an empty segment: '" + name + "'");
                }
                if ((segment.contains("<") || segment.contains(">")) && !segment.equals(PLACEHOLDER)) {
                    throw new IllegalArgumentException(
                            "key name may use " + PLACEHOLDER + " only as a whole segment: '" + name + "'");
                }
            }
        }

        /** The value used when no source sets the key. */
        public Builder<T> defaultValue(T value) {
            this.defaultValue = Objects.requireNonNull(value, "default value is null");
            return this;
        }

        /**
         * How documentation shows the default when it is not a plain value, e.g. {@code "unbounded"}
         * or {@code "the value of schedulerBacklogTimeout"}.
         */
        public Builder<T> defaultDescription(String description) {
            this.defaultDescription = Objects.requireNonNull(description, "default description is null");
            return this;
        }

        /** The value is a secret: error messages say "the value (not shown)" instead of repeating it. */
        public Builder<T> sensitive() {
            this.sensitive = true;
            return this;
        }

        /** The key must be given a value; loading fails without one. */
        public Builder<T> required() {
            this.required = true;
            return this;
        }

        /** What the setting does, for {@code docs/configuration.md} and the conf templates. */
        public Builder<T> doc(String doc) {
            this.doc = Objects.requireNonNull(doc, "doc is null");
            return this;
        }

        /** The value must be at least {@code min}. */
        public Builder<T> min(T min) {
            Comparable<T> bound = comparable(min);
            String description = "at least " + type.format(min);
            lowerBounds.add(new Bound<>(bound, min, true, description));
            return check(v -> bound.compareTo(v) <= 0, description);
        }

        /** The value must be at most {@code max}. */
        public Builder<T> max(T max) {
            Comparable<T> bound = comparable(max);
            String description = "at most " + type.format(max);
            upperBounds.add(new Bound<>(bound, max, true, description));
            return check(v -> bound.compareTo(v) >= 0, description);
        }

        /** The value must be greater than {@code bound}. */
        public Builder<T> greaterThan(T bound) {
            Comparable<T> b = comparable(bound);
            String description = "greater than " + type.format(bound);
            lowerBounds.add(new Bound<>(b, bound, false, description));
            return check(v -> b.compareTo(v) < 0, description);
        }

        /** Any further check, described for error messages (e.g. {@code "a power of two"}). */
        public Builder<T> check(Predicate<T> test, String description) {
            checks.add(new Check<>(Objects.requireNonNull(test, "test is null"),
                    Objects.requireNonNull(description, "description is null")));
            return this;
        }

        /** The declaration. */
        public ConfigKey<T> build() {
            if (doc == null || doc.isBlank()) {
                throw new IllegalStateException("key " + name + " has no doc");
            }
            if (required && defaultValue != null) {
                throw new IllegalStateException("key " + name + " is required and has a default");
            }
            if (required && name.contains(PLACEHOLDER)) {
                throw new IllegalStateException("pattern key " + name + " cannot be required");
            }
            for (Bound<T> low : lowerBounds) {
                for (Bound<T> high : upperBounds) {
                    int order = low.comparable().compareTo(high.value());
                    if (order > 0 || (order == 0 && !low.inclusive())) {
                        throw new IllegalStateException("key " + name + " has bounds no value can meet: "
                                + low.description() + " and " + high.description());
                    }
                }
            }
            if (defaultValue != null) {
                try {
                    type.parse(type.format(defaultValue));
                } catch (RuntimeException e) {
                    throw new IllegalStateException("default of " + name + " cannot be written and read back as "
                            + type.description() + ": " + e.getMessage(), e);
                }
                for (Check<T> check : checks) {
                    if (!check.test().test(defaultValue)) {
                        throw new IllegalStateException("default of " + name + " (" + type.format(defaultValue)
                                + ") fails its own check: " + check.description());
                    }
                }
            }
            return new ConfigKey<>(this);
        }

        @SuppressWarnings("unchecked")
        private Comparable<T> comparable(T bound) {
            Objects.requireNonNull(bound, "bound is null");
            if (!(bound instanceof Comparable<?>)) {
                throw new IllegalArgumentException("bounds need a comparable type, not " + bound.getClass().getName());
            }
            return (Comparable<T>) bound;
        }
    }
}
