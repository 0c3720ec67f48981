package io.ember.api.testkit;

import static java.util.Objects.requireNonNull;

import io.ember.api.scheduler.Schedulable;

/**
 * A {@link Schedulable} whose counts a test sets directly, standing in for the host's task sets and
 * applications. Not thread-safe, like the queue it feeds.
 */
public final class TestingSchedulable implements Schedulable {

    private final String name;
    private final String group;
    private final long priority;
    private final long sequence;
    private int running;
    private int pending;

    public TestingSchedulable(String name, String group, long priority, long sequence, int pending) {
        this.name = requireNonNull(name, "name is null");
        this.group = requireNonNull(group, "group is null");
        this.priority = priority;
        this.sequence = sequence;
        this.pending = pending;
    }

    /** An item of group {@code default}, sequence 0, with {@code pending} slots wanted. */
    public static TestingSchedulable item(String name, long priority, int pending) {
        return new TestingSchedulable(name, "default", priority, 0, pending);
    }

    /** Moves one pending slot to running, as the host does after a grant. */
    public TestingSchedulable grant() {
        running++;
        pending--;
        return this;
    }

    /** Ends one running slot, as a finished task does. */
    public TestingSchedulable finish() {
        running--;
        return this;
    }

    public TestingSchedulable pending(int pending) {
        this.pending = pending;
        return this;
    }

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

    @Override
    public String toString() {
        return name + " (running " + running + ", pending " + pending + ")";
    }
}
