package io.ember.shuffle.sort;

import static java.util.Objects.requireNonNull;

import io.ember.api.config.ConfigKey;
import io.ember.api.config.Settings;
import java.util.List;

/**
 * The settings of the {@code sort} shuffle, relative to {@code ember.shuffle.sort.} (or in
 * {@code conf/shuffle-sort.properties}).
 *
 * <p>The host checks every value against its key before {@link #from(Settings)} reads them; the
 * canonical constructor repeats the checks with plain {@link IllegalArgumentException}s, so a
 * record built by hand is valid too.
 *
 * <p>Immutable and thread-safe.
 *
 * @param spillThreshold bytes a map task buffers in memory before it spills sorted records to disk
 * @param fileBufferSize bytes of each buffered output stream a map task writes shuffle files through
 * @param checksumEnabled whether shuffle blocks carry checksums
 * @param checksumAlgorithm the checksum blocks carry, when enabled
 * @param maxBytesInFlight the most bytes a reduce task fetches at once from remote hosts
 * @param maxBytesInFlightPerExecutor the most bytes an executor's reduce tasks fetch at once, together
 *     (a task with nothing in flight may still send one request)
 * @param fetchToDiskThreshold the longest fetched block a reduce task holds in memory; longer ones are
 *     written to a file of the executor's as they arrive, and read from there
 */
