package io.ember.core.memory;

import static java.util.Objects.requireNonNull;

/**
 * A buffer of one task that grows with its data (a sorter, an aggregation map, a writer's buffer)
 * and can give its memory back by writing what it holds to disk. It asks its {@link TaskMemory} for
 * memory before it grows, and spills when it is granted less than it asked for; the task's memory
 * may also ask it to {@link #spill} when another consumer of the same task needs memory.
 *
 * <p>Threading: used by its task's thread; {@link #spill} is called on the thread of the consumer
 * that needs memory, which is the same task's thread.
 */
public abstract class MemoryConsumer {

    private final TaskMemory memory;
    private long used;

    protected MemoryConsumer(TaskMemory memory) {
        this.memory = requireNonNull(memory, "memory is null");
    }

    /**
     * Writes what this consumer holds to disk (or drops what it can recompute) and releases the
     * memory that held it through {@link #release}, because another consumer of the task needs about
     * {@code bytes}.
     *
     * @return the bytes released, 0 when it holds nothing it can spill now
     */
    public abstract long spill(long bytes);

    /**
     * Asks for {@code bytes} more; other consumers of the task may spill first.
     *
     * @return the bytes granted, from 0 to {@code bytes}: with less than asked, spill
     */
    protected final long acquire(long bytes) {
        return memory.acquire(this, bytes);
    }

    /**
     * The rule of a buffer that grows with its data: when its estimated size passes what it holds, it
     * asks for twice the estimate (so that it asks again only once it has doubled).
     *
     * @return whether it now holds at least {@code estimate}; when not, the buffer spills
     */
    protected final boolean holds(long estimate) {
        if (estimate <= used) {
            return true;
        }
        acquire(2 * estimate - used);
        return used >= estimate;
    }

    /** Gives back {@code bytes} of what this consumer holds. */
    protected final void release(long bytes) {
        memory.release(this, bytes);
    }

    /** Gives back all it holds. */
    protected final void releaseAll() {
        if (used > 0) {
            memory.release(this, used);
        }
    }

    /** The bytes it holds now. */
    public final long used() {
        return used;
    }

    /** Called by its task's memory only. */
    final void held(long delta) {
        used += delta;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + used + " bytes]";
    }
}
