package io.ember.scheduler.fair;

import static java.util.Objects.requireNonNull;

import io.ember.api.scheduler.GroupStatus;
import io.ember.api.scheduler.Schedulable;
import java.util.NavigableSet;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * One pool or queue inside a {@link FairSchedulingQueue}: its parameters, the sums of its items'
 * counts, and its items with pending work in the order of its {@link SharingMode}.
 *
 * <p>Cost: adding, removing and updating an item take O(log n) in the group's size.
 *
 * <p>Not thread-safe; owned by one queue, which also keeps the group's own position
 * ({@link #key()}) among its siblings.
 */
final class Group {

    private final String name;
    private final GroupParameters parameters;
    private final NavigableSet<ItemKey> runnable = new TreeSet<>();
    private long running;
    private long pending;
    private int items;
    private GroupKey key;

    Group(String name, GroupParameters parameters) {
        this.name = requireNonNull(name, "name is null");
        this.parameters = requireNonNull(parameters, "parameters is null");
    }

    String name() {
        return name;
    }

    /** Whether the group holds no items. */
    boolean isEmpty() {
        return items == 0;
    }

    /** Whether the group should be offered slots: it has pending work and is below its maxShare. */
    boolean wantsSlots() {
        return !runnable.isEmpty() && running < parameters.maxShare();
    }

    /** The group's position among its siblings as of its current running count. */
    GroupKey newKey() {
        return GroupKey.of(this, name, running, parameters);
    }

    /** The key the queue currently holds for this group, or {@code null} when it holds none. */
    GroupKey key() {
        return key;
    }

    void key(GroupKey key) {
        this.key = key;
    }

    void add(QueuedItem item) {
        running += item.running();
        pending += item.pending();
        items++;
        enter(item);
    }

    void remove(QueuedItem item) {
        leave(item);
        running -= item.running();
        pending -= item.pending();
        items--;
    }

    /** Records an item's new counts and moves it within the group when its position changed. */
    void update(QueuedItem item, int newRunning, int newPending) {
        running += newRunning - item.running();
        pending += newPending - item.pending();
        boolean move = item.key() == null
                ? newPending > 0
                : newPending == 0 || (parameters.mode().ordersByRunning() && newRunning != item.running());
        if (move) {
            leave(item);
        }
        item.counts(newRunning, newPending);
        if (move) {
            enter(item);
        }
    }

    /**
     * Offers a slot to this group's runnable items in order.
     *
     * @return the first item {@code accepts} takes, or {@code null}
     */
    Schedulable offer(Predicate<? super Schedulable> accepts) {
        if (runnable.isEmpty()) {
            return null;
        }
        for (ItemKey candidate = runnable.first(); candidate != null; candidate = runnable.higher(candidate)) {
            Schedulable item = candidate.queued().item();
            if (accepts.test(item)) {
                return item;
            }
        }
        return null;
    }

    GroupStatus status() {
        return status(name, parameters, running, pending, items);
    }

    /** The status of a group with these figures; counts beyond {@code int} are reported as the maximum. */
    static GroupStatus status(String name, GroupParameters parameters, long running, long pending, int items) {
        return new GroupStatus(name, parameters.mode().id(), parameters.weight(), parameters.minShare(),
                parameters.maxShare(), saturate(running), saturate(pending), items);
    }

    private static int saturate(long value) {
        return (int) Math.min(value, Integer.MAX_VALUE);
    }

    private void enter(QueuedItem item) {
        if (item.pending() > 0) {
            ItemKey itemKey = parameters.mode().keyOf(item);
            runnable.add(itemKey);
            item.key(itemKey);
        }
    }

    private void leave(QueuedItem item) {
        ItemKey itemKey = item.key();
        if (itemKey != null) {
            runnable.remove(itemKey);
            item.key(null);
        }
    }
}
