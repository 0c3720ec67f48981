package io.ember.api.allocation;

import io.ember.api.config.Settings;
import io.ember.api.plugin.PolicyFactory;

/**
 * Creates an {@link AllocationPolicy}. Selected with {@code ember.allocation=<name>}; the default,
 * {@code static}, is built into the core and holds {@code ember.executor.instances} executors.
 */
public interface AllocationPolicyFactory extends PolicyFactory {

    /**
     * Creates the policy for one application, from its settings (prefix
     * {@code ember.allocation.<name>.} stripped; per-application settings already applied).
     * Called on the driver's start-up thread.
     *
     * @throws io.ember.api.config.InvalidSettingException when the settings cannot be accepted
     */
    AllocationPolicy create(Settings settings, AllocationContext context);
}
