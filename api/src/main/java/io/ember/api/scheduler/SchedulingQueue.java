package io.ember.api.scheduler;

import java.util.List;
import java.util.function.Predicate;

/**
 * The ordering state of one scheduling level: holds {@link Schedulable}s and, when a slot frees
 * up, says who gets it.
 *
 * <p>Threading: a queue is confined to one thread (the scheduler's event loop); implementations
 * need not be thread-safe. The host adds, updates and removes items and makes offers on that thread
 * only.
 *
 * <p>Cost: {@link #offer} is on the hot path (once per task launch). It must not scan every item or
 * every pending task; keep items in ordered structures updated in {@link #update}.
 */
public interface SchedulingQueue {

    /**
     * Adds an item.
     *
     * @throws IllegalArgumentException when an item of the same name is already present
     */
    void add(Schedulable item);

    /** Removes an item; removing an absent item does nothing. */
    void remove(Schedulable item);

    /** Re-reads an item's {@link Schedulable#running()} and {@link Schedulable#pending()}. */
    void update(Schedulable item);

    /**
     * Offers one slot to the items with pending work, in this policy's order, until one accepts:
     * {@code accepts} is called on each candidate in turn and the first for which it returns
     * {@code true} is returned. The host uses the predicate to skip items that cannot use this
     * particular slot (a task set waiting for another executor, say). The queue does not change
     * counts itself; the host updates the accepted item afterwards.
     *
     * @return the item that takes the slot, or {@code null} when none does
     */
    Schedulable offer(Predicate<? super Schedulable> accepts);

    /** The item that would get the next slot if every item could use it, or {@code null}. */
    default Schedulable next() {
        return offer(item -> true);
    }

    /** A snapshot of every group (pool or queue) with its parameters and current counts. */
    List<GroupStatus> groups();
}
