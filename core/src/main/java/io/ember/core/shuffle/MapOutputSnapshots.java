package io.ember.core.shuffle;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The map outputs the driver serves to the tasks of running stages, by {@link MapOutputsRef}: a
 * stage that reads a shuffle publishes the outputs it was planned with before its tasks launch and
 * releases them when it ends, so its tasks, and only its, can fetch them meanwhile. Two stages
 * reading the same version share one entry. An entry's bytes ({@link MapStatusCodec}) are made at the
 * first fetch and kept while it is published.
 *
 * <p>This replaces shipping every status inside the stage's code: a shuffle of 3,000 × 3,000
 * partitions no longer makes a launch message of 70 MB, and executors fetch the statuses once per
 * stage, compact and compressed, as Spark's map output tracker serves them.
 *
 * <p>Thread-safe (every method synchronizes on it, except the encoding, which runs outside the lock
 * once per entry).
 */
public final class MapOutputSnapshots implements MapOutputsSource {

    /** Serves nothing, and can be published nothing: for drivers that run no stages. */
    public static final MapOutputSnapshots NONE = new MapOutputSnapshots(false);

    private final Map<MapOutputsRef, Entry> entries = new HashMap<>();
    private final boolean publishable;

    public MapOutputSnapshots() {
        this(true);
    }

    private MapOutputSnapshots(boolean publishable) {
        this.publishable = publishable;
    }

    /**
     * Serves these outputs until {@link #release}d as often as published.
     *
     * @return what the stage's tasks fetch them by
     */
    public synchronized MapOutputsRef publish(MapOutputTracker.Snapshot snapshot) {
        requireNonNull(snapshot, "snapshot is null");
        if (!publishable) {
            throw new IllegalStateException("MapOutputSnapshots.NONE serves no map outputs");
        }
        MapOutputsRef ref = new MapOutputsRef(snapshot.shuffleId(), snapshot.version());
        entries.computeIfAbsent(ref, r -> new Entry(snapshot.statuses())).published++;
        return ref;
    }

    /** A stage that published {@code ref} ended: once every such stage did, the outputs are no longer served. */
    public synchronized void release(MapOutputsRef ref) {
        Entry entry = entries.get(requireNonNull(ref, "ref is null"));
        if (entry != null && --entry.published == 0) {
            entries.remove(ref);
        }
    }

    /** In the driver's own JVM ({@code local[N]}): the published statuses, no bytes made. */
    @Override
    public MapStatus[] statuses(MapOutputsRef ref) throws IOException {
        Entry entry;
        synchronized (this) {
            entry = entries.get(requireNonNull(ref, "ref is null"));
        }
        if (entry == null) {
            throw notServed(ref);
        }
        return entry.statuses.clone();
    }

    /** The encoded outputs of {@code ref}, for an executor's fetch; empty when not (or no longer) served. */
    public Optional<byte[]> encoded(MapOutputsRef ref) {
        Entry entry;
        synchronized (this) {
            entry = entries.get(requireNonNull(ref, "ref is null"));
        }
        return entry == null ? Optional.empty() : Optional.of(entry.encoded());
    }

    /** How many versions are served now. */
    public synchronized int served() {
        return entries.size();
    }

    static IOException notServed(MapOutputsRef ref) {
        return new IOException("the driver no longer serves the " + ref + ": the stage that read it ended");
    }

    private static final class Entry {
        final MapStatus[] statuses;
        /** Guarded by MapOutputSnapshots.this. */
        int published;
        /** Made once, at the first fetch. */
        private byte[] encoded;

        Entry(MapStatus[] statuses) {
            this.statuses = statuses;
        }

        synchronized byte[] encoded() {
            if (encoded == null) {
                encoded = MapStatusCodec.encode(statuses);
            }
            return encoded;
        }
    }
}
