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
     * Called once per process that schedules (each driver, each master) on a start-up thread.
     *
     * @throws io.ember.api.config.InvalidSettingException when the settings cannot be accepted
     */
    SchedulingPolicy create(Settings settings);
}
