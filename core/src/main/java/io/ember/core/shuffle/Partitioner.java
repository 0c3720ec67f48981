package io.ember.core.shuffle;

import java.io.Serializable;

/**
 * Assigns each key to one of {@link #partitions()} reduce partitions. Serialized with the map
 * stage's code and called on executors, from several task threads at once: implementations are
 * immutable.
 */
public interface Partitioner extends Serializable {

    /** How many reduce partitions. */
    int partitions();

    /** The reduce partition of {@code key}, in {@code [0, partitions())}; {@code null} is a key too. */
    int partition(Object key);
}
