package io.ember.api.scheduler;

import io.ember.api.config.Settings;
import io.ember.api.plugin.PolicyFactory;

/**
 * Creates a {@link SchedulingPolicy}. Selected with {@code ember.scheduler=<name>}; the default is
 * {@code fifo}.
 */
public interface SchedulerFactory extends PolicyFactory {

    /**
     * Creates the policy from its settings (prefix {@code ember.scheduler.<name>.} stripped).
     * Called when a process that schedules (a driver, a master) starts, and again each time the
     * scheduler's file ({@code conf/scheduler-<name>.properties}) changes while it runs, on a
     * start-up or reload thread; each call returns a new policy, and the host moves its items into
     * queues of the new one. A policy, once created, never changes.
     *
     * @throws io.ember.api.config.InvalidSettingException when the settings cannot be accepted
     */
    SchedulingPolicy create(Settings settings);
}
