package io.ember.core.memory;

import static java.util.Objects.requireNonNull;

import io.ember.api.shuffle.ShuffleMemory;
import java.util.function.LongUnaryOperator;

/**
 * A shuffle plugin's writer or reader as one of its task's {@link MemoryConsumer}s: what the plugin
 * asks for through {@link ShuffleMemory} is drawn from the task's memory, and when another buffer
 * of the task needs memory the plugin's spill handler is called.
 *
 * <p>Threading: the task's thread, as every consumer.
 */
public final class PluginMemoryConsumer implements ShuffleMemory {

    private final Consumer consumer;
    private LongUnaryOperator spill = bytes -> 0;

    /**
     * @param name what it is, for log lines ("shuffle writer", "shuffle reader")
     */
    public PluginMemoryConsumer(TaskMemory memory, String name) {
        this.consumer = new Consumer(memory, requireNonNull(name, "name is null"));
    }

    @Override
    public long acquire(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes must be >= 0: " + bytes);
        }
        return bytes == 0 ? 0 : consumer.take(bytes);
    }

    @Override
    public void release(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes must be >= 0: " + bytes);
        }
        if (bytes > 0) {
            consumer.giveBack(bytes);
        }
    }

    @Override
    public void onSpillRequest(LongUnaryOperator spill) {
        this.spill = requireNonNull(spill, "spill is null");
    }

    /** The bytes the plugin holds now. */
    public long used() {
        return consumer.used();
    }

    @Override
    public String toString() {
        return consumer.toString();
    }

    private final class Consumer extends MemoryConsumer {
        private final String name;

        Consumer(TaskMemory memory, String name) {
            super(memory);
            this.name = name;
        }

        long take(long bytes) {
            return acquire(bytes);
        }

        void giveBack(long bytes) {
            release(bytes);
        }

        @Override
        public long spill(long bytes) {
            return Math.max(0, spill.applyAsLong(bytes));
        }

        @Override
        public String toString() {
            return name + "[" + used() + " bytes]";
        }
    }
}
