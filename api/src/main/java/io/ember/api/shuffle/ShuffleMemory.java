package io.ember.api.shuffle;

import java.util.Objects;
import java.util.function.LongUnaryOperator;

/**
 * The memory one shuffle writer or reader may use: its share of the executor's memory budget, held
 * for the task it works for, next to the task's other buffers (aggregation maps, sorters). A writer
 * asks before its buffer grows and spills when granted less; a reader asks for the blocks it requests
 * and waits for its own blocks when granted less. Whatever is still held when the task ends is taken
 * back, but a writer or reader gives back all it holds when it commits, aborts or closes. See
 * {@code docs/memory.md} for the rules of the budget.
 *
 * <p>Threading: used on the task's thread only; the spill handler runs on that thread too, while
 * another buffer of the task asks for memory (never while this consumer itself is asking).
 *
 * @since 1.5
 */
public interface ShuffleMemory {

    /**
     * No budget: every request granted in full, nothing ever asked to spill. What a writer or reader
     * made through the pre-1.5 methods, or by a test, uses.
     */
    ShuffleMemory UNLIMITED = new ShuffleMemory() {
        @Override
        public long acquire(long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("bytes must be >= 0: " + bytes);
            }
            return bytes;
        }

        @Override
        public void release(long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("bytes must be >= 0: " + bytes);
            }
        }

        @Override
        public void onSpillRequest(LongUnaryOperator spill) {
            Objects.requireNonNull(spill, "spill is null");
        }

        @Override
        public String toString() {
            return "ShuffleMemory.UNLIMITED";
        }
    };

    /**
     * Asks for {@code bytes} more. The task's other buffers may spill first to make room.
     *
     * @return the bytes granted, from 0 to {@code bytes}; with less than asked, spill or wait (and
     *     give back, or keep, what was granted)
     */
    long acquire(long bytes);

    /** Gives back {@code bytes} of what was granted (at most what is held). */
    void release(long bytes);

    /**
     * What this consumer does when another buffer of the task needs memory: {@code spill} is given
     * about how many bytes are wanted, writes what it can to disk, {@link #release}s the memory that
     * held it and returns how much it released (0 when it can spill nothing now). Without a handler
     * the consumer is never asked.
     */
    void onSpillRequest(LongUnaryOperator spill);
}
