package io.ember.core.allocation;

import io.ember.api.allocation.AllocationContext;
import io.ember.api.allocation.AllocationPolicy;
import io.ember.api.allocation.AllocationPolicyFactory;
import io.ember.api.config.Settings;

/**
 * The {@code static} allocation policy, built into the core: an application holds the fixed number
 * of executors it asked for with {@code ember.executor.instances}, for its whole life.
 */
public final class StaticAllocationFactory implements AllocationPolicyFactory {

    /** The name operators select this policy by. */
    public static final String NAME = "static";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "a fixed number of executors per application (ember.executor.instances)";
    }

    @Override
    public AllocationPolicy create(Settings settings, AllocationContext context) {
        return new StaticAllocationPolicy(context);
    }
}
