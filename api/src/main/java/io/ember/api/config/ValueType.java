package io.ember.api.config;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a setting's text becomes a typed value, and back.
 *
 * <p>Instances are immutable and thread-safe. {@link #parse} throws
 * {@link IllegalArgumentException} with a message that states what was expected; the host adds the
 * key and the file.
 *
 * @param <T> the Java type of the value
 */
public final class ValueType<T> {

    private static final Pattern BYTES_TEXT = Pattern.compile("(\\d+)\\s*(b|k|kb|m|mb|g|gb|t|tb)?");

    /** Any text (trimmed). */
    public static final ValueType<String> STRING = new ValueType<>("a string", s -> s, s -> s);

    /** A 32-bit integer. */
    public static final ValueType<Integer> INT = new ValueType<>("an integer", Integer::valueOf, String::valueOf);

    /** A 64-bit integer. */
    public static final ValueType<Long> LONG = new ValueType<>("an integer", Long::valueOf, String::valueOf);

    /** A finite decimal number. */
    public static final ValueType<Double> DOUBLE = new ValueType<>("a number", ValueType::parseDouble, ValueType::formatDouble);

    /** {@code true} or {@code false}, in any case. */
    public static final ValueType<Boolean> BOOLEAN = new ValueType<>("true or false", ValueType::parseBoolean, String::valueOf);

    /**
     * A duration: a whole number with an optional unit {@code ms}, {@code s}, {@code m}, {@code h}
     * or {@code d}; no unit means milliseconds. Read by {@link Durations#parse}, written by
     * {@link Durations#format}.
     */
    public static final ValueType<Duration> DURATION =
            new ValueType<>("a duration such as 500ms, 5s, 2m or 1h", Durations::parse, Durations::format);

    /**
     * A size in bytes: a whole number with an optional unit {@code k}, {@code m}, {@code g} or
     * {@code t} (binary multiples, an optional trailing {@code b}); no unit means bytes.
     */
    public static final ValueType<Long> BYTES =
            new ValueType<>("a size such as 512k, 64m or 2g", ValueType::parseBytes, ValueType::formatBytes);

    private final String description;
    private final Function<String, T> parser;
    private final Function<T, String> formatter;

    private ValueType(String description, Function<String, T> parser, Function<T, String> formatter) {
        this.description = Objects.requireNonNull(description, "description is null");
        this.parser = Objects.requireNonNull(parser, "parser is null");
        this.formatter = Objects.requireNonNull(formatter, "formatter is null");
    }

    /**
     * A type of one's own, for values the built-in types do not cover.
     *
     * @param description what a valid value looks like, e.g. {@code "a host:port pair"}
     * @param parser turns trimmed text into a value or throws {@link IllegalArgumentException}
     *     (any other {@link RuntimeException} it throws is reported the same way)
     * @param formatter turns a value back into text that {@code parser} accepts
     */
    public static <T> ValueType<T> of(String description, Function<String, T> parser, Function<T, String> formatter) {
        return new ValueType<>(description, parser, formatter);
    }

    /** What a valid value looks like, e.g. {@code "an integer"}. */
    public String description() {
        return description;
    }

    /**
     * Parses trimmed text.
     *
     * @throws IllegalArgumentException saying what was expected
     */
    public T parse(String text) {
        String trimmed = Objects.requireNonNull(text, "text is null").trim();
        try {
            T value = parser.apply(trimmed);
            if (value == null) {
                throw new IllegalArgumentException("expected " + description);
            }
            return value;
        } catch (RuntimeException e) {
            // Parsers given to of() may throw anything (DateTimeParseException, say); every
            // failure to read the text is reported the same way.
            throw new IllegalArgumentException("'" + trimmed + "' is not " + description, e);
        }
    }

    /** The text form of a value, as {@link #parse} accepts it. */
    public String format(T value) {
        return formatter.apply(value);
    }

    @Override
    public String toString() {
        return description;
    }

    private static Double parseDouble(String s) {
        double d = Double.parseDouble(s);
        if (!Double.isFinite(d)) {
            throw new IllegalArgumentException("not finite");
        }
        return d;
    }

    private static String formatDouble(Double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf(d.longValue()) : String.valueOf(d);
    }

    private static Boolean parseBoolean(String s) {
        if (s.equalsIgnoreCase("true")) {
            return Boolean.TRUE;
        }
        if (s.equalsIgnoreCase("false")) {
            return Boolean.FALSE;
        }
        throw new IllegalArgumentException("not a boolean");
    }

    private static Long parseBytes(String s) {
        Matcher m = BYTES_TEXT.matcher(s.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("not a size");
        }
        long amount = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "b" : m.group(2).substring(0, 1);
        int shift = switch (unit) {
            case "b" -> 0;
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            case "t" -> 40;
            default -> throw new IllegalArgumentException("unknown unit " + unit);
        };
        if (shift > 0 && amount > (Long.MAX_VALUE >> shift)) {
            throw new ArithmeticException("size overflows a long");
        }
        return amount << shift;
    }

    private static String formatBytes(Long bytes) {
        String[] units = {"t", "g", "m", "k"};
        int[] shifts = {40, 30, 20, 10};
        for (int i = 0; i < units.length; i++) {
            long unit = 1L << shifts[i];
            if (bytes != 0 && bytes % unit == 0) {
                return (bytes / unit) + units[i];
            }
        }
        return String.valueOf(bytes);
    }
}
