package io.ember.api.scheduler;

/**
 * Something that competes for slots: a task set at the driver, an application at the master.
 * Implemented by the host and handed to a {@link SchedulingQueue}.
 *
 * <p>{@link #name()}, {@link #group()}, {@link #priority()} and {@link #sequence()} never change
 * while the item is in a queue. {@link #running()} and {@link #pending()} change as slots are
 * granted and released; the host calls {@link SchedulingQueue#update} after every such change, on
 * the queue's thread, so a queue may cache what it ordered by.
 */
public interface Schedulable {

    /** Unique within its queue and stable, e.g. {@code "job-3/stage-7"} or an application id. */
    String name();

    /** The pool (driver) or queue (master) this item belongs to; {@code "default"} when unnamed. */
    String group();

    /** Lower runs first under FIFO: the job id at the driver, the registration order at the master. */
    long priority();

    /** Breaks ties within a priority, lower first: the stage id at the driver. */
    long sequence();

    /** Slots this item holds now. */
    int running();

    /** Further slots this item could use now; zero means it does not want a slot. */
    int pending();
}
