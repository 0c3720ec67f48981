package io.ember.api.config;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as Ember's settings, command lines and messages write them. Every part of Ember (core
 * and plugins alike) reads and writes durations through this class, so they all speak one grammar.
 *
 * <p>{@link #parse} reads a whole, non-negative number followed by an optional unit:
 * <pre>
 *   duration = digits [ white space ] [ unit ]
 *   unit     = "ms" | "s" | "m" | "h" | "d"      (any case; no unit means milliseconds)
 * </pre>
 * {@code m} is minutes, {@code d} is 24 hours. White space around the text is ignored. Examples:
 * {@code 500ms}, {@code 500} (also 500 milliseconds), {@code 5s}, {@code 5 S}, {@code 2m},
 * {@code 1h}, {@code 7d}. Fractions ({@code 1.5s}), signs ({@code -1s}, {@code +1s}), other units
 * ({@code 5min}, {@code 1w}) and values beyond what a {@link Duration} holds are refused.
 *
 * <p>There are two ways to write a duration, for two audiences:
 * <ul>
 *   <li>{@link #format} writes text that {@link #parse} reads back to the same duration: the largest
 *       unit that divides it exactly, {@code 1500ms}, {@code 4s}, {@code 90m}, {@code 2d}. For
 *       settings files, documentation, command lines, and messages that quote a setting's value.
 *   <li>{@link #formatRounded} writes a measured time for a person to read in a log line or an error
 *       message: rounded to a millisecond below a second and to a tenth of a second above,
 *       {@code 250ms}, {@code 1.5s}, {@code 12.3s}, {@code 2m}. Its text is not meant to be parsed.
 * </ul>
 *
 * <p>Stateless and thread-safe. Since API 1.2.
 */
public final class Durations {

    private static final Pattern TEXT = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)?");
    private static final String GRAMMAR = "a whole number and a unit ms, s, m, h or d (such as 500ms, 5s, 2m, 1h)";

    private static final long SECONDS_PER_MINUTE = 60;
    private static final long SECONDS_PER_HOUR = 60 * SECONDS_PER_MINUTE;
    private static final long SECONDS_PER_DAY = 24 * SECONDS_PER_HOUR;

    private Durations() {
    }

    /**
     * Reads a duration written as the class documentation describes.
     *
     * @throws IllegalArgumentException naming the text and what was expected, when it does not
     *     follow the grammar or is too long for a {@link Duration}
     */
    public static Duration parse(String text) {
        requireNonNull(text, "text is null");
        String trimmed = text.strip();
        Matcher m = TEXT.matcher(trimmed.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + trimmed + "' is not a duration: expected " + GRAMMAR);
        }
        String unit = m.group(2) == null ? "ms" : m.group(2);
        try {
            long amount = Long.parseLong(m.group(1));
            return switch (unit) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                case "d" -> Duration.ofDays(amount);
                default -> throw new AssertionError("unit " + unit);
            };
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException("'" + trimmed + "' is too long for a duration", e);
        }
    }

    /**
     * Writes a duration so that {@link #parse} reads it back: a whole number of the largest unit
     * that divides it exactly ({@code 1500ms}, {@code 4s}, {@code 90m}, {@code 1h}, {@code 2d};
     * zero is {@code 0ms}). Below a millisecond is dropped. A negative duration is written with a
     * leading {@code -}, which {@link #parse} refuses.
     */
    public static String format(Duration duration) {
        requireNonNull(duration, "duration is null");
        if (duration.isNegative()) {
            return "-" + format(magnitude(duration));
        }
        long seconds = duration.getSeconds();
        if (duration.getNano() >= 1_000_000) {
            try {
                return duration.toMillis() + "ms";
            } catch (ArithmeticException tooLong) {
                // more milliseconds than a long holds: write the whole seconds
            }
        }
        if (seconds == 0) {
            return "0ms";
        }
        if (seconds % SECONDS_PER_DAY == 0) {
            return seconds / SECONDS_PER_DAY + "d";
        }
        if (seconds % SECONDS_PER_HOUR == 0) {
            return seconds / SECONDS_PER_HOUR + "h";
        }
        if (seconds % SECONDS_PER_MINUTE == 0) {
            return seconds / SECONDS_PER_MINUTE + "m";
        }
        return seconds + "s";
    }

    /**
     * Writes a measured time for people: whole milliseconds below a second ({@code 250ms}), tenths
     * of a second above ({@code 1.5s}, {@code 12.3s}), rounded half up; a time that rounds to a
     * whole number of seconds is written as {@link #format} writes it ({@code 10s}, {@code 90s},
     * {@code 2m}, {@code 1h}). A negative duration is written with a leading {@code -}.
     */
    public static String formatRounded(Duration duration) {
        requireNonNull(duration, "duration is null");
        if (duration.isNegative()) {
            return "-" + formatRounded(magnitude(duration));
        }
        long seconds = duration.getSeconds();
        int nanos = duration.getNano();
        if (seconds == 0) {
            long millis = Math.round(nanos / 1e6);
            if (millis < 1_000) {
                return millis + "ms";
            }
        }
        if (seconds >= Long.MAX_VALUE / 10 - 1) {
            return format(Duration.ofSeconds(seconds));
        }
        long tenths = seconds * 10 + Math.round(nanos / 1e8);
        if (tenths % 10 != 0) {
            return tenths / 10 + "." + tenths % 10 + "s";
        }
        return format(Duration.ofSeconds(tenths / 10));
    }

    /** The absolute value of a negative duration; the longest duration when that does not fit. */
    private static Duration magnitude(Duration negative) {
        try {
            return negative.negated();
        } catch (ArithmeticException e) {
            return Duration.ofSeconds(Long.MAX_VALUE, 999_999_999);
        }
    }
}
