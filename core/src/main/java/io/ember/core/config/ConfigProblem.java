package io.ember.core.config;

import static java.util.Objects.requireNonNull;

import java.io.Serializable;

/**
 * One thing wrong with the configuration. Immutable.
 *
 * @param key the key as Ember knows it ({@code ember.task.cpus}, or for an unknown environment
 *     variable the variable's name); empty when the problem concerns a whole file
 * @param origin where the offending text is: {@code conf/ember.properties:12},
 *     {@code environment variable EMBER_TASK_CPUS}, {@code system property -Dember.task.cpus},
 *     {@code application setting} or {@code default}
 * @param message what is wrong, with the offending value and what is allowed
 */
public record ConfigProblem(String key, String origin, String message) implements Serializable {

    public ConfigProblem {
        requireNonNull(key, "key is null");
        requireNonNull(origin, "origin is null");
        requireNonNull(message, "message is null");
    }

    /** One line: {@code key (origin): message}, or {@code origin: message} without a key. */
    public String describe() {
        return key.isEmpty() ? origin + ": " + message : key + " (" + origin + "): " + message;
    }

    @Override
    public String toString() {
        return describe();
    }
}
