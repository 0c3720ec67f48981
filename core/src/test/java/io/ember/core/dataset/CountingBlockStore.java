package io.ember.core.dataset;

import static java.util.Objects.requireNonNull;

import io.ember.core.task.BlockId;
import io.ember.core.task.BlockStore;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/** A map-backed block store that counts hits and misses; {@link #clear()} simulates eviction. */
final class CountingBlockStore implements BlockStore {

    private final Map<BlockId, List<Object>> blocks = new ConcurrentHashMap<>();
    private final AtomicLong hits = new AtomicLong();
    private final AtomicLong misses = new AtomicLong();

    @Override
    @SuppressWarnings("unchecked")
    public <T> Iterator<T> getOrCompute(BlockId id, Supplier<Iterator<T>> compute) {
        requireNonNull(id, "id is null");
        requireNonNull(compute, "compute is null");
        List<Object> cached = blocks.get(id);
        if (cached != null) {
            hits.incrementAndGet();
            return (Iterator<T>) Collections.unmodifiableList(cached).iterator();
        }
        misses.incrementAndGet();
        List<Object> computed = new ArrayList<>();
        compute.get().forEachRemaining(computed::add);
        blocks.put(id, computed);
        return (Iterator<T>) Collections.unmodifiableList(computed).iterator();
    }

    long hits() {
        return hits.get();
    }

    long misses() {
        return misses.get();
    }

    Set<BlockId> blockIds() {
        return Set.copyOf(blocks.keySet());
    }

    /** Forgets every block, as if all were evicted. */
    void clear() {
        blocks.clear();
    }

    /** Forgets the blocks of one dataset. */
    void drop(int datasetId) {
        blocks.keySet().removeIf(id -> id.datasetId() == datasetId);
    }
}
