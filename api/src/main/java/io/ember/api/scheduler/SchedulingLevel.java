package io.ember.api.scheduler;

/** Where a {@link SchedulingQueue} is used, and so what its {@link Schedulable}s are. */
public enum SchedulingLevel {
    /**
     * Inside an application, at the driver: the items are task sets (one per running stage), the
     * groups are pools named by {@code ember.scheduler.pool}, and a slot is one executor core.
     */
    TASK_SETS,
    /**
     * Across applications, at the master: the items are applications with an executor request,
     * the groups are queues named by {@code ember.app.queue}, and a slot is one worker core.
     */
    APPLICATIONS
}
