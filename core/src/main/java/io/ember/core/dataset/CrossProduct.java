package io.ember.core.dataset;

import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The pairs of one key's join, made one at a time as they are read: every left value with every
 * right value, and with an outer join a left value alone (paired with {@code null}) when the right
 * side has none. Nothing but the two lists is held, however large their product.
 */
final class CrossProduct<K, V, W> implements Iterator<Pair<K, Pair<V, W>>> {

    private final K key;
    private final List<V> lefts;
    private final List<W> rights;
    private final boolean keepLeftAlone;
    private int left;
    private int right;

    private CrossProduct(K key, List<V> lefts, List<W> rights, boolean keepLeftAlone) {
        this.key = key;
        this.lefts = lefts;
        this.rights = rights;
        this.keepLeftAlone = keepLeftAlone && rights.isEmpty();
    }

    /** Inner join: each left value with each right value. */
    static <K, V, W> Iterator<Pair<K, Pair<V, W>>> inner(K key, List<V> lefts, List<W> rights) {
        return new CrossProduct<>(key, lefts, rights, false);
    }

    /** Left outer join: as {@link #inner}, or each left value with {@code null} when there is no right value. */
    static <K, V, W> Iterator<Pair<K, Pair<V, W>>> leftOuter(K key, List<V> lefts, List<W> rights) {
        return new CrossProduct<>(key, lefts, rights, true);
    }

    @Override
    public boolean hasNext() {
        return left < lefts.size() && (keepLeftAlone || right < rights.size());
    }

    @Override
    public Pair<K, Pair<V, W>> next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        V value = lefts.get(left);
        if (keepLeftAlone) {
            left++;
            return new Pair<>(key, new Pair<>(value, null));
        }
        W other = rights.get(right++);
        if (right == rights.size()) {
            right = 0;
            left++;
        }
        return new Pair<>(key, new Pair<>(value, other));
    }
}
