package io.ember.examples.shortestfirst;

import static java.util.Objects.requireNonNull;

import io.ember.api.config.ConfigKey;
import io.ember.api.config.Settings;
import io.ember.api.scheduler.SchedulerFactory;
import io.ember.api.scheduler.SchedulingPolicy;
import java.util.List;

/**
 * Creates the {@code shortest-first} policy ({@code ember.scheduler=shortest-first}): a free slot
 * goes to the item with the least remaining work, unless an item has waited through
 * {@link #STARVATION_LIMIT starvationLimit} slots (see {@link ShortestFirstQueue}).
 *
 * <p>Its one setting is read from {@code conf/scheduler-shortest-first.properties}
 * ({@code starvationLimit=50}) or as {@code ember.scheduler.shortest-first.starvationLimit}
 * anywhere else.
 *
 * <p>Stateless and thread-safe.
 */
public final class ShortestFirstSchedulerFactory implements SchedulerFactory {

    /** How many slots may go to others while an item with pending work waits. */
    public static final ConfigKey<Integer> STARVATION_LIMIT = ConfigKey.intKey("starvationLimit")
            .defaultValue(100)
            .min(1)
            .doc("Slots that may go to other items while a task set (application) with pending work waits for "
                    + "one. Once that many have, it goes first, longest waiting first, so that big work is "
                    + "delayed but never starved by a stream of small work.")
            .build();

    @Override
    public String name() {
        return "shortest-first";
    }

    @Override
    public String description() {
        return "Shortest remaining work first: fewest remaining tasks (task sets), smallest request (applications)";
    }

    @Override
    public List<ConfigKey<?>> configKeys() {
        return List.of(STARVATION_LIMIT);
    }

    @Override
    public SchedulingPolicy create(Settings settings) {
        requireNonNull(settings, "settings is null");
        return new ShortestFirstSchedulingPolicy(settings.get(STARVATION_LIMIT));
    }
}
