package io.ember.scheduler.fifo;

import static java.util.Objects.requireNonNull;

import io.ember.api.scheduler.GroupStatus;
import io.ember.api.scheduler.Schedulable;
import io.ember.api.scheduler.SchedulingQueue;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * A first-in, first-out {@link SchedulingQueue}: a free slot goes to the item with pending work
 * that has the lowest {@link Schedulable#priority() priority}, then the lowest
 * {@link Schedulable#sequence() sequence}, then the lowest name. At the driver that means earlier
 * jobs first, then earlier stages; a later job gets a slot only when no earlier one can use it.
 * Groups play no part in the order; {@link #groups()} reports them for display only.
 *
 * <p>Cost: items with pending work sit in a sorted set keyed by their immutable ordering fields, so
 * {@link #add}, {@link #remove} and {@link #update} take O(log n), and {@link #offer} takes
 * O(log n) per candidate it visits; it visits only the candidates the predicate rejects and the
 * one it accepts. {@link #groups()} takes O(n).
 *
 * <p>Threading: not thread-safe; confined to the scheduler's thread, as {@link SchedulingQueue}
 * requires. The predicate given to {@link #offer} must not modify the queue.
 */
public final class FifoSchedulingQueue implements SchedulingQueue {

    private final Map<String, Entry> entries = new HashMap<>();
    private final NavigableSet<Entry> runnable = new TreeSet<>();

    @Override
    public void add(Schedulable item) {
        requireNonNull(item, "item is null");
        Entry entry = new Entry(item);
        if (entries.containsKey(entry.name)) {
            throw new IllegalArgumentException("item already queued: " + entry.name);
        }
        entry.read(item);
        entries.put(entry.name, entry);
        if (entry.pending > 0) {
            runnable.add(entry);
        }
    }

    @Override
    public void remove(Schedulable item) {
        requireNonNull(item, "item is null");
        Entry entry = entries.remove(item.name());
        if (entry != null) {
            runnable.remove(entry);
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Updating an item that is not in the queue does nothing, like {@link #remove}.
     */
    @Override
    public void update(Schedulable item) {
        requireNonNull(item, "item is null");
        Entry entry = entries.get(item.name());
        if (entry == null) {
            return;
        }
        entry.read(item);
        if (entry.pending > 0) {
            runnable.add(entry);
        } else {
            runnable.remove(entry);
        }
    }

    @Override
    public Schedulable offer(Predicate<? super Schedulable> accepts) {
        requireNonNull(accepts, "accepts is null");
        if (runnable.isEmpty()) {
            return null;
        }
        for (Entry candidate = runnable.first(); candidate != null; candidate = runnable.higher(candidate)) {
            if (accepts.test(candidate.item)) {
                return candidate.item;
            }
        }
        return null;
    }

    /**
     * {@inheritDoc}
     *
     * <p>One status per group that holds at least one item, sorted by name, with mode
     * {@code "fifo"}, weight 1, minShare 0 and an unbounded maxShare.
     */
    @Override
    public List<GroupStatus> groups() {
        Map<String, Totals> totals = new TreeMap<>();
        for (Entry entry : entries.values()) {
            totals.computeIfAbsent(entry.group, group -> new Totals()).add(entry);
        }
        List<GroupStatus> groups = new ArrayList<>(totals.size());
        totals.forEach((name, t) -> groups.add(new GroupStatus(name, "fifo", 1, 0, Integer.MAX_VALUE,
                saturate(t.running), saturate(t.pending), t.items)));
        return List.copyOf(groups);
    }

    private static int saturate(long value) {
        return (int) Math.min(value, Integer.MAX_VALUE);
    }

    /** One queued item: its fixed ordering fields and the counts last read from it. */
    private static final class Entry implements Comparable<Entry> {
        private final Schedulable item;
        private final String name;
        private final String group;
        private final long priority;
        private final long sequence;
        private int running;
        private int pending;

        private Entry(Schedulable item) {
            this.item = item;
            this.name = requireNonNull(item.name(), "item name is null");
            this.group = requireNonNull(item.group(), "item group is null");
            this.priority = item.priority();
            this.sequence = item.sequence();
        }

        private void read(Schedulable source) {
            int newRunning = source.running();
            int newPending = source.pending();
            if (newRunning < 0 || newPending < 0) {
                throw new IllegalArgumentException("running and pending must be >= 0: " + name
                        + " running=" + newRunning + " pending=" + newPending);
            }
            running = newRunning;
            pending = newPending;
        }

        @Override
        public int compareTo(Entry other) {
            int byPriority = Long.compare(priority, other.priority);
            if (byPriority != 0) {
                return byPriority;
            }
            int bySequence = Long.compare(sequence, other.sequence);
            return bySequence != 0 ? bySequence : name.compareTo(other.name);
        }
    }

    /** Running sums for one group in {@link #groups()}. */
    private static final class Totals {
        private long running;
        private long pending;
        private int items;

        private void add(Entry entry) {
            running += entry.running;
            pending += entry.pending;
            items++;
        }
    }
}
