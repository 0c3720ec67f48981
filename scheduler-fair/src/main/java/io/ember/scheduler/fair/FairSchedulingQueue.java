package io.ember.scheduler.fair;

import static java.util.Objects.requireNonNull;

import io.ember.api.scheduler.GroupStatus;
import io.ember.api.scheduler.Schedulable;
import io.ember.api.scheduler.SchedulingQueue;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * A fair-sharing {@link SchedulingQueue} in two levels, as Spark's fair scheduler: first among
 * groups (pools at the driver, queues at the master, named by {@link Schedulable#group()}), then
 * among the items inside the chosen group.
 *
 * <p>Among groups with pending work, a group below its minShare comes before any group at or above
 * its own, needy groups by lowest running/minShare; the others by lowest running/weight (weight 0
 * counts as infinite, so such a group comes last); ties go to the lower name. A group holding its
 * maxShare or more is not offered slots. Inside a group, {@link SharingMode#FIFO fifo} orders by
 * priority, sequence and name, and {@link SharingMode#FAIR fair} by fewest running slots, then
 * name. A group that is not declared has weight 1, minShare 0, no maxShare and mode fifo.
 *
 * <p>Cost: groups with pending work sit in a sorted set keyed by a snapshot of their ordering
 * values, and each group keeps its runnable items in a sorted set; {@link #add}, {@link #remove}
 * and {@link #update} re-position the item and its group in O(log n), and {@link #offer} takes
 * O(log n) per candidate it visits, visiting only the candidates the predicate rejects and the one
 * it accepts. {@link #groups()} takes O(groups).
 *
 * <p>Threading: not thread-safe; confined to the scheduler's thread, as {@link SchedulingQueue}
 * requires. The predicate given to {@link #offer} must not modify the queue.
 */
public final class FairSchedulingQueue implements SchedulingQueue {

    private final GroupRules rules;
    private final Map<String, QueuedItem> items = new HashMap<>();
    private final Map<String, Group> groups = new HashMap<>();
    private final NavigableSet<GroupKey> order = new TreeSet<>();

    FairSchedulingQueue(GroupRules rules) {
        this.rules = requireNonNull(rules, "rules is null");
    }

    @Override
    public void add(Schedulable item) {
        requireNonNull(item, "item is null");
        String name = requireNonNull(item.name(), "item name is null");
        String groupName = requireNonNull(item.group(), "item group is null");
        if (items.containsKey(name)) {
            throw new IllegalArgumentException("item already queued: " + name);
        }
        int running = item.running();
        int pending = item.pending();
        QueuedItem.checkCounts(name, running, pending);
        Group group = groups.computeIfAbsent(groupName, g -> new Group(g, rules.forGroup(g)));
        QueuedItem queued = new QueuedItem(item, group, running, pending);
        items.put(name, queued);
        detach(group);
        group.add(queued);
        attach(group);
    }

    @Override
    public void remove(Schedulable item) {
        requireNonNull(item, "item is null");
        QueuedItem queued = items.remove(item.name());
        if (queued == null) {
            return;
        }
        Group group = queued.group();
        detach(group);
        group.remove(queued);
        if (group.isEmpty()) {
            groups.remove(group.name());
        } else {
            attach(group);
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
        QueuedItem queued = items.get(item.name());
        if (queued == null) {
            return;
        }
        int running = item.running();
        int pending = item.pending();
        QueuedItem.checkCounts(queued.name(), running, pending);
        if (running == queued.running() && pending == queued.pending()) {
            return;
        }
        Group group = queued.group();
        detach(group);
        group.update(queued, running, pending);
        attach(group);
    }

    @Override
    public Schedulable offer(Predicate<? super Schedulable> accepts) {
        requireNonNull(accepts, "accepts is null");
        if (order.isEmpty()) {
            return null;
        }
        for (GroupKey candidate = order.first(); candidate != null; candidate = order.higher(candidate)) {
            Schedulable item = candidate.group().offer(accepts);
            if (item != null) {
                return item;
            }
        }
        return null;
    }

    /**
     * {@inheritDoc}
     *
     * <p>One status per declared group, even an empty one, and per other group that holds items,
     * sorted by name.
     */
    @Override
    public List<GroupStatus> groups() {
        Map<String, GroupStatus> statuses = new TreeMap<>();
        rules.declared().forEach((name, parameters) -> statuses.put(name, Group.status(name, parameters, 0, 0, 0)));
        groups.values().forEach(group -> statuses.put(group.name(), group.status()));
        return List.copyOf(statuses.values());
    }

    private void detach(Group group) {
        GroupKey key = group.key();
        if (key != null) {
            order.remove(key);
            group.key(null);
        }
    }

    private void attach(Group group) {
        if (group.wantsSlots()) {
            GroupKey key = group.newKey();
            order.add(key);
            group.key(key);
        }
    }
}
