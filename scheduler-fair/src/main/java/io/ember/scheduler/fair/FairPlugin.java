package io.ember.scheduler.fair;

import io.ember.api.plugin.Plugin;
import io.ember.api.scheduler.SchedulerFactory;
import java.util.List;

/**
 * The {@code scheduler-fair} plugin: offers the {@code fair} scheduling policy.
 *
 * <p>Stateless; the host calls it once at start-up on one thread.
 */
public final class FairPlugin implements Plugin {

    @Override
    public String name() {
        return "scheduler-fair";
    }

    @Override
    public List<SchedulerFactory> schedulerFactories() {
        return List.of(new FairSchedulerFactory());
    }
}
