/**
 * The scheduling SPI. A {@link io.ember.api.scheduler.SchedulerFactory} creates a
 * {@link io.ember.api.scheduler.SchedulingPolicy}, which creates one
 * {@link io.ember.api.scheduler.SchedulingQueue} per level; the host puts
 * {@link io.ember.api.scheduler.Schedulable}s in it and asks it who gets each free slot.
 */
package io.ember.api.scheduler;
