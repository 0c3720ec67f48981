package io.ember.examples.shortestfirst;

import io.ember.api.plugin.Plugin;
import io.ember.api.scheduler.SchedulerFactory;
import java.util.List;

/**
 * The {@code shortest-first-scheduler} plugin: offers the {@code shortest-first} scheduling policy
 * ({@code ember.scheduler=shortest-first}). Listed in
 * {@code META-INF/services/io.ember.api.plugin.Plugin}, so the host finds it with
 * {@link java.util.ServiceLoader}.
 *
 * <p>Stateless; the host creates it once with its no-argument constructor and calls it at start-up
 * on one thread.
 */
public final class ShortestFirstPlugin implements Plugin {

    @Override
    public String name() {
        return "shortest-first-scheduler";
    }

    @Override
    public List<SchedulerFactory> schedulerFactories() {
        return List.of(new ShortestFirstSchedulerFactory());
    }
}
