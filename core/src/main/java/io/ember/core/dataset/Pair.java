package io.ember.core.dataset;

import java.io.Serializable;

/**
 * A key and a value, as {@link Dataset#keyBy} makes them. Either may be {@code null}. Serializable
 * when both are; equal when both parts are equal.
 *
 * @param key the key
 * @param value the value
 * @param <K> the key type
 * @param <V> the value type
 */
public record Pair<K, V>(K key, V value) implements Serializable {

    /** {@code (key, value)}. */
    @Override
    public String toString() {
        return "(" + key + ", " + value + ")";
    }
}
