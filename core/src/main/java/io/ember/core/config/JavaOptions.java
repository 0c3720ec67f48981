package io.ember.core.config;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;

/**
 * JVM options written as one string, as {@code ember.executor.javaOptions} holds them: white space
 * separates options, and double quotes group (and are removed), so {@code -Da=1  "-Db=x y" -Dc="p q"}
 * gives {@code -Da=1}, {@code -Db=x y} and {@code -Dc=p q}. There is no escape character: an option
 * cannot contain a double quote. Every option starts with {@code -}: a word without one would be
 * taken by the java launcher as the main class.
 */
public final class JavaOptions {

    /** What a valid string is, for the error that names a key holding an invalid one. */
    public static final String DESCRIPTION = "JVM options separated by spaces, each starting with '-' (enclose an "
            + "option that holds spaces in double quotes)";

    private JavaOptions() {
    }

    /**
     * Splits the string into options.
     *
     * @return the options, empty for an empty or blank string
     * @throws IllegalArgumentException when a quote is not closed, an option is empty ({@code ""}) or
     *     does not start with {@code -}, naming the string
     */
    public static List<String> split(String options) {
        requireNonNull(options, "options is null");
        List<String> result = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean inOption = false;
        boolean quoted = false;
        for (int i = 0; i < options.length(); i++) {
            char c = options.charAt(i);
            if (c == '"') {
                quoted = !quoted;
                inOption = true;
            } else if (Character.isWhitespace(c) && !quoted) {
                if (inOption) {
                    result.add(check(current.toString(), options));
                    current.setLength(0);
                    inOption = false;
                }
            } else {
                current.append(c);
                inOption = true;
            }
        }
        if (quoted) {
            throw new IllegalArgumentException("unclosed double quote in JVM options: " + options);
        }
        if (inOption) {
            result.add(check(current.toString(), options));
        }
        return List.copyOf(result);
    }

    /** Whether {@link #split} accepts the string. */
    public static boolean isValid(String options) {
        try {
            split(options);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String check(String option, String options) {
        if (option.isEmpty()) {
            throw new IllegalArgumentException("empty option (\"\") in JVM options: " + options);
        }
        if (!option.startsWith("-")) {
            throw new IllegalArgumentException("JVM option '" + option + "' does not start with '-' in: " + options);
        }
        return option;
    }
}
