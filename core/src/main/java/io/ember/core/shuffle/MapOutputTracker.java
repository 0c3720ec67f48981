package io.ember.core.shuffle;

import static java.util.Objects.requireNonNull;

import io.ember.api.shuffle.BlockLocation;
import io.ember.api.shuffle.MapBlock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The driver's record of where each map task's output lives, per shuffle: which map partitions
 * have output, the blocks a reduce partition must fetch, and what is lost when an executor or a
 * host goes away.
 *
 * <p>Thread-safe (every method synchronizes on the tracker); the driver's job threads and its
 * executor listeners call it.
 */
public final class MapOutputTracker {

    /** Default {@code ember.shuffle.accurateBlockThreshold}. */
    public static final long DEFAULT_ACCURATE_BLOCK_THRESHOLD = 4L * 1024 * 1024;

    private final Map<Integer, Shuffle> shuffles = new HashMap<>();
    private final long accurateBlockThreshold;
    /** How many times every output was forgotten at once ({@link #forgetAll}). */
    private long forgettings;
    /** The last version given to a shuffle's outputs: versions are never reused, by any shuffle. */
    private long versions;

    /** A tracker keeping the lengths of blocks of 4 MiB or more exactly in shuffles of many partitions. */
    public MapOutputTracker() {
        this(DEFAULT_ACCURATE_BLOCK_THRESHOLD);
    }

    /**
     * @param accurateBlockThreshold in shuffles of over {@link BlockSizes#EXACT_UP_TO} reduce partitions,
     *     the lengths of blocks this large or larger are kept exactly, the others averaged
     *     ({@code ember.shuffle.accurateBlockThreshold})
     */
    public MapOutputTracker(long accurateBlockThreshold) {
        if (accurateBlockThreshold < 1) {
            throw new IllegalArgumentException("accurateBlockThreshold must be >= 1: " + accurateBlockThreshold);
        }
        this.accurateBlockThreshold = accurateBlockThreshold;
    }

    /** Starts tracking a shuffle whose map stage has {@code mapPartitions} tasks and {@code reducePartitions} blocks each. */
    public synchronized void register(int shuffleId, int mapPartitions, int reducePartitions) {
        if (mapPartitions < 0 || reducePartitions < 1) {
            throw new IllegalArgumentException("a shuffle has >= 0 map and >= 1 reduce partitions: " + mapPartitions
                    + ", " + reducePartitions);
        }
        if (!shuffles.containsKey(shuffleId)) {
            Shuffle shuffle = new Shuffle(mapPartitions, reducePartitions);
            shuffle.version = ++versions;
            shuffles.put(shuffleId, shuffle);
        }
    }

    public synchronized boolean isRegistered(int shuffleId) {
        return shuffles.containsKey(shuffleId);
    }

    /**
     * Records a finished map task's output, replacing an earlier one of the same map partition.
     *
     * @throws IllegalArgumentException when the shuffle is unknown or the status does not fit it
     */
    public synchronized void add(int shuffleId, MapStatus status) {
        requireNonNull(status, "status is null");
        Shuffle shuffle = require(shuffleId);
        if (status.mapPartition() >= shuffle.outputs.length || status.blockCount() != shuffle.reducePartitions) {
            throw new IllegalArgumentException("map status of partition " + status.mapPartition() + " with "
                    + status.blockCount() + " blocks does not fit shuffle " + shuffleId + " ("
                    + shuffle.outputs.length + " map, " + shuffle.reducePartitions + " reduce partitions)");
        }
        shuffle.outputs[status.mapPartition()] = status.compact(accurateBlockThreshold);
        shuffle.version = ++versions;
    }

    /**
     * The output of every map partition and the version of the shuffle's outputs they are (it
     * changes with every output added or forgotten), for reduce tasks to fetch.
     *
     * @throws IllegalStateException when some map partition has no output (run it first)
     */
    public synchronized Snapshot snapshot(int shuffleId) {
        return new Snapshot(shuffleId, require(shuffleId).version, statuses(shuffleId));
    }

    /**
     * The outputs of a shuffle at one version.
     *
     * @param statuses one per map partition, in partition order
     */
    public record Snapshot(int shuffleId, long version, MapStatus[] statuses) {

        public Snapshot {
            statuses = statuses.clone();
        }

        @Override
        public MapStatus[] statuses() {
            return statuses.clone();
        }
    }

    /** The map partitions of a shuffle that have no output (all of them before the map stage ran). */
    public synchronized List<Integer> missing(int shuffleId) {
        Shuffle shuffle = require(shuffleId);
        List<Integer> missing = new ArrayList<>();
        for (int i = 0; i < shuffle.outputs.length; i++) {
            if (shuffle.outputs[i] == null) {
                missing.add(i);
            }
        }
        return missing;
    }

