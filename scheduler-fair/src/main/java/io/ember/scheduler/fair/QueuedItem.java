package io.ember.scheduler.fair;

import static java.util.Objects.requireNonNull;

import io.ember.api.scheduler.Schedulable;

/**
 * One item in a {@link FairSchedulingQueue}: its fixed ordering fields, the counts last read from
 * it, and its current position in its group (none while it has no pending work).
 *
 * <p>Not thread-safe; owned by one queue.
 */
final class QueuedItem {

    private final Schedulable item;
    private final String name;
    private final long priority;
    private final long sequence;
    private final Group group;
    private int running;
    private int pending;
    private ItemKey key;

    QueuedItem(Schedulable item, Group group, int running, int pending) {
        this.item = requireNonNull(item, "item is null");
        this.group = requireNonNull(group, "group is null");
        this.name = requireNonNull(item.name(), "item name is null");
        this.priority = item.priority();
        this.sequence = item.sequence();
        this.running = running;
        this.pending = pending;
    }

    /**
     * Checks counts read from an item.
     *
     * @throws IllegalArgumentException when either is negative
     */
    static void checkCounts(String name, int running, int pending) {
        if (running < 0 || pending < 0) {
            throw new IllegalArgumentException("running and pending must be >= 0: " + name
                    + " running=" + running + " pending=" + pending);
        }
    }

    Schedulable item() {
        return item;
    }

    String name() {
        return name;
    }

    long priority() {
        return priority;
    }

    long sequence() {
        return sequence;
    }

    Group group() {
        return group;
    }

    int running() {
        return running;
    }

    int pending() {
        return pending;
    }

    void counts(int running, int pending) {
        this.running = running;
        this.pending = pending;
    }

    /** The item's position in its group, or {@code null} while it is not runnable. */
    ItemKey key() {
        return key;
    }

    void key(ItemKey key) {
        this.key = key;
    }
}
