package io.ember.api.plugin;

import io.ember.api.allocation.AllocationPolicyFactory;
import io.ember.api.scheduler.SchedulerFactory;
import io.ember.api.shuffle.ShuffleManagerFactory;
import java.util.List;

/**
 * What a plugin JAR offers. The host finds implementations with {@link java.util.ServiceLoader}
 * (a file {@code META-INF/services/io.ember.api.plugin.Plugin} naming the class), creates each
 * once with its public no-argument constructor, and asks it for its factories.
 *
 * <p>Every offering has a {@code default} empty answer: a plugin overrides only what it has, and
 * later API versions can add kinds of offering without breaking existing plugins.
 *
 * <p>Threading and class loading: the host calls these methods once, at start-up, on one thread,
 * with the thread context class loader set to the plugin's own class loader. They should only
 * construct factories; any expensive work belongs in the factories' {@code create} methods. An
 * exception thrown here makes the host refuse the whole plugin, with the exception's message.
 */
public interface Plugin {

    /**
     * The plugin's name, unique among the plugins one host loads: lower-case letters, digits and
     * {@code -}, e.g. {@code "scheduler-fair"}. {@code ember plugins} lists it.
     */
    String name();

    /** The task/application scheduling policies this plugin offers. */
    default List<SchedulerFactory> schedulerFactories() {
        return List.of();
    }

    /** The executor allocation policies this plugin offers. */
    default List<AllocationPolicyFactory> allocationPolicyFactories() {
        return List.of();
    }

    /** The shuffle implementations this plugin offers. */
    default List<ShuffleManagerFactory> shuffleManagerFactories() {
        return List.of();
    }
}
