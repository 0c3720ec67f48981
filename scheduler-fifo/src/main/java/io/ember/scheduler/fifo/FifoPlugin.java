package io.ember.scheduler.fifo;

import io.ember.api.plugin.Plugin;
import io.ember.api.scheduler.SchedulerFactory;
import java.util.List;

/**
 * The {@code scheduler-fifo} plugin: offers the {@code fifo} scheduling policy, Ember's default.
 *
 * <p>Stateless; the host calls it once at start-up on one thread.
 */
public final class FifoPlugin implements Plugin {

    @Override
    public String name() {
        return "scheduler-fifo";
    }

    @Override
    public List<SchedulerFactory> schedulerFactories() {
        return List.of(new FifoSchedulerFactory());
    }
}
