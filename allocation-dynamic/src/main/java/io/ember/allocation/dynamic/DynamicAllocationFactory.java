package io.ember.allocation.dynamic;

import static java.util.Objects.requireNonNull;

import io.ember.api.allocation.AllocationContext;
import io.ember.api.allocation.AllocationPolicy;
import io.ember.api.allocation.AllocationPolicyFactory;
import io.ember.api.config.ConfigKey;
import io.ember.api.config.Settings;
import java.util.List;

/**
 * The {@code dynamic} allocation policy ({@code ember.allocation=dynamic}): grows the application's
 * executors while tasks wait and releases idle ones, as Spark's dynamic allocation does. Its
 * settings live under {@code ember.allocation.dynamic.} or in
 * {@code conf/allocation-dynamic.properties}; see {@link DynamicAllocationSettings} for the keys.
 *
 * <p>Stateless and thread-safe; every {@link #create} returns a new, independent policy.
 */
public final class DynamicAllocationFactory implements AllocationPolicyFactory {

    /** The name operators select this policy by. */
    public static final String NAME = "dynamic";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Elastic executors: adds executors while tasks wait, releases idle ones (Spark's dynamic allocation)";
    }

    @Override
    public List<ConfigKey<?>> configKeys() {
        return DynamicAllocationSettings.KEYS;
    }

    /**
     * @throws io.ember.api.config.InvalidSettingException when minExecutors exceeds maxExecutors or
     *     initialExecutors lies outside them
     * @throws IllegalArgumentException when the context's cores per task exceed its cores per executor
     */
    @Override
    public AllocationPolicy create(Settings settings, AllocationContext context) {
        requireNonNull(settings, "settings is null");
        requireNonNull(context, "context is null");
        return new DynamicAllocationPolicy(DynamicAllocationSettings.from(settings), context);
    }
}
