package io.ember.core.storage;

/**
 * Hears what a {@link BlockManager} keeps and drops, so the driver can learn where cached
 * partitions live.
 *
 * <p>Threading: called on whichever thread stored or dropped the block (a task thread, or the
 * thread that asked to remove a dataset), while the block manager's lock is held, in the order the
 * changes happened. It must return quickly and must not block (hand the change to a queue).
 */
@FunctionalInterface
public interface BlockListener {

    /** A block was stored or dropped. */
    void blockChanged(BlockChange change);
}
