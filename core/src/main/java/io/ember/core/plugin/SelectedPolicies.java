package io.ember.core.plugin;

import static java.util.Objects.requireNonNull;

import io.ember.api.allocation.AllocationPolicyFactory;
import io.ember.api.scheduler.SchedulerFactory;
import io.ember.api.shuffle.ShuffleManagerFactory;

/**
 * The policy factories the configuration selects ({@code ember.scheduler}, {@code ember.allocation},
 * {@code ember.shuffle}), each from the plugin that offers it.
 */
public record SelectedPolicies(SchedulerFactory scheduler, AllocationPolicyFactory allocation,
                               ShuffleManagerFactory shuffle) {

    public SelectedPolicies {
        requireNonNull(scheduler, "scheduler is null");
        requireNonNull(allocation, "allocation is null");
        requireNonNull(shuffle, "shuffle is null");
    }
}
