package io.ember.core.dataset;

import static java.util.Objects.requireNonNull;

import io.ember.core.storage.SizeEstimator;

/**
 * The estimated heap size of a collection that grows one update at a time, cheap enough to ask after
 * every update: the collection is estimated in full only after a number of updates that grows by a
 * tenth each time (so a collection of n updates is estimated about log(n)/log(1.1) times), and in
 * between its size is extrapolated from the bytes per update seen between the last two estimates.
 *
 * <p>Not thread-safe: one per collection, on the thread that updates it.
 */
final class SizeTracker {

    private static final double GROWTH = 1.1;

    private final SizeEstimator estimator;
    private long updates;
    private long nextEstimateAt;
    private long estimatedAt;
    private long estimated;
    private double bytesPerUpdate;

    SizeTracker(SizeEstimator estimator) {
        this.estimator = requireNonNull(estimator, "estimator is null");
        reset();
    }

    /** Counts one update of {@code collection}; returns its estimated size now. */
    long updated(Object collection) {
        return updated(collection, 1);
    }

    /** Counts {@code count} updates of {@code collection} at once; returns its estimated size now. */
    long updated(Object collection, int count) {
        updates += count;
        if (updates >= nextEstimateAt) {
            long size = estimator.estimate(collection);
            bytesPerUpdate = Math.max(0, (double) (size - estimated) / (updates - estimatedAt));
            estimated = size;
            estimatedAt = updates;
            nextEstimateAt = (long) Math.ceil(updates * GROWTH);
            return size;
        }
        return estimated + (long) (bytesPerUpdate * (updates - estimatedAt));
    }

    /**
     * The collection was emptied and fills again as it did: its size is extrapolated from the bytes per
     * update learned so far, and estimated in full again only once it has taken three quarters as many
     * updates as before (then by a tenth more each time), so a collection emptied every n updates is
     * estimated about 4 times per n, not log(n)/log(1.1) times. Before anything was learned, as
     * {@link #reset()}.
     */
    void restart() {
        long previous = updates;
        updates = 0;
        estimatedAt = 0;
        estimated = 0;
        nextEstimateAt = bytesPerUpdate == 0 ? 1 : Math.max(1, previous * 3 / 4);
    }

    /** The collection was emptied: estimates start again. */
    void reset() {
        updates = 0;
        nextEstimateAt = 1;
        estimatedAt = 0;
        estimated = 0;
        bytesPerUpdate = 0;
    }
}
