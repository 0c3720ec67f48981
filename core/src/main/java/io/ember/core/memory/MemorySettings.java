package io.ember.core.memory;

/**
 * How much of an executor's heap is its {@link ExecutorMemory} budget: {@code fraction} of the heap
 * less a reserve for Ember's own objects and the application's (300 MiB, or a quarter of a heap
 * smaller than 1.2 GiB), of which {@code storageFraction} is storage that execution cannot evict.
 *
 * @param fraction the share of the heap, less the reserve, that is the budget; in (0, 1]
 * @param storageFraction the share of the budget that is protected storage; in [0, 1]
 */
public record MemorySettings(double fraction, double storageFraction) {

    /** The heap kept out of the budget on heaps of 1.2 GiB and more. */
    public static final long RESERVED_BYTES = 300L << 20;

    public MemorySettings {
        if (!(fraction > 0 && fraction <= 1)) {
            throw new IllegalArgumentException("fraction must be in (0, 1]: " + fraction);
        }
        if (!(storageFraction >= 0 && storageFraction <= 1)) {
            throw new IllegalArgumentException("storageFraction must be in [0, 1]: " + storageFraction);
        }
    }

    /** The reserve on a heap of {@code heapBytes}. */
    public static long reserved(long heapBytes) {
        return Math.min(RESERVED_BYTES, heapBytes / 4);
    }

    /** The budget on a heap of {@code heapBytes}. */
    public long budget(long heapBytes) {
        if (heapBytes < 0) {
            throw new IllegalArgumentException("heapBytes must be >= 0: " + heapBytes);
        }
        return (long) ((heapBytes - reserved(heapBytes)) * fraction);
    }
}
