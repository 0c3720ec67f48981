package io.ember.core.plugin;

import io.ember.api.allocation.AllocationPolicyFactory;
import io.ember.api.plugin.Plugin;
import io.ember.core.allocation.StaticAllocationFactory;
import java.util.List;

/**
 * The policies built into the core, offered through the same SPI as every other plugin so that the
 * host treats them alike: {@code static} allocation.
 */
public final class CorePlugin implements Plugin {

    /** The plugin's name in {@code ember plugins}. */
    public static final String NAME = "core";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<AllocationPolicyFactory> allocationPolicyFactories() {
        return List.of(new StaticAllocationFactory());
    }
}
