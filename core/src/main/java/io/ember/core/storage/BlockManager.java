package io.ember.core.storage;

import static java.util.Objects.requireNonNull;

import io.ember.core.memory.ExecutorMemory;
import io.ember.core.task.BlockId;
import io.ember.core.task.BlockStore;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An executor's cached partitions, in memory, as the storage side of the executor's
 * {@link ExecutorMemory} budget (sizes estimated by a {@link SizeEstimator}): blocks may use whatever
 * the executor's tasks do not hold, and when a task needs memory the budget has this store drop its
 * least recently used blocks (of any dataset) down to the budget's protected storage.
 *
 * <p>{@link #getOrCompute}: a block held here is read from memory (a hit). Otherwise (a miss) the
 * partition is computed and materialized while its size is estimated; when it fits it is kept,
 * evicting the least recently used blocks <em>of other datasets</em> to make room (never blocks of
 * its own dataset: that would only trade one partition of it for another). A block that cannot fit
 * is not kept, and its materialization stops as soon as its estimate goes over what could be made
 * free: the caller then gets the records materialized so far followed by the rest of the computed
 * iterator, so every record is returned exactly once and memory stops growing. Two tasks missing
 * the same block at once both compute it; the first to finish keeps it.
 *
 * <p>Every change (a block stored, evicted or removed) is told to the {@link BlockListener}, in
 * order, under this store's lock.
 *
 * <p>Thread-safe: task threads read and store concurrently; computing and materializing happen
 * outside the lock, which is only held to look up, evict and insert.
 */
public final class BlockManager implements BlockStore {

    private static final Logger LOG = LoggerFactory.getLogger(BlockManager.class);

    /** Records estimated one by one before sampling thins out. */
    private static final int FIRST_SAMPLES = 16;
    /** After the first samples, one record in this many (of those so far) is estimated. */
    private static final int SAMPLE_SPACING = 16;

    private final ExecutorMemory memory;
    private final BlockListener listener;
    private final SizeEstimator estimator;

    /** Guarded by this; in access order, least recently used first. */
    private final LinkedHashMap<BlockId, Block> blocks = new LinkedHashMap<>(16, 0.75f, true);
    /** Guarded by this: bytes held per dataset. */
    private final Map<Integer, Long> datasetBytes = new HashMap<>();
    /** Guarded by this. */
    private long usedBytes;

    /** A held block: its records (never changed once stored) and their estimated size. */
    private record Block(Object[] records, long sizeBytes) {}

    /**
     * A block store that is the storage side of {@code memory}; the budget evicts its blocks when
     * tasks need memory.
     *
     * @param listener hears every block stored and dropped
     */
    public BlockManager(ExecutorMemory memory, BlockListener listener) {
        this(memory, listener, new SizeEstimator());
    }

    /** A block store alone on a budget of {@code maxBytes}, which nothing else uses; 0 keeps nothing. */
    public BlockManager(long maxBytes, BlockListener listener) {
        this(new ExecutorMemory(maxBytes, 0), listener);
    }

    BlockManager(long maxBytes, BlockListener listener, SizeEstimator estimator) {
        this(new ExecutorMemory(maxBytes, 0), listener, estimator);
    }

    private BlockManager(ExecutorMemory memory, BlockListener listener, SizeEstimator estimator) {
        this.memory = requireNonNull(memory, "memory is null");
        this.listener = requireNonNull(listener, "listener is null");
        this.estimator = requireNonNull(estimator, "estimator is null");
        memory.evictStorageWith(this::evictForExecution);
    }

    /** The executor's memory budget this store is the storage side of. */
    public ExecutorMemory memory() {
        return memory;
    }

    /** As {@link #getOrCompute(BlockId, Supplier, CacheCounts)}, counting nowhere. */
    @Override
    public <T> Iterator<T> getOrCompute(BlockId id, Supplier<Iterator<T>> compute) {
        return getOrCompute(id, compute, null);
    }

    /**
     * The block's records: from memory on a hit, else computed (and kept when it fits).
     *
     * @param counts where this hit or miss is counted; {@code null} for nowhere
     * @throws NullPointerException when {@code compute} returns {@code null}
     */
    public <T> Iterator<T> getOrCompute(BlockId id, Supplier<Iterator<T>> compute, CacheCounts counts) {
        requireNonNull(id, "id is null");
        requireNonNull(compute, "compute is null");
        Block held;
        long room;
        synchronized (this) {
            held = blocks.get(id);
            room = memory.storageLimit() - datasetBytes.getOrDefault(id.datasetId(), 0L);
        }
        if (held != null) {
            if (counts != null) {
                counts.recordHit();
            }
            return new RecordIterator<>(held.records(), held.records().length, null);
        }
        if (counts != null) {
            counts.recordMiss();
        }
        Iterator<T> source = requireNonNull(compute.get(), () -> "computing " + id + " returned null");
        if (room <= 0) {
            return source;
        }
        return materialize(id, source, room);
    }

    /**
     * A view for one task: the same blocks, counting that task's hits and misses in {@code counts}.
     */
    public BlockStore forTask(CacheCounts counts) {
        requireNonNull(counts, "counts is null");
        return new BlockStore() {
            @Override
            public <T> Iterator<T> getOrCompute(BlockId id, Supplier<Iterator<T>> compute) {
                return BlockManager.this.getOrCompute(id, compute, counts);
            }
        };
    }

    /**
     * Drops every block of a dataset (unpersist), telling the listener of each.
     *
     * @return how many blocks were dropped
     */
    public synchronized int remove(int datasetId) {
        int removed = 0;
        for (Iterator<Map.Entry<BlockId, Block>> it = blocks.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<BlockId, Block> entry = it.next();
            if (entry.getKey().datasetId() == datasetId) {
                it.remove();
                dropped(entry.getKey(), entry.getValue());
                removed++;
            }
        }
        return removed;
    }

    /** Whether the block is held now. Does not count as a use. */
    public synchronized boolean contains(BlockId id) {
        return blocks.containsKey(id);
    }

    /** The estimated bytes of every block held. */
    public synchronized long usedBytes() {
        return usedBytes;
    }

    /** How many blocks are held. */
    public synchronized int blockCount() {
        return blocks.size();
    }

    /** The most the blocks could take now: the memory budget less what tasks hold. */
    public long maxBytes() {
        return memory.storageLimit();
    }

    @Override
    public synchronized String toString() {
        return "BlockManager[" + blocks.size() + " blocks, " + usedBytes + " bytes, " + memory + "]";
    }

    /**
     * Drops least recently used blocks, of any dataset, until about {@code bytes} are released to the
     * budget, for a task that needs them; the budget calls it holding none of its locks.
     */
    private synchronized long evictForExecution(long bytes) {
        long released = 0;
        for (Iterator<Map.Entry<BlockId, Block>> it = blocks.entrySet().iterator(); released < bytes && it.hasNext(); ) {
            Map.Entry<BlockId, Block> entry = it.next();
            it.remove();
            dropped(entry.getKey(), entry.getValue());
            released += entry.getValue().sizeBytes();
        }
        if (released > 0) {
            LOG.info("Dropped cached blocks of {} bytes for running tasks' memory", released);
        }
        return released;
    }

    // ---- Materializing a computed block ---------------------------------------------------------

    /**
     * Reads {@code source} into memory while the estimate stays within {@code room}; keeps the block
     * when it all fit, else hands back what was read followed by the rest of {@code source}.
     */
    private <T> Iterator<T> materialize(BlockId id, Iterator<T> source, long room) {
        Object[] records = new Object[16];
        int count = 0;
        long sampledBytes = 0;
        int samples = 0;
        int nextSample = 0;
        while (source.hasNext()) {
            T record = source.next();
            if (count == records.length) {
                records = Arrays.copyOf(records, count + (count >> 1));
            }
            records[count] = record;
            if (count == nextSample) {
                sampledBytes += estimator.estimate(record);
                samples++;
                nextSample = count < FIRST_SAMPLES ? count + 1 : count + Math.max(1, count / SAMPLE_SPACING);
            }
            count++;
            if (estimate(count, sampledBytes, samples) > room) {
                return new RecordIterator<>(records, count, source);
            }
        }
        Object[] all = count == records.length ? records : Arrays.copyOf(records, count);
        store(id, new Block(all, Math.round(estimate(count, sampledBytes, samples))));
        return new RecordIterator<>(all, count, null);
    }

    /** A block of {@code count} records whose sampled ones average {@code sampledBytes / samples}. */
    private double estimate(int count, long sampledBytes, int samples) {
        double records = samples == 0 ? 0 : (double) sampledBytes / samples * count;
        return estimator.referenceArrayBytes(count) + records;
    }

    /** Keeps the block if it fits, evicting least recently used blocks of other datasets; else does nothing. */
    private synchronized void store(BlockId id, Block block) {
        if (blocks.containsKey(id)) {
            return;   // another task computed it first
        }
        long excess = usedBytes + block.sizeBytes() - memory.storageLimit();
        if (excess > 0) {
            long evictable = usedBytes - datasetBytes.getOrDefault(id.datasetId(), 0L);
            if (evictable < excess) {
                return;
            }
            for (Iterator<Map.Entry<BlockId, Block>> it = blocks.entrySet().iterator(); excess > 0 && it.hasNext(); ) {
                Map.Entry<BlockId, Block> entry = it.next();
                if (entry.getKey().datasetId() != id.datasetId()) {
                    it.remove();
                    dropped(entry.getKey(), entry.getValue());
                    excess -= entry.getValue().sizeBytes();
                }
            }
        }
        if (!memory.acquireStorage(block.sizeBytes())) {
            return;   // tasks took the memory meanwhile: the block is not kept
        }
        blocks.put(id, block);
        usedBytes += block.sizeBytes();
        datasetBytes.merge(id.datasetId(), block.sizeBytes(), Long::sum);
        tell(id, true, block.sizeBytes());
    }

    /** Guarded by this: accounts for a block just taken out of {@link #blocks}. */
    private void dropped(BlockId id, Block block) {
        usedBytes -= block.sizeBytes();
        memory.releaseStorage(block.sizeBytes());
        datasetBytes.computeIfPresent(id.datasetId(), (dataset, bytes) -> bytes == block.sizeBytes()
                ? null : bytes - block.sizeBytes());
        tell(id, false, block.sizeBytes());
    }

    private void tell(BlockId id, boolean stored, long sizeBytes) {
        try {
            listener.blockChanged(new BlockChange(id, stored, sizeBytes));
        } catch (RuntimeException e) {
            LOG.warn("Could not report that block {} was {}: {}", id, stored ? "stored" : "dropped", e.toString());
        }
    }

    /**
     * The first {@code count} records of an array, then, when {@code rest} is not null, whatever
     * {@code rest} still has. Read-only. A stored block's array ({@code rest} null) is never
     * changed; a prefix that was not stored ({@code rest} not null) is released as it is read.
     */
    private static final class RecordIterator<T> implements Iterator<T> {

        private final Object[] records;
        private final int count;
        private final Iterator<T> rest;
        private int next;

        RecordIterator(Object[] records, int count, Iterator<T> rest) {
            this.records = records;
            this.count = count;
            this.rest = rest;
        }

        @Override
        public boolean hasNext() {
            return next < count || (rest != null && rest.hasNext());
        }

        @Override
        @SuppressWarnings("unchecked")
        public T next() {
            if (next < count) {
                T record = (T) records[next];
                if (rest != null) {
                    records[next] = null;   // a prefix nobody else holds: let it go as it is read
                }
                next++;
                return record;
            }
            if (rest != null) {
                return rest.next();
            }
            throw new NoSuchElementException();
        }
    }
}
