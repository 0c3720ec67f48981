package io.ember.core.executor;

import static java.util.Objects.requireNonNull;

import io.ember.api.shuffle.BlockLocation;
import io.ember.api.shuffle.ExecutorShuffle;
import io.ember.core.serialization.RecordSerializer;
import io.ember.core.shuffle.MapOutputsSource;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

/**
 * An executor's way to its shuffle: the {@link ExecutorShuffle} of the selected shuffle plugin,
 * opened at the first task that needs it (registering with the host's shuffle service, or starting
 * the executor's own block server), the serializer of shuffled records, and where reduce tasks get
 * the map outputs they read.
 *
 * <p>Thread-safe: task threads share it; {@link #close()} is idempotent.
 */
public final class ShuffleAccess implements AutoCloseable {

    private final Supplier<ExecutorShuffle> opener;
    private final RecordSerializer records;
    private final Path spillDirectory;
    private final MapOutputsSource mapOutputs;
    private ExecutorShuffle opened;
    private boolean closed;

    /**
     * @param opener opens the executor's shuffle; called once, at the first use
     * @param records the serializer of shuffled records (the application's class loader)
     * @param spillDirectory where reduce-side tasks spill what does not fit in their memory (created
     *     at the first spill; each spill file is deleted when its task ends)
     */
    public ShuffleAccess(Supplier<ExecutorShuffle> opener, RecordSerializer records, Path spillDirectory) {
        this(opener, records, spillDirectory, MapOutputsSource.NONE);
    }

    /**
     * @param mapOutputs where reduce tasks get the map outputs their stage reads
     */
    public ShuffleAccess(Supplier<ExecutorShuffle> opener, RecordSerializer records, Path spillDirectory,
                         MapOutputsSource mapOutputs) {
        this.opener = requireNonNull(opener, "opener is null");
        this.records = requireNonNull(records, "records is null");
        this.spillDirectory = requireNonNull(spillDirectory, "spillDirectory is null");
        this.mapOutputs = requireNonNull(mapOutputs, "mapOutputs is null");
    }

    /** Spilling to {@code java.io.tmpdir}: the local modes, whose files last as long as the driver's JVM. */
    public ShuffleAccess(Supplier<ExecutorShuffle> opener, RecordSerializer records) {
        this(opener, records, MapOutputsSource.NONE);
    }

    /** As {@link #ShuffleAccess(Supplier, RecordSerializer)}, reduce tasks reading map outputs from {@code mapOutputs}. */
    public ShuffleAccess(Supplier<ExecutorShuffle> opener, RecordSerializer records, MapOutputsSource mapOutputs) {
        this(opener, records, Path.of(System.getProperty("java.io.tmpdir")), mapOutputs);
    }

    /** An executor without a shuffle: tasks that shuffle fail, saying why. */
    public static ShuffleAccess none(RecordSerializer records, String why) {
        requireNonNull(why, "why is null");
        return new ShuffleAccess(() -> {
            throw new IllegalStateException("this executor has no shuffle: " + why);
        }, records);
    }

    /**
     * The executor's shuffle, opened now if this is the first use.
     *
     * @throws IllegalStateException when the executor has none, or it was closed
     */
    public synchronized ExecutorShuffle shuffle() {
        if (closed) {
            throw new IllegalStateException("the executor's shuffle is closed");
        }
        if (opened == null) {
            opened = opener.get();
        }
        return opened;
    }

    /** The serializer of shuffled records. */
    public RecordSerializer records() {
        return records;
    }

    /** Where reduce tasks get the map outputs their stage reads. */
    public MapOutputsSource mapOutputs() {
        return mapOutputs;
    }

    /** Where tasks spill. */
    public Path spillDirectory() {
        return spillDirectory;
    }

    /**
     * Deletes the files of a shuffle the driver cleaned up, if the shuffle was opened (an executor
     * that never opened it wrote nothing to it), and asks the shuffle services at {@code services} to
     * delete the application's files of it; with services to ask, the shuffle is opened if it was not.
     * Errors are logged by the plugin, not thrown.
     */
    public synchronized void removeShuffle(int shuffleId, List<BlockLocation> services) {
        if (closed) {
            return;
        }
        if (opened == null && !services.isEmpty()) {
            try {
                opened = opener.get();
            } catch (RuntimeException e) {
                return;   // an executor without a shuffle: the others' own services still delete theirs
            }
        }
        if (opened != null) {
            opened.removeShuffle(shuffleId, services);
        }
    }

    /** Closes the shuffle if it was opened (its files stay for the shuffle service). */
    @Override
    public synchronized void close() {
        closed = true;
        if (opened != null) {
            opened.close();
            opened = null;
        }
    }
}