public record SortShuffleSettings(
        long spillThreshold,
        int fileBufferSize,
        boolean checksumEnabled,
        ChecksumAlgorithm checksumAlgorithm,
        long maxBytesInFlight,
        long maxBytesInFlightPerExecutor,
        long fetchToDiskThreshold) {

    private static final long MIN_SPILL_THRESHOLD = 1L << 20;
    private static final long MIN_FILE_BUFFER_SIZE = 4L << 10;
    private static final long MAX_FILE_BUFFER_SIZE = 1L << 30;
    private static final long MIN_BYTES_IN_FLIGHT = 1L << 20;
    private static final long DEFAULT_BYTES_IN_FLIGHT_PER_EXECUTOR = 96L << 20;
    private static final long DEFAULT_FETCH_TO_DISK_THRESHOLD = 64L << 20;

    static final ConfigKey<Long> SPILL_THRESHOLD = ConfigKey.bytesKey("spill.threshold")
            .min(MIN_SPILL_THRESHOLD)
            .defaultValue(64L << 20)
            .doc("How many bytes of records a map task buffers in memory before it sorts them by partition and "
                    + "spills them to disk; larger means fewer spill files to merge, more memory per task.")
            .build();

    static final ConfigKey<Long> FILE_BUFFER_SIZE = ConfigKey.bytesKey("file.bufferSize")
            .min(MIN_FILE_BUFFER_SIZE)
            .max(MAX_FILE_BUFFER_SIZE)
            .defaultValue(64L << 10)
            .doc("The size of the in-memory buffer of each stream a map task writes shuffle and spill files "
                    + "through; larger means fewer disk writes.")
            .build();

    static final ConfigKey<Boolean> CHECKSUM_ENABLED = ConfigKey.booleanKey("checksum.enabled")
            .defaultValue(true)
            .doc("Whether map tasks write a checksum for every shuffle block, so that a reader detects a "
                    + "corrupt block and fetches or recomputes it instead of returning it.")
            .build();

    static final ConfigKey<String> CHECKSUM_ALGORITHM = ConfigKey.choiceKey("checksum.algorithm", ChecksumAlgorithm.words())
            .defaultValue(ChecksumAlgorithm.CRC32C.word())
            .doc("The checksum shuffle blocks carry when checksum.enabled is true.")
            .build();

    static final ConfigKey<Long> MAX_BYTES_IN_FLIGHT = ConfigKey.bytesKey("maxBytesInFlight")
            .min(MIN_BYTES_IN_FLIGHT)
            .defaultValue(48L << 20)
            .doc("The most bytes of shuffle blocks a reduce task has requested from remote hosts and not yet "
                    + "received; larger means more fetches in flight, more memory per task.")
            .build();

    static final ConfigKey<Long> MAX_BYTES_IN_FLIGHT_PER_EXECUTOR = ConfigKey.bytesKey("maxBytesInFlightPerExecutor")
            .min(MIN_BYTES_IN_FLIGHT)
            .defaultValue(DEFAULT_BYTES_IN_FLIGHT_PER_EXECUTOR)
            .doc("The most bytes of shuffle blocks all reduce tasks of one executor have requested from remote "
                    + "hosts and not yet received, together (on top of maxBytesInFlight for each); a task with "
                    + "nothing in flight may still send one request, so none waits on the others for ever.")
            .build();

    static final ConfigKey<Long> FETCH_TO_DISK_THRESHOLD = ConfigKey.bytesKey("fetchToDisk.threshold")
            .min(0L)
            .defaultValue(DEFAULT_FETCH_TO_DISK_THRESHOLD)
            .doc("A shuffle block longer than this, or than an eighth of the executor's heap, is never held whole "
                    + "in a reduce task's memory: fetched, it is written to a file in the executor's directory as its "
                    + "bytes arrive and read from there (the file is deleted once the block is read or its task "
                    + "ends); on the reader's own disk, it is checked, then streamed from its file.")
            .build();

    /** Every key, in the order documentation lists them. */
    static final List<ConfigKey<?>> KEYS = List.of(
            SPILL_THRESHOLD,
            FILE_BUFFER_SIZE,
            CHECKSUM_ENABLED,
            CHECKSUM_ALGORITHM,
            MAX_BYTES_IN_FLIGHT,
            MAX_BYTES_IN_FLIGHT_PER_EXECUTOR,
            FETCH_TO_DISK_THRESHOLD);

    /**
     * Checks every value.
     *
     * @throws IllegalArgumentException naming the offending value
     */
    public SortShuffleSettings {
        requireNonNull(checksumAlgorithm, "checksumAlgorithm is null");
        if (spillThreshold < MIN_SPILL_THRESHOLD) {
            throw new IllegalArgumentException("spillThreshold must be >= 1m: " + spillThreshold);
        }
        if (fileBufferSize < MIN_FILE_BUFFER_SIZE || fileBufferSize > MAX_FILE_BUFFER_SIZE) {
            throw new IllegalArgumentException("fileBufferSize must be in [4k, 1g]: " + fileBufferSize);
        }
        if (maxBytesInFlight < MIN_BYTES_IN_FLIGHT) {
            throw new IllegalArgumentException("maxBytesInFlight must be >= 1m: " + maxBytesInFlight);
        }
        if (maxBytesInFlightPerExecutor < MIN_BYTES_IN_FLIGHT) {
            throw new IllegalArgumentException("maxBytesInFlightPerExecutor must be >= 1m: "
                    + maxBytesInFlightPerExecutor);
        }
        if (fetchToDiskThreshold < 0) {
            throw new IllegalArgumentException("fetchToDiskThreshold must be >= 0: " + fetchToDiskThreshold);
        }
    }

    /** The settings with the executor's bytes in flight and the fetch-to-disk threshold at their defaults. */
    public SortShuffleSettings(long spillThreshold, int fileBufferSize, boolean checksumEnabled,
                               ChecksumAlgorithm checksumAlgorithm, long maxBytesInFlight) {
        this(spillThreshold, fileBufferSize, checksumEnabled, checksumAlgorithm, maxBytesInFlight,
                DEFAULT_BYTES_IN_FLIGHT_PER_EXECUTOR, DEFAULT_FETCH_TO_DISK_THRESHOLD);
    }

    /**
     * Reads the shuffle's settings.
     *
     * @param settings a view declared with {@link #KEYS}
     */
    public static SortShuffleSettings from(Settings settings) {
        requireNonNull(settings, "settings is null");
        return new SortShuffleSettings(
                settings.get(SPILL_THRESHOLD),
                Math.toIntExact(settings.get(FILE_BUFFER_SIZE)),
                settings.get(CHECKSUM_ENABLED),
                ChecksumAlgorithm.of(settings.get(CHECKSUM_ALGORITHM)),
                settings.get(MAX_BYTES_IN_FLIGHT),
                settings.get(MAX_BYTES_IN_FLIGHT_PER_EXECUTOR),
                settings.get(FETCH_TO_DISK_THRESHOLD));
    }
}
