package io.ember.core.shuffle;

/**
 * Partitions by the key's {@link Object#hashCode()}: equal keys meet in one reduce partition. The
 * hash is spread (its high bits mixed into its low ones) so keys whose hashes differ only in high
 * bits, such as many {@code Long}s and {@code Double}s, do not crowd into few partitions.
 *
 * @param partitions how many reduce partitions, at least 1
 */
public record HashPartitioner(int partitions) implements Partitioner {

    private static final long serialVersionUID = 1L;

    public HashPartitioner {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be >= 1: " + partitions);
        }
    }

    @Override
    public int partition(Object key) {
        if (key == null) {
            return 0;
        }
        int h = key.hashCode();
        h ^= (h >>> 16);
        h *= 0x85ebca6b;
        h ^= (h >>> 13);
        return Math.floorMod(h, partitions);
    }
}
