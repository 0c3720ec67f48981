package io.ember.shuffle.sort;

import io.ember.api.shuffle.ShuffleMemory;
import java.util.function.LongUnaryOperator;

/**
 * A task's memory of {@code limit} bytes for one writer or reader: grants what is left, counts what
 * is held and its peak, refuses to take back more than it gave, and lets a test play another buffer
 * of the task asking for memory ({@link #askToSpill}).
 */
final class TestingShuffleMemory implements ShuffleMemory {

    private final long limit;
    private long used;
    private long peak;
    private int refusals;
    private LongUnaryOperator spill = bytes -> 0;

    TestingShuffleMemory(long limit) {
        this.limit = limit;
    }

    @Override
    public long acquire(long bytes) {
        long granted = Math.min(bytes, Math.max(0, limit - used));
        if (granted < bytes) {
            refusals++;
        }
        used += granted;
        peak = Math.max(peak, used);
        return granted;
    }

    @Override
    public void release(long bytes) {
        if (bytes < 0 || bytes > used) {
            throw new AssertionError("released " + bytes + " bytes while holding " + used);
        }
        used -= bytes;
    }

    @Override
    public void onSpillRequest(LongUnaryOperator spill) {
        this.spill = spill;
    }

    /** Plays another buffer of the task that needs {@code bytes}: returns what the consumer released. */
    long askToSpill(long bytes) {
        long before = used;
        long released = spill.applyAsLong(bytes);
        if (before - used != released) {
            throw new AssertionError("said it released " + released + " bytes, released " + (before - used));
        }
        return released;
    }

    long used() {
        return used;
    }

    long peak() {
        return peak;
    }

    int refusals() {
        return refusals;
    }
}
