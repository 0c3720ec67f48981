package io.ember.api.shuffle;

/**
 * Writes one map task's output: records, each for one reduce partition, become one block per reduce
 * partition.
 *
 * <p>Records are opaque bytes to the writer; the host makes them self-delimiting. A block is the
 * concatenation of the records written for its partition, in the order they were written. The
 * writer may hold records in memory, sort them by partition and spill to disk at any point, so the
 * output can be far larger than the heap.
 *
 * <p>Threading: used by one task thread. Either {@link #commit()} or {@link #abort()} ends it; a
 * writer that is neither committed nor aborted must be aborted by {@link #close()}.
 */
public interface ShuffleWriter extends AutoCloseable {

    /**
     * Adds a record for reduce partition {@code partition}; the bytes are copied before this returns.
     *
     * @throws IndexOutOfBoundsException when the partition or the byte range is out of range
     * @throws java.io.UncheckedIOException when a spill cannot be written
     */
    void write(int partition, byte[] record, int offset, int length);

    /**
     * Makes the output durable and visible to readers (atomically: a reader sees all of it or none)
     * and returns each block's length.
     *
     * @throws java.io.UncheckedIOException when it cannot be written
     */
    MapOutput commit();

    /** Deletes whatever was written so far. Idempotent; does nothing after {@link #commit()}. */
    void abort();

    /** Aborts unless committed. */
    @Override
    default void close() {
        abort();
    }
}
