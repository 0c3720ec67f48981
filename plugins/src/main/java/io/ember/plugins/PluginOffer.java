package io.ember.plugins;

import static java.util.Objects.requireNonNull;

import io.ember.api.allocation.AllocationPolicyFactory;
import io.ember.api.scheduler.SchedulerFactory;
import io.ember.api.shuffle.ShuffleManagerFactory;
import java.util.List;

/**
 * What a plugin's provider said it offers, checked, with every factory wrapped so that calls into it
 * run under the plugin's class loader.
 *
 * @param name the plugin's (valid) name
 * @param schedulerFactories its scheduler factories, wrapped
 * @param allocationPolicyFactories its allocation policy factories, wrapped
 * @param shuffleManagerFactories its shuffle manager factories, wrapped
 */
record PluginOffer(String name, List<SchedulerFactory> schedulerFactories,
                   List<AllocationPolicyFactory> allocationPolicyFactories,
                   List<ShuffleManagerFactory> shuffleManagerFactories) {

    PluginOffer {
        requireNonNull(name, "name is null");
        schedulerFactories = List.copyOf(requireNonNull(schedulerFactories, "schedulerFactories is null"));
        allocationPolicyFactories = List.copyOf(requireNonNull(allocationPolicyFactories, "allocationPolicyFactories is null"));
        shuffleManagerFactories = List.copyOf(requireNonNull(shuffleManagerFactories, "shuffleManagerFactories is null"));
    }
}
