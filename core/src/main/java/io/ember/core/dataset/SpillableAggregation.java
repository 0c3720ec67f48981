package io.ember.core.dataset;

import static java.util.Objects.requireNonNull;

import io.ember.core.storage.SizeEstimator;
import io.ember.core.task.TaskContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.function.BiFunction;
import java.util.function.BinaryOperator;
import java.util.function.Function;

/**
 * A reduce task's hash aggregation that works on partitions larger than its memory: values are
 * folded into one combiner per key in a hash map that asks the task's memory before it grows; when
 * refused, the map is written to a spill file sorted by the keys' hash codes and starts again
 * empty. The result merges the map and every spill file in one pass (k-way, by hash code), merging
 * the combiners of equal keys, and streams one pair per key: only the keys of one hash code are
 * held at once, besides the open files' buffers.
 *
 * <p>Used by one task's thread; its spill files are deleted and its memory released when the task
 * ends.
 *
 * @param <K> the key type
 * @param <V> the value type
 * @param <C> the combiner type
 */
final class SpillableAggregation<K, V, C> extends SpillingBuffer {

    private static final Comparator<Map.Entry<?, ?>> BY_KEY_HASH =
            Comparator.comparingInt(entry -> hash(entry.getKey()));

    private final Function<V, C> create;
    private final BiFunction<C, V, C> add;
    private final BinaryOperator<C> merge;
    private Map<K, C> map = new HashMap<>();

    /**
     * @param create the combiner of a key's first value
     * @param add folds a further value into a combiner
     * @param merge merges two combiners of one key (from the map and spill files)
     */
    SpillableAggregation(TaskContext context, Function<V, C> create, BiFunction<C, V, C> add, BinaryOperator<C> merge,
                         SizeEstimator estimator) {
        super(context, estimator);
        this.create = requireNonNull(create, "create is null");
        this.add = requireNonNull(add, "add is null");
        this.merge = requireNonNull(merge, "merge is null");
    }

    /** Folds {@code value} into its key's combiner. */
    void insert(K key, V value) {
        C current = map.get(key);
        map.put(key, current == null && !map.containsKey(key) ? create.apply(value) : add.apply(current, value));
        inserted();
    }

    @Override
    protected Object buffer() {
        return map;
    }

    @Override
    protected boolean bufferIsEmpty() {
        return map.isEmpty();
    }

    @Override
    protected void writeBuffer(SpillFiles.Writer writer) {
        List<Map.Entry<K, C>> entries = new ArrayList<>(map.entrySet());
        entries.sort(BY_KEY_HASH);
        for (Map.Entry<K, C> entry : entries) {
            writer.write(entry.getKey());
            writer.write(entry.getValue());
        }
        map = new HashMap<>();
    }

    /**
     * One pair per key, every value folded in; streamed. No value may be inserted afterwards. The
     * memory is given back when the pairs have all been read, or when the task ends.
     */
    Iterator<Pair<K, C>> result() {
        List<Path> spills = startReading();
        List<Map.Entry<K, C>> inMemory = new ArrayList<>(map.entrySet());
        map = null;
        if (spills.isEmpty()) {
            return releasingAtTheEnd(inMemory.stream().map(e -> new Pair<>(e.getKey(), e.getValue())).iterator());
        }
        inMemory.sort(BY_KEY_HASH);
        List<Iterator<Pair<K, C>>> sources = new ArrayList<>(spills.size() + 1);
        sources.add(inMemory.stream().map(e -> new Pair<>(e.getKey(), e.getValue())).iterator());
        for (Path spill : spills) {
            sources.add(pairs(files.read(spill)));
        }
        return releasingAtTheEnd(new Merged(sources));
    }

    /** Pairs from a spill file written as key, combiner, key, combiner, ... */
    @SuppressWarnings("unchecked")
    private Iterator<Pair<K, C>> pairs(Iterator<Object> records) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return records.hasNext();
            }

            @Override
            public Pair<K, C> next() {
                K key = (K) records.next();
                if (!records.hasNext()) {
                    throw new IllegalStateException("a spill file ends after a key without its combiner");
                }
                return new Pair<>(key, (C) records.next());
            }
        };
    }

    static int hash(Object key) {
        return key == null ? 0 : key.hashCode();
    }

    /** The k-way merge of sources sorted by key hash: one pair per key, combiners of equal keys merged. */
    private final class Merged implements Iterator<Pair<K, C>> {

        /** A source and the pair it would give next. */
        private final class Head {
            final Iterator<Pair<K, C>> source;
            Pair<K, C> next;

            Head(Iterator<Pair<K, C>> source) {
                this.source = source;
                this.next = source.next();
            }

            /** Moves on; false when the source is exhausted. */
            boolean advance() {
                if (source.hasNext()) {
                    next = source.next();
                    return true;
                }
                return false;
            }
        }

        private final PriorityQueue<Head> heads = new PriorityQueue<>(Comparator.comparingInt(h -> hash(h.next.key())));
        /** The merged pairs of the current hash code, handed out one by one. */
        private final List<Pair<K, C>> group = new ArrayList<>();
        private int position;

        Merged(List<Iterator<Pair<K, C>>> sources) {
            for (Iterator<Pair<K, C>> source : sources) {
                if (source.hasNext()) {
                    heads.add(new Head(source));
                }
            }
        }

        @Override
        public boolean hasNext() {
            if (position < group.size()) {
                return true;
            }
            group.clear();
            position = 0;
            if (heads.isEmpty()) {
                return false;
            }
            int hash = hash(heads.peek().next.key());
            while (!heads.isEmpty() && hash(heads.peek().next.key()) == hash) {
                Head head = heads.poll();
                add(head.next);
                if (head.advance()) {
                    heads.add(head);
                }
                context.throwIfKilled();
            }
            return true;
        }

        /** Adds a pair to the current group, merging it into an equal key's. */
        private void add(Pair<K, C> pair) {
            for (int i = 0; i < group.size(); i++) {
                Pair<K, C> other = group.get(i);
                if (Objects.equals(other.key(), pair.key())) {
                    group.set(i, new Pair<>(other.key(), merge.apply(other.value(), pair.value())));
                    return;
                }
            }
            group.add(pair);
        }

        @Override
        public Pair<K, C> next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return group.get(position++);
        }
    }
}
