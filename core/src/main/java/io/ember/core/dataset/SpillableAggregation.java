package io.ember.core.dataset;

import static java.util.Objects.requireNonNull;

import io.ember.core.storage.SizeEstimator;
import io.ember.core.task.TaskContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
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
 * empty. Once it has spilled, the result writes what the map still holds to one more file and
 * merges the files in one pass (k-way, by hash code), merging the combiners of equal keys, and
 * streams one pair per key: only the keys of one hash code are held at once, besides the open files'
 * buffers.
 *
 * <p>A combiner that grows with its values (a collection or map, or a pair of them: groupByKey's
 * lists, cogroup's) must fit in memory whole once merged: each spilled piece of one is written with
 * its estimated size, the merge asks the task's memory for a piece's size before it reads it, and
 * when the task cannot get that much it fails with a {@link KeyTooLargeException} naming the key and
 * the size, rather than running the executor out of heap.
 *
 * <p>Used by one task's thread; its spill files are deleted and its memory released when the task
 * ends.
 *
 * @param <K> the key type
 * @param <V> the value type
 * @param <C> the combiner type
 */
final class SpillableAggregation<K, V, C> extends SpillingBuffer {

    /** About the largest piece of a growing combiner a spill writes, when its splitter can cut it. */
    static final long PIECE_BYTES = 4 << 20;
    /** A growing combiner whose size extrapolates to this much is estimated in full when spilled. */
    static final long PRECISE_ABOVE_BYTES = 64 << 10;
    /** The pieces of one hash code the merge reads without asking for memory. */
    static final long UNACCOUNTED_GROUP_BYTES = 1 << 20;

    private static final Comparator<Map.Entry<?, ?>> BY_KEY_HASH =
            Comparator.comparingInt(entry -> hash(entry.getKey()));

    private final Function<V, C> create;
    private final BiFunction<C, V, C> add;
    private final BinaryOperator<C> merge;
    private final SizeEstimator estimator;
    private final CombinerSplitter<C> splitter;
    private Map<K, C> map = new HashMap<>();

    /**
     * @param create the combiner of a key's first value
     * @param add folds a further value into a combiner
     * @param merge merges two combiners of one key (from the map and spill files)
     */
    SpillableAggregation(TaskContext context, Function<V, C> create, BiFunction<C, V, C> add, BinaryOperator<C> merge,
                         SizeEstimator estimator) {
        this(context, create, add, merge, CombinerSplitter.whole(), estimator);
    }

    /**
     * @param splitter cuts a large growing combiner into parts of about {@value #PIECE_BYTES} bytes when
     *     it is spilled; {@code merge} must put the parts back together
     */
    SpillableAggregation(TaskContext context, Function<V, C> create, BiFunction<C, V, C> add, BinaryOperator<C> merge,
                         CombinerSplitter<C> splitter, SizeEstimator estimator) {
        super(context, estimator);
        this.splitter = requireNonNull(splitter, "splitter is null");
        this.create = requireNonNull(create, "create is null");
        this.add = requireNonNull(add, "add is null");
        this.merge = requireNonNull(merge, "merge is null");
        this.estimator = requireNonNull(estimator, "estimator is null");
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

    /**
     * Writes the map sorted by key hash as (key, size, combiner) triples: the size is the combiner's
     * estimated heap bytes when it grows with its values, else 0, so that the merge can ask for the
     * memory of a piece before it reads it. A large growing combiner goes in parts of about
     * {@value #PIECE_BYTES} bytes when the splitter can cut it, each its own triple of the same key.
     */
    @Override
    protected void writeBuffer(SpillFiles.Writer writer) {
        List<Map.Entry<K, C>> entries = new ArrayList<>(map.entrySet());
        entries.sort(BY_KEY_HASH);
        double bytesPerElement = 0;
        for (Map.Entry<K, C> entry : entries) {
            C combiner = entry.getValue();
            if (!grows(combiner)) {
                writer.write(entry.getKey());
                writer.write(0L);
                writer.write(combiner);
                continue;
            }
            // Estimated in full once per spill, and for any combiner that extrapolates as large; the
            // others (most, when groups are small) are sized from their element count.
            long elements = Math.max(1, elements(combiner));
            long bytes = (long) (bytesPerElement * elements);
            if (bytesPerElement == 0 || bytes >= PRECISE_ABOVE_BYTES) {
                bytes = estimator.estimate(combiner);
                bytesPerElement = Math.max(bytesPerElement, (double) bytes / elements);
            }
            int parts = splitter == CombinerSplitter.whole() ? 1
                    : (int) Math.max(1, Math.min(Integer.MAX_VALUE, (bytes + PIECE_BYTES - 1) / PIECE_BYTES));
            for (int i = 0; i < parts; i++) {
                writer.write(entry.getKey());
                writer.write(bytes / parts);
                writer.write(splitter.part(combiner, i, parts));
            }
            entry.setValue(null);   // its parts are on disk: let it go before the next one
        }
        map = new HashMap<>();
    }

    /**
     * One pair per key, every value folded in; streamed. No value may be inserted afterwards. The
     * memory is given back when the pairs have all been read, or when the task ends.
     *
     * @throws KeyTooLargeException while reading, when one key's growing combiner cannot get the memory
     *     it needs once merged
     */
    Iterator<Pair<K, C>> result() {
        List<Path> spills = startReadingFromDisk();
        if (spills.isEmpty()) {
            List<Map.Entry<K, C>> inMemory = new ArrayList<>(map.entrySet());
            map = null;
            return releasingAtTheEnd(inMemory.stream().map(e -> new Pair<>(e.getKey(), e.getValue())).iterator());
        }
        map = null;
        List<Source> sources = new ArrayList<>(spills.size());
        for (Path spill : spills) {
            sources.add(new Source(files.read(spill)));
        }
        return releasingAtTheEnd(new Merged(sources));
    }

    /** The elements of a growing combiner: of its collection or map, or of both sides of a pair. */
    static long elements(Object combiner) {
        if (combiner instanceof Collection<?> collection) {
            return collection.size();
        }
        if (combiner instanceof Map<?, ?> entries) {
            return entries.size();
        }
        if (combiner instanceof Pair<?, ?> pair) {
            return elements(pair.key()) + elements(pair.value());
        }
        return 1;
    }

    /** Whether a combiner grows with its values: a collection, a map, or a pair holding one. */
    static boolean grows(Object combiner) {
        return combiner instanceof Collection<?> || combiner instanceof Map<?, ?>
                || combiner instanceof Pair<?, ?> pair && (grows(pair.key()) || grows(pair.value()));
    }

    static int hash(Object key) {
        return key == null ? 0 : key.hashCode();
    }

    /**
     * One spill file, read as (key, size, combiner) triples: the key and size of the next piece are
     * read ahead, its combiner only when {@link #take() taken}, so that a large piece is read only once
     * its memory is held.
     */
    private final class Source {
        private final Iterator<Object> records;
        K key;
        long bytes;

        Source(Iterator<Object> records) {
            this.records = records;
        }

        /** Reads the next piece's key and size; false at the end of the file. */
        @SuppressWarnings("unchecked")
        boolean advance() {
            if (!records.hasNext()) {
                return false;
            }
            key = (K) records.next();
            bytes = (Long) following("size");
            return true;
        }

        /** The current piece's combiner; call once per {@link #advance}. */
        @SuppressWarnings("unchecked")
        C take() {
            return (C) following("combiner");
        }

        private Object following(String what) {
            if (!records.hasNext()) {
                throw new IllegalStateException("a spill file ends after a key without its " + what);
            }
            return records.next();
        }
    }

    /**
     * The k-way merge of the spill files by key hash: one pair per key, combiners of equal keys merged.
     * The pieces of growing combiners are accounted in the task's memory once a hash code's pieces
     * pass {@link #UNACCOUNTED_GROUP_BYTES}; below that, nothing is asked for, which keeps the merge of
     * small groups cheap.
     */
    private final class Merged implements Iterator<Pair<K, C>> {

        /** A key of the current hash code and its combiner so far. */
        private final class Merging {
            final K key;
            C value;
            int pieces;
            long bytes;

            Merging(K key) {
                this.key = key;
            }
        }

        private final PriorityQueue<Source> heads = new PriorityQueue<>(Comparator.comparingInt(s -> hash(s.key)));
        /** The merged pairs of the current hash code, handed out one by one. */
        private final List<Merging> group = new ArrayList<>();
        private int position;
        /** The estimated bytes of the current hash code's pieces read so far. */
        private long groupBytes;
        /** The memory held for them. */
        private long heldForGroup;

        Merged(List<Source> sources) {
            for (Source source : sources) {
                if (source.advance()) {
                    heads.add(source);
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
            groupBytes = 0;
            if (heldForGroup > 0) {
                release(heldForGroup);
                heldForGroup = 0;
            }
            if (heads.isEmpty()) {
                return false;
            }
            int hash = hash(heads.peek().key);
            while (!heads.isEmpty() && hash(heads.peek().key) == hash) {
                Source head = heads.poll();
                add(head);
                if (head.advance()) {
                    heads.add(head);
                }
                context.throwIfKilled();
            }
            return true;
        }

        /** Reads the head's piece into the current group, merging it into an equal key's. */
        private void add(Source head) {
            Merging into = null;
            for (Merging other : group) {
                if (Objects.equals(other.key, head.key)) {
                    into = other;
                    break;
                }
            }
            if (into == null) {
                into = new Merging(head.key);
                group.add(into);
            }
            hold(into, head.bytes);
            C piece = head.take();
            into.value = into.pieces == 0 ? piece : merge.apply(into.value, piece);
            into.pieces++;
        }

        /** Holds the memory of a piece of {@code bytes} before it is read; fails when it cannot be had. */
        private void hold(Merging into, long bytes) {
            into.bytes += bytes;
            groupBytes += bytes;
            if (groupBytes <= UNACCOUNTED_GROUP_BYTES || groupBytes <= heldForGroup) {
                return;
            }
            long wanted = groupBytes - heldForGroup;
            long granted = acquire(wanted);
            heldForGroup += granted;
            if (granted < wanted) {
                throw new KeyTooLargeException(into.key, into.bytes, used());
            }
        }

        @Override
        public Pair<K, C> next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            Merging merged = group.get(position++);
            return new Pair<>(merged.key, merged.value);
        }
    }
}
