package io.ember.api.testkit;

import static java.util.Objects.requireNonNull;

import io.ember.api.scheduler.Schedulable;
import io.ember.api.scheduler.SchedulingQueue;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link Schedulable} whose counts a test sets directly, standing in for the host's task sets (at
 * the driver: priority is the job id, sequence the stage id, group the pool) and applications (at
 * the master: priority is the registration order, group the queue).
 *
 * <p>{@link #name()}, {@link #group()}, {@link #priority()} and {@link #sequence()} are fixed at
 * construction, as the SPI promises they are while an item is queued. {@link #running()} and
 * {@link #pending()} change only when the test says so ({@link #running(int)}, {@link #pending(int)},
 * {@link #grant()}, {@link #finish()}); as the host does, call {@link SchedulingQueue#update} after
 * each change to an item in a queue. The setters take any value, negative ones included, so that a
 * test can check that a queue refuses them. Remaining work, for a policy that orders by it, is
 * {@code pending() + running()} at the driver.
 *
 * <p>Equality is identity, as for the host's items: two fakes with the same name are different
 * items, which is how a test adds a duplicate name.
 *
 * <p>Not thread-safe: like the {@link SchedulingQueue} it feeds, it is confined to one thread.
 */
public final class TestingSchedulable implements Schedulable {

    /** The group of an item that names none, as the host's {@link Schedulable#group()} says. */
    public static final String DEFAULT_GROUP = "default";

    private final String name;
    private final String group;
    private final long priority;
    private final long sequence;
    private int running;
    private int pending;

    /**
     * An item with nothing running yet.
     *
     * @param pending the slots it wants
     */
    public TestingSchedulable(String name, String group, long priority, long sequence, int pending) {
        this.name = requireNonNull(name, "name is null");
        this.group = requireNonNull(group, "group is null");
        this.priority = priority;
        this.sequence = sequence;
        this.pending = pending;
    }

    /** An item of group {@value #DEFAULT_GROUP}, sequence 0, nothing running, {@code pending} slots wanted. */
    public static TestingSchedulable item(String name, long priority, int pending) {
        return new TestingSchedulable(name, DEFAULT_GROUP, priority, 0, pending);
    }

    /**
     * Offers up to {@code slots} slots that every item can use, one after the other, as the host
     * does: {@link SchedulingQueue#offer offer}, then {@link #grant()} the item that takes the slot
     * and {@link SchedulingQueue#update update} it. Stops early at the first slot no item takes.
     * Every item in the queue must be a {@code TestingSchedulable}.
     *
     * @return the items that took the slots, in order (an item once per slot it took)
     */
    public static List<TestingSchedulable> grantSlots(SchedulingQueue queue, int slots) {
        requireNonNull(queue, "queue is null");
        if (slots < 0) {
            throw new IllegalArgumentException("slots must be >= 0: " + slots);
        }
        List<TestingSchedulable> granted = new ArrayList<>(slots);
        for (int i = 0; i < slots; i++) {
            Schedulable next = queue.offer(item -> true);
            if (next == null) {
                break;
            }
            if (!(next instanceof TestingSchedulable item)) {
                throw new IllegalStateException("the queue offered a slot to an item the test did not add: " + next);
            }
            queue.update(item.grant());
            granted.add(item);
        }
        return granted;
    }

    /**
     * Moves one slot from pending to running, as the host does when the item takes a slot.
     *
     * @throws IllegalStateException when the item has no pending work: a queue offered it a slot it
     *     cannot use
     */
    public TestingSchedulable grant() {
        if (pending <= 0) {
            throw new IllegalStateException(name + " was granted a slot without pending work: " + this);
        }
        running++;
        pending--;
        return this;
    }

    /**
     * Ends one running slot, as the host does when a task finishes.
     *
     * @throws IllegalStateException when nothing runs
     */
    public TestingSchedulable finish() {
        if (running <= 0) {
            throw new IllegalStateException(name + " has nothing running to finish: " + this);
        }
        running--;
        return this;
    }

    /** Sets the slots the item wants; any value, so a test can feed a queue a bad count. */
    public TestingSchedulable pending(int pending) {
        this.pending = pending;
        return this;
    }

    /** Sets the slots the item holds; any value, so a test can feed a queue a bad count. */
    public TestingSchedulable running(int running) {
        this.running = running;
        return this;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String group() {
        return group;
    }

    @Override
    public long priority() {
        return priority;
    }

    @Override
    public long sequence() {
        return sequence;
    }

    @Override
    public int running() {
        return running;
    }

    @Override
    public int pending() {
        return pending;
    }

    /** The name and counts, e.g. {@code job-1/stage-0 (running 2, pending 3)}, for assertion messages. */
    @Override
    public String toString() {
        return name + " (running " + running + ", pending " + pending + ")";
    }
}
