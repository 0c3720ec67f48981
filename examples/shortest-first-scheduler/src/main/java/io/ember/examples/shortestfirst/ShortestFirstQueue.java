package io.ember.examples.shortestfirst;

import static java.util.Objects.requireNonNull;

import io.ember.api.scheduler.GroupStatus;
import io.ember.api.scheduler.Schedulable;
import io.ember.api.scheduler.SchedulingLevel;
import io.ember.api.scheduler.SchedulingQueue;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * A shortest-remaining-work-first {@link SchedulingQueue}: a free slot goes to the item with pending
 * work that has the least work left, ties broken by {@link Schedulable#priority() priority}, then
 * {@link Schedulable#sequence() sequence}, then name (so equal work runs first in, first out).
 * <ul>
 *   <li>At {@link SchedulingLevel#TASK_SETS} an item's remaining work is its tasks not yet finished:
 *       {@link Schedulable#pending() pending} plus {@link Schedulable#running() running}. A job of two
 *       tasks submitted while one of forty runs gets the next free cores.</li>
 *   <li>At {@link SchedulingLevel#APPLICATIONS} it is the cores the application still asks for
 *       ({@link Schedulable#pending() pending}): the smallest request is met first.</li>
 * </ul>
 *
 * <p>Starvation: shortest-first alone would leave big work waiting for as long as smaller work keeps
 * arriving. So the queue counts the slots it hands out, and an item with pending work that has seen
 * {@code starvationLimit} slots go to others since it last got one (or since it began to want one)
 * goes first; among several such items, the longest waiting first, then by priority, sequence and
 * name. Getting a slot starts its count again.
 *
 * <p>Cost: items with pending work sit in two sorted sets, one by remaining work and one by how long
 * they have waited; {@link #add}, {@link #remove} and {@link #update} take O(log n). {@link #offer}
 * looks only at the head of the waiting order (the items that are starving, stopping at the first
 * that is not) and then walks the remaining-work order, O(log n) per candidate; it visits only the
 * candidates the predicate rejects and the one it accepts (a starving item that rejects is passed
 * over again, without being asked, in the second walk). {@link #groups()} takes O(n).
 *
 * <p>Threading: not thread-safe; confined to the scheduler's thread, as {@link SchedulingQueue}
 * requires. The predicate given to {@link #offer} must not modify the queue.
 */
public final class ShortestFirstQueue implements SchedulingQueue {

    /** Least remaining work first, then first in, first out. */
    private static final Comparator<Entry> BY_REMAINING = Comparator.<Entry>comparingLong(e -> e.remaining)
            .thenComparing(Entry::compareFifo);

    /** Longest waiting first (the fewest slots handed out when it last got one), then first in, first out. */
    private static final Comparator<Entry> BY_WAITING = Comparator.<Entry>comparingLong(e -> e.waitingSince)
            .thenComparing(Entry::compareFifo);

    private final SchedulingLevel level;
    private final int starvationLimit;
    private final Map<String, Entry> entries = new HashMap<>();
    private final NavigableSet<Entry> byRemaining = new TreeSet<>(BY_REMAINING);
    private final NavigableSet<Entry> byWaiting = new TreeSet<>(BY_WAITING);
    /** Slots {@link #offer} has handed out so far: the clock that starvation is measured on. */
    private long granted;

    /**
     * @param level what the items are, which decides what their remaining work is
     * @param starvationLimit slots that may go to others while an item with pending work waits, at
     *     least 1
     */
    public ShortestFirstQueue(SchedulingLevel level, int starvationLimit) {
        this.level = requireNonNull(level, "level is null");
        if (starvationLimit < 1) {
            throw new IllegalArgumentException("starvationLimit must be >= 1: " + starvationLimit);
        }
        this.starvationLimit = starvationLimit;
    }

    @Override
    public void add(Schedulable item) {
        requireNonNull(item, "item is null");
        Entry entry = new Entry(item);
        if (entries.containsKey(entry.name)) {
            throw new IllegalArgumentException("item already queued: " + entry.name);
        }
        Counts counts = Counts.read(item, entry.name);
        entries.put(entry.name, entry);
        apply(entry, counts);
    }

    @Override
    public void remove(Schedulable item) {
        requireNonNull(item, "item is null");
        Entry entry = entries.remove(item.name());
        if (entry != null && entry.runnable()) {
            byRemaining.remove(entry);
            byWaiting.remove(entry);
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Updating an item that is not in the queue does nothing, like {@link #remove}. An item whose
     * pending work goes from none to some starts waiting now; the time it wanted nothing does not
     * count towards starvation.
     *
     * @throws IllegalArgumentException when a count is negative; the queue then keeps the counts it
     *     had
     */
    @Override
    public void update(Schedulable item) {
        requireNonNull(item, "item is null");
        Entry entry = entries.get(item.name());
        if (entry == null) {
            return;
        }
        Counts counts = Counts.read(item, entry.name);
        apply(entry, counts);
    }

    /** Stores new counts, moving the entry into, within or out of the two orders. */
    private void apply(Entry entry, Counts counts) {
        boolean wasRunnable = entry.runnable();
        if (wasRunnable) {
            byRemaining.remove(entry);   // before its sort key changes
        }
        entry.running = counts.running();
        entry.pending = counts.pending();
        entry.remaining = level == SchedulingLevel.TASK_SETS
                ? (long) counts.pending() + counts.running()
                : counts.pending();
        if (entry.runnable()) {
            byRemaining.add(entry);
            if (!wasRunnable) {
                entry.waitingSince = granted;
                byWaiting.add(entry);
            }
        } else if (wasRunnable) {
            byWaiting.remove(entry);
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Starving items first, longest waiting first; then every other item, least remaining work
     * first. The item returned counts as served: its wait starts again.
     */
    @Override
    public Schedulable offer(Predicate<? super Schedulable> accepts) {
        requireNonNull(accepts, "accepts is null");
        Entry chosen = choose(accepts);
        if (chosen == null) {
            return null;
        }
        byWaiting.remove(chosen);
        granted++;
        chosen.waitingSince = granted;
        byWaiting.add(chosen);
        return chosen.item;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Unlike {@link #offer}, asking does not count as handing out a slot: it changes nothing.
     */
    @Override
    public Schedulable next() {
        Entry chosen = choose(item -> true);
        return chosen == null ? null : chosen.item;
    }

    private Entry choose(Predicate<? super Schedulable> accepts) {
        for (Entry candidate = first(byWaiting); candidate != null && starving(candidate);
                candidate = byWaiting.higher(candidate)) {
            if (accepts.test(candidate.item)) {
                return candidate;
            }
        }
        for (Entry candidate = first(byRemaining); candidate != null; candidate = byRemaining.higher(candidate)) {
            if (!starving(candidate) && accepts.test(candidate.item)) {
                return candidate;
            }
        }
        return null;
    }

    private boolean starving(Entry entry) {
        return granted - entry.waitingSince >= starvationLimit;
    }

    private static Entry first(NavigableSet<Entry> set) {
        return set.isEmpty() ? null : set.first();
    }

    /**
     * {@inheritDoc}
     *
     * <p>One status per group that holds at least one item, sorted by name, with mode
     * {@code "shortest-first"}, weight 1, minShare 0 and an unbounded maxShare: groups play no part
     * in the order and are reported for display only.
     */
    @Override
    public List<GroupStatus> groups() {
        Map<String, Totals> totals = new TreeMap<>();
        for (Entry entry : entries.values()) {
            totals.computeIfAbsent(entry.group, group -> new Totals()).add(entry);
        }
        List<GroupStatus> groups = new ArrayList<>(totals.size());
        totals.forEach((name, t) -> groups.add(new GroupStatus(name, "shortest-first", 1, 0, Integer.MAX_VALUE,
                saturate(t.running), saturate(t.pending), t.items)));
        return List.copyOf(groups);
    }

    private static int saturate(long value) {
        return (int) Math.min(value, Integer.MAX_VALUE);
    }

    /** An item's counts as read from it, checked before the queue changes anything. */
    private record Counts(int running, int pending) {

        static Counts read(Schedulable item, String name) {
            int running = item.running();
            int pending = item.pending();
            if (running < 0 || pending < 0) {
                throw new IllegalArgumentException("running and pending must be >= 0: " + name
                        + " running=" + running + " pending=" + pending);
            }
            return new Counts(running, pending);
        }
    }

    /**
     * One queued item: its fixed ordering fields, the counts last read from it, and the value of
     * {@link #granted} when it last got a slot or began to want one.
     */
    private static final class Entry {
        private final Schedulable item;
        private final String name;
        private final String group;
        private final long priority;
        private final long sequence;
        private int running;
        private int pending;
        private long remaining;
        private long waitingSince;

        private Entry(Schedulable item) {
            this.item = item;
            this.name = requireNonNull(item.name(), "item name is null");
            this.group = requireNonNull(item.group(), "item group is null");
            this.priority = item.priority();
            this.sequence = item.sequence();
        }

        private boolean runnable() {
            return pending > 0;
        }

        private int compareFifo(Entry other) {
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
