package io.ember.core.dataset;

import static java.util.Objects.requireNonNull;

import io.ember.core.memory.MemoryConsumer;
import io.ember.core.storage.SizeEstimator;
import io.ember.core.task.TaskContext;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A map task's combine of values per key before they are shuffled, within the task's memory: the
 * table's size is estimated in bytes as it grows ({@link SizeTracker}), it asks the task's memory for
 * twice that whenever it outgrows what it holds, and when refused (or when another buffer of the task
 * needs memory) it writes its partial combiners out to the shuffle and starts again empty (it looks
 * at its size every {@value #UPDATES_PER_LOOK} updates); the reduce
 * side merges the partial combiners of a key. It also writes out at {@value #KEY_LIMIT} keys, memory
 * or not: a table that stays within the processor's caches combines faster than a large one (measured
 * by the {@code shuffle-reduce} benchmark), and at that many distinct keys a larger table rarely
 * combines more.
 *
 * <p>Used by one task's thread; {@link #finish()} writes the rest and gives the memory back.
 *
 * @param <K> the key type
 * @param <V> the value type
 * @param <C> the combiner type
 */
final class MapSideCombine<K, V, C> extends MemoryConsumer {

    /** Keys the table holds before it writes them out, whatever their size. */
    static final int KEY_LIMIT = 65_536;
    /**
     * Updates between two looks at the table's size: the look costs more than a combine, and 32
     * updates more than the estimate are a few KB for most records (measured by {@code wordcount}).
     */
    static final int UPDATES_PER_LOOK = 32;

    private final Aggregator<V, C> aggregator;
    private final Consumer<Map<K, C>> out;
    private final TaskContext context;
    private final SizeTracker size;
    private final Map<K, C> combined = new HashMap<>();
    private long records;
    /** Updates since the table's size was last looked at. */
    private int unlooked;
    private int writeOuts;
    /** While the table is being written out: the shuffle writer asking for memory must not start another. */
    private boolean writing;

    /**
     * @param out writes a table's partial combiners to the shuffle; the table is cleared after
     */
    MapSideCombine(TaskContext context, Aggregator<V, C> aggregator, SizeEstimator estimator, Consumer<Map<K, C>> out) {
        super(context.memory());
        this.context = context;
        this.aggregator = requireNonNull(aggregator, "aggregator is null");
        this.out = requireNonNull(out, "out is null");
        this.size = new SizeTracker(requireNonNull(estimator, "estimator is null"));
    }

    /**
     * Folds every record into its key's combiner. The loop is here rather than in the caller, so that
     * the hash map's work and the record's are compiled together (measured by {@code wordcount}: a
     * call per record from the map stage's loop cost it 8 %).
     */
    void insertAll(Iterator<? extends Pair<K, V>> records) {
        Map<K, C> table = combined;
        while (records.hasNext()) {
            Pair<K, V> record = records.next();
            K key = record.key();
            C current = table.get(key);
            table.put(key, current == null && !table.containsKey(key)
                    ? aggregator.create(record.value()) : aggregator.add(current, record.value()));
            if (++unlooked >= UPDATES_PER_LOOK || table.size() >= KEY_LIMIT) {
                look();
            }
        }
    }

    /** Off the per-record path: writes out at the key limit, else keeps the memory the table takes or writes out. */
    private void look() {
        if (combined.size() >= KEY_LIMIT) {
            writeOut();
            return;
        }
        long estimate = size.updated(combined, unlooked);
        unlooked = 0;
        if (!holds(estimate)) {
            long held = used();
            writeOut();
            context.memory().spilled(held);
        }
    }

    /** Another buffer of the task needs memory: the table goes to the shuffle now. */
    @Override
    public long spill(long bytes) {
        if (writing || combined.isEmpty()) {
            return 0;
        }
        long held = used();
        writeOut();
        return held;
    }

    /** Writes what the table holds and gives its memory back; returns the records written in all. */
    long finish() {
        writeOut();
        return records;
    }

    /** How many times the table was written out before the end (memory refused, or the key limit). */
    int writeOuts() {
        return writeOuts;
    }

    private void writeOut() {
        if (!combined.isEmpty()) {
            records += combined.size();
            writing = true;
            try {
                out.accept(combined);
            } finally {
                writing = false;
            }
            combined.clear();
            writeOuts++;
        }
        size.restart();
        unlooked = 0;
        releaseAll();
        context.throwIfKilled();
    }
}
