package io.ember.core.plugin;

import static java.util.Objects.requireNonNull;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.multibindings.MapBinder;
import io.ember.api.allocation.AllocationPolicyFactory;
import io.ember.api.plugin.PolicyKind;
import io.ember.api.scheduler.SchedulerFactory;
import io.ember.api.scheduler.SchedulingPolicy;
import io.ember.api.shuffle.ShuffleManager;
import io.ember.api.shuffle.ShuffleManagerFactory;
import io.ember.core.config.EmberConfig;
import io.ember.plugins.PluginSet;
import java.util.Map;

/**
 * Binds every loaded policy factory by name ({@code Map<String, SchedulerFactory>} and its
 * siblings, through {@link MapBinder}) and provides the selected policies, created from their own
 * settings.
 */
public final class PluginsModule extends AbstractModule {

    private final PluginSet plugins;

    public PluginsModule(PluginSet plugins) {
        this.plugins = requireNonNull(plugins, "plugins is null");
    }

    @Override
    protected void configure() {
        bind(PluginSet.class).toInstance(plugins);
        MapBinder<String, SchedulerFactory> schedulers =
                MapBinder.newMapBinder(binder(), String.class, SchedulerFactory.class);
        plugins.schedulerFactories().forEach((name, factory) -> schedulers.addBinding(name).toInstance(factory));
        MapBinder<String, AllocationPolicyFactory> allocations =
                MapBinder.newMapBinder(binder(), String.class, AllocationPolicyFactory.class);
        plugins.allocationPolicyFactories().forEach((name, factory) -> allocations.addBinding(name).toInstance(factory));
        MapBinder<String, ShuffleManagerFactory> shuffles =
                MapBinder.newMapBinder(binder(), String.class, ShuffleManagerFactory.class);
        plugins.shuffleManagerFactories().forEach((name, factory) -> shuffles.addBinding(name).toInstance(factory));
    }

    @Provides
    @Singleton
    SelectedPolicies selectedPolicies(EmberConfig config, Map<String, SchedulerFactory> schedulers,
                                      Map<String, AllocationPolicyFactory> allocations,
                                      Map<String, ShuffleManagerFactory> shuffles) {
        return new PolicySelector(config.core(), plugins.refusals()).select(schedulers, allocations, shuffles);
    }

    @Provides
    @Singleton
    SchedulingPolicy schedulingPolicy(EmberConfig config, SelectedPolicies selected) {
        SchedulerFactory factory = selected.scheduler();
        return factory.create(config.policy(PolicyKind.SCHEDULER, factory.name()));
    }

    @Provides
    @Singleton
    AllocationPolicyFactory allocationPolicyFactory(SelectedPolicies selected) {
        return selected.allocation();
    }

    @Provides
    @Singleton
    ShuffleManager shuffleManager(EmberConfig config, SelectedPolicies selected) {
        ShuffleManagerFactory factory = selected.shuffle();
        return factory.create(config.policy(PolicyKind.SHUFFLE, factory.name()));
    }
}
