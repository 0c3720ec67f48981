package io.ember.core.dataset;

import io.ember.core.task.TaskContext;
import java.math.BigInteger;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * The longs from {@code start} (inclusive) to {@code end} (exclusive) in contiguous slices:
 * partition {@code i} starts at {@code start + i * (end - start) / slices}, computed without
 * overflow for any two longs. Only the bounds are serialized.
 */
final class RangeDataset extends Dataset<Long> {

    private static final long serialVersionUID = 1L;

    private final long start;
    private final long end;
    private final int slices;

    RangeDataset(JobRunner runner, long start, long end, int slices) {
        super(runner);
        if (slices < 1) {
            throw new IllegalArgumentException("slices must be >= 1: " + slices);
        }
        this.start = start;
        this.end = end;
        this.slices = slices;
    }

    @Override
    public int numPartitions() {
        return slices;
    }

    @Override
    protected Iterator<Long> compute(int partition, TaskContext context) {
        return new LongRange(bound(partition), bound(partition + 1));
    }

    /** Where slice {@code slice} starts; {@code end} for {@code slice == slices}. */
    long bound(int slice) {
        if (end <= start) {
            return start;
        }
        BigInteger length = BigInteger.valueOf(end).subtract(BigInteger.valueOf(start));
        BigInteger offset = length.multiply(BigInteger.valueOf(slice)).divide(BigInteger.valueOf(slices));
        return BigInteger.valueOf(start).add(offset).longValueExact();
    }

    @Override
    protected String describe() {
        return ", range=[" + start + ", " + end + ")";
    }

    /** {@code from} up to {@code to}, exclusive; never overflows since it stops before {@code to}. */
    private static final class LongRange implements Iterator<Long> {

        private final long to;
        private long next;

        LongRange(long from, long to) {
            this.next = from;
            this.to = to;
        }

        @Override
        public boolean hasNext() {
            return next < to;
        }

        @Override
        public Long next() {
            if (next >= to) {
                throw new NoSuchElementException();
            }
            return next++;
        }
    }
}
