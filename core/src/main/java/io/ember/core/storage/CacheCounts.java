package io.ember.core.storage;

/**
 * One task's cache hits and misses, as {@link BlockManager#forTask} records them: a hit is a cached
 * partition read from memory, a miss a partition of a persisted dataset computed (for the first
 * time, or again after it was evicted or could not be kept).
 *
 * <p>Not thread-safe: one per task, written and read by the task's own thread.
 */
public final class CacheCounts {

    private int hits;
    private int misses;

    /** Cached partitions read. */
    public int hits() {
        return hits;
    }

    /** Partitions computed instead of read. */
    public int misses() {
        return misses;
    }

    void recordHit() {
        hits++;
    }

    void recordMiss() {
        misses++;
    }

    @Override
    public String toString() {
        return "CacheCounts[hits=" + hits + ", misses=" + misses + "]";
    }
}
