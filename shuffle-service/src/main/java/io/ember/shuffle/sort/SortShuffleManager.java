package io.ember.shuffle.sort;

import static java.util.Objects.requireNonNull;

import io.ember.api.shuffle.ShuffleManager;

/**
 * The {@code sort} shuffle of one process. For now it holds only its checked settings; the map-side
 * writer, the reduce-side reader and the external shuffle service come with the shuffle
 * implementation.
 *
 * <p>Immutable and thread-safe; {@link #close()} is idempotent.
 */
public final class SortShuffleManager implements ShuffleManager {

    private final SortShuffleSettings settings;

    /** A manager with these settings. */
    public SortShuffleManager(SortShuffleSettings settings) {
        this.settings = requireNonNull(settings, "settings is null");
    }

    @Override
    public String name() {
        return SortShuffleManagerFactory.NAME;
    }

    /** The settings this manager was created with. */
    public SortShuffleSettings settings() {
        return settings;
    }

    @Override
    public void close() {
        // nothing held yet: no files, buffers or threads
    }

    @Override
    public String toString() {
        return "SortShuffleManager" + settings;
    }
}
