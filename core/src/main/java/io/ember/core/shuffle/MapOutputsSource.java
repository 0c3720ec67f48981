package io.ember.core.shuffle;

import java.io.IOException;

/**
 * Where a task gets the map outputs its stage reads: from the driver's {@link MapOutputSnapshots}
 * directly in {@code local[N]}, fetched from the driver (and kept for the executor's other tasks)
 * in a cluster.
 *
 * <p>Threading: thread-safe; called on task threads, which may block while the outputs are fetched.
 */
public interface MapOutputsSource {

    /** Nothing to read from: every lookup fails. */
    MapOutputsSource NONE = ref -> {
        throw new IOException("this executor cannot fetch map outputs: it has no driver to ask");
    };

    /**
     * The status of every map partition of {@code ref}'s shuffle, in partition order.
     *
     * @throws IOException when they cannot be had (the driver no longer serves them, or cannot be reached)
     */
    MapStatus[] statuses(MapOutputsRef ref) throws IOException;
}
