package io.ember.scheduler.fifo;

import static java.util.Objects.requireNonNull;

import io.ember.api.config.Settings;
import io.ember.api.scheduler.SchedulerFactory;
import io.ember.api.scheduler.SchedulingPolicy;

/**
 * Creates the {@code fifo} policy ({@code ember.scheduler=fifo}, the default): slots go to items in
 * order of priority, then sequence, then name. It reads no settings.
 *
 * <p>Stateless and thread-safe.
 */
public final class FifoSchedulerFactory implements SchedulerFactory {

    @Override
    public String name() {
        return "fifo";
    }

    @Override
    public String description() {
        return "First in, first out: earlier jobs (applications) first, then earlier stages";
    }

    @Override
    public SchedulingPolicy create(Settings settings) {
        requireNonNull(settings, "settings is null");
        return new FifoSchedulingPolicy();
    }
}
