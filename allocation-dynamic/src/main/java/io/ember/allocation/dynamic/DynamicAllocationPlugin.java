package io.ember.allocation.dynamic;

import io.ember.api.allocation.AllocationPolicyFactory;
import io.ember.api.plugin.Plugin;
import java.util.List;

/**
 * The {@code allocation-dynamic} plugin: offers the {@code dynamic} executor allocation policy.
 * Found by {@link java.util.ServiceLoader} through
 * {@code META-INF/services/io.ember.api.plugin.Plugin}.
 *
 * <p>Stateless and thread-safe.
 */
public final class DynamicAllocationPlugin implements Plugin {

    /** The plugin's name. */
    public static final String NAME = "allocation-dynamic";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<AllocationPolicyFactory> allocationPolicyFactories() {
        return List.of(new DynamicAllocationFactory());
    }
}
