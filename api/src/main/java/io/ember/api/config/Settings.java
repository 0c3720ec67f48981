package io.ember.api.config;

import java.util.Optional;
import java.util.Set;

/**
 * A typed, read-only view of the settings one component is given, with the component's prefix
 * stripped: the {@code fair} scheduler reads {@code pool.reports.weight}, whether the operator
 * wrote it as {@code pool.reports.weight} in {@code conf/scheduler-fair.properties} or as
 * {@code ember.scheduler.fair.pool.reports.weight} anywhere else.
 *
 * <p>Every value has been parsed and checked against its {@link ConfigKey} before the view is
 * handed out, so reading never fails for a declared key. Reading a key the component did not
 * declare is a programming error ({@link IllegalArgumentException}).
 *
 * <p>A factory that finds a combination of values it cannot accept (a minimum above a maximum, say)
 * throws {@link #invalid}, which names the key and where its value came from.
 *
 * <p>Implementations are immutable and thread-safe.
 */
public interface Settings {

    /**
     * The prefix stripped from the keys of this view, e.g. {@code "ember.scheduler.fair."}; empty
     * for the root view. Prepend it to name a key in messages.
     */
    String prefix();

    /**
     * The value of a fixed (non-pattern) key: the configured value, else the default.
     *
     * @throws IllegalArgumentException when the key was not declared for this view, is a pattern,
     *     or has neither a value nor a default (use {@link #find} for optional keys)
     */
    <T> T get(ConfigKey<T> key);

    /** The value of a fixed key, else its default, else empty. */
    <T> Optional<T> find(ConfigKey<T> key);

    /**
     * The value of one instance of a pattern key, else the pattern's default.
     *
     * @param pattern a key containing {@value ConfigKey#PLACEHOLDER}
     * @param name the placeholder value, e.g. {@code "reports"} for {@code pool.<name>.weight}
     * @throws IllegalArgumentException when the pattern was not declared for this view, or has
     *     neither a value for that name nor a default
     */
    <T> T get(ConfigKey<T> pattern, String name);

    /** The value of one instance of a pattern key, else its default, else empty. */
    <T> Optional<T> find(ConfigKey<T> pattern, String name);

    /**
     * The placeholder values configured for a pattern, in sorted order: for
     * {@code pool.<name>.weight} with {@code pool.a.weight} and {@code pool.b.weight} set,
     * {@code [a, b]}.
     */
    Set<String> names(ConfigKey<?> pattern);

    /** Whether a source set this (concrete, prefix-stripped) key, as opposed to its default. */
    boolean isSet(String key);

    /**
     * Where the value of this (concrete, prefix-stripped) key came from, for messages:
     * {@code "conf/scheduler-fair.properties:12"}, {@code "environment variable EMBER_X"},
     * {@code "system property -Dember.x"}, {@code "application setting"} or {@code "default"}.
     */
    String origin(String key);

    /**
     * An exception to throw when a value, though valid on its own, cannot be accepted; the message
     * names the full key, where its value came from and the reason. Put the offending value in the
     * reason: {@code invalid("minShare", "8 must not exceed maxShare (4)")}.
     *
     * @param key the concrete, prefix-stripped key
     * @param reason why the value is refused, with the value, e.g. {@code "5 must not exceed maxExecutors (4)"}
     */
    default InvalidSettingException invalid(String key, String reason) {
        return new InvalidSettingException(prefix() + key, origin(key), reason);
    }
}