    /**
     * The output of every map partition, in partition order, for shipping with a stage that reads
     * the shuffle.
     *
     * @throws IllegalStateException when some map partition has no output (run it first)
     */
    public synchronized MapStatus[] statuses(int shuffleId) {
        Shuffle shuffle = require(shuffleId);
        for (int i = 0; i < shuffle.outputs.length; i++) {
            if (shuffle.outputs[i] == null) {
                throw new IllegalStateException("map partition " + i + " of shuffle " + shuffleId + " has no output");
            }
        }
        return shuffle.outputs.clone();
    }

    /**
     * The non-empty blocks reduce partition {@code reduceId} must fetch, one per map partition with
     * output for it.
     *
     * @throws IllegalStateException when some map partition has no output (run it first)
     */
    public synchronized List<MapBlock> blocks(int shuffleId, int reduceId) {
        Shuffle shuffle = require(shuffleId);
        if (reduceId < 0 || reduceId >= shuffle.reducePartitions) {
            throw new IllegalArgumentException("shuffle " + shuffleId + " has no reduce partition " + reduceId);
        }
        return MapStatus.blocks(shuffleId, reduceId, statuses(shuffleId));
    }

    /**
     * Forgets the output of one map task attempt (a fetch of its blocks failed); the partition is
     * missing again unless a newer attempt replaced it.
     *
     * @return whether an output was forgotten
     */
    public synchronized boolean outputLost(int shuffleId, long mapId) {
        Shuffle shuffle = shuffles.get(shuffleId);
        if (shuffle == null) {
            return false;
        }
        for (int i = 0; i < shuffle.outputs.length; i++) {
            if (shuffle.outputs[i] != null && shuffle.outputs[i].mapId() == mapId) {
                shuffle.outputs[i] = null;
                shuffle.version = ++versions;
                return true;
            }
        }
        return false;
    }

    /**
     * Forgets every output served at locations {@code lost} matches (an executor that served its own
     * blocks died, or a host's shuffle service went away), in every shuffle.
     *
     * @return how many map outputs were forgotten
     */
    public synchronized int locationsLost(Predicate<BlockLocation> lost) {
        int forgotten = 0;
        for (Shuffle shuffle : shuffles.values()) {
            for (int i = 0; i < shuffle.outputs.length; i++) {
                if (shuffle.outputs[i] != null && lost.test(shuffle.outputs[i].location())) {
                    shuffle.outputs[i] = null;
                    shuffle.version = ++versions;
                    forgotten++;
                }
            }
        }
        return forgotten;
    }

    /**
     * Forgets every output of every shuffle: all the files may be gone (the cluster ended the
     * application while the driver could not hear of it). A map stage running meanwhile wrote some
     * of its outputs before, so its results are no good either: see {@link #forgettings()}.
     */
    public synchronized void forgetAll() {
        forgettings++;
        locationsLost(location -> true);
    }

    /**
     * How many times {@link #forgetAll} ran: a map stage that saw it change while it ran must not
     * add its outputs, and runs again.
     */
    public synchronized long forgettings() {
        return forgettings;
    }

    /**
     * The shuffle services that serve outputs of a shuffle (outputs that outlive their executor), one
     * location per service host and port; empty for an unknown shuffle.
     */
    public synchronized List<BlockLocation> serviceLocations(int shuffleId) {
        Shuffle shuffle = shuffles.get(shuffleId);
        if (shuffle == null) {
            return List.of();
        }
        Map<String, BlockLocation> services = new LinkedHashMap<>();
        for (MapStatus output : shuffle.outputs) {
            if (output != null && output.outlivesExecutor()) {
                services.putIfAbsent(output.location().host() + ":" + output.location().port(), output.location());
            }
        }
        return List.copyOf(services.values());
    }

    /** Stops tracking a shuffle no job needs any more. */
    public synchronized void unregister(int shuffleId) {
        shuffles.remove(shuffleId);
    }

    private Shuffle require(int shuffleId) {
        Shuffle shuffle = shuffles.get(shuffleId);
        if (shuffle == null) {
            throw new IllegalArgumentException("unknown shuffle " + shuffleId);
        }
        return shuffle;
    }

    private static final class Shuffle {
        final MapStatus[] outputs;
        final int reducePartitions;
        /** Changes with every output added or forgotten. */
        long version;

        Shuffle(int mapPartitions, int reducePartitions) {
            this.outputs = new MapStatus[mapPartitions];
            this.reducePartitions = reducePartitions;
        }
    }
}
