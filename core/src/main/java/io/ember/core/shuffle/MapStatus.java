package io.ember.core.shuffle;

import static java.util.Objects.requireNonNull;

import io.ember.api.shuffle.BlockLocation;
import io.ember.api.shuffle.MapBlock;
import io.ember.api.shuffle.ShuffleBlockId;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * What a finished map task reports: which task attempt wrote the output ({@code mapId}, the name of
 * its blocks), where it is served, and each block's length. A map task's result.
 *
 * @param mapPartition the partition of the map stage it computed
 * @param mapId the attempt's unique id, which names its files and blocks
 * @param location where its blocks are served
 * @param sizes the length of each reduce partition's block: exact as the map task reports it, perhaps
 *     estimated once the driver keeps it ({@link #compact})
 * @param spills how many times the map task spilled to disk before merging its output
 * @param outlivesExecutor whether {@code location} keeps serving the blocks after the executor that
 *     wrote them exits (an external shuffle service); when not, they are lost with it
 */
public record MapStatus(int mapPartition, long mapId, BlockLocation location, BlockSizes sizes, int spills,
                        boolean outlivesExecutor)
        implements Serializable {

    private static final long serialVersionUID = 2L;

    public MapStatus {
        requireNonNull(location, "location is null");
        requireNonNull(sizes, "sizes is null");
        if (mapPartition < 0 || mapId < 0 || spills < 0) {
            throw new IllegalArgumentException("map partition and id must be >= 0: " + mapPartition + ", " + mapId);
        }
    }

    /** A status with every block's length. */
    public MapStatus(int mapPartition, long mapId, BlockLocation location, long[] lengths, int spills,
                     boolean outlivesExecutor) {
        this(mapPartition, mapId, location, BlockSizes.exact(lengths), spills, outlivesExecutor);
    }

    /** A status of a map task that did not spill, whose executor serves its blocks itself. */
    public MapStatus(int mapPartition, long mapId, BlockLocation location, long[] lengths) {
        this(mapPartition, mapId, location, lengths, 0, false);
    }

    /** The total length of the map task's blocks, exact. */
    public long bytes() {
        return sizes.total();
    }

    /** How many blocks (reduce partitions) the output has. */
    public int blockCount() {
        return sizes.count();
    }

    /** Each block's length, as {@link #length(int)} gives it. */
    public long[] lengths() {
        long[] lengths = new long[sizes.count()];
        for (int i = 0; i < lengths.length; i++) {
            lengths[i] = sizes.size(i);
        }
        return lengths;
    }

    /** The length of reduce partition {@code reduceId}'s block (perhaps estimated: {@link BlockSizes}). */
    public long length(int reduceId) {
        return sizes.size(reduceId);
    }

    /** This status with its sizes as the driver keeps them ({@link BlockSizes#compact}). */
    public MapStatus compact(long accurateThreshold) {
        BlockSizes compact = sizes.compact(accurateThreshold);
        return compact == sizes ? this : new MapStatus(mapPartition, mapId, location, compact, spills,
                outlivesExecutor);
    }

    /**
     * The non-empty blocks of reduce partition {@code reduceId}, one per map output that has bytes
     * for it: what a reduce task fetches.
     *
     * @param statuses the output of every map partition of the shuffle
     */
    public static List<MapBlock> blocks(int shuffleId, int reduceId, MapStatus[] statuses) {
        List<MapBlock> blocks = new ArrayList<>();
        for (MapStatus status : statuses) {
            long length = status.sizes.size(reduceId);
            if (length > 0) {
                blocks.add(new MapBlock(new ShuffleBlockId(shuffleId, status.mapId(), reduceId), status.location(),
                        length, status.sizes.exact(reduceId)));
            }
        }
        return blocks;
    }
}
