package io.ember.plugins;

import static java.util.Objects.requireNonNull;

import io.ember.api.scheduler.Schedulable;

/** A fixed {@link Schedulable} for feeding queues in tests. */
record TestingSchedulable(String name, String group, long priority, long sequence, int running, int pending) implements Schedulable {

    TestingSchedulable {
        requireNonNull(name, "name is null");
        requireNonNull(group, "group is null");
    }

    /** An item of the default group that wants one slot. */
    static TestingSchedulable wanting(String name, long priority) {
        return new TestingSchedulable(name, "default", priority, 0, 0, 1);
    }
}
