package io.ember.scheduler.fair;

import static java.util.Objects.requireNonNull;

import io.ember.api.config.ConfigKey;
import io.ember.api.config.Settings;
import io.ember.api.scheduler.SchedulerFactory;
import io.ember.api.scheduler.SchedulingPolicy;
import java.util.List;

/**
 * Creates the {@code fair} policy ({@code ember.scheduler=fair}): Spark-style fair sharing between
 * pools of task sets at the driver and between queues of applications at the master, configured
 * with {@code pool.<name>.*} and {@code queue.<name>.*} (see {@link #configKeys()}).
 *
 * <p>The host re-reads {@code conf/scheduler-fair.properties} when it changes and calls
 * {@link #create} again ({@code ember.scheduler.reloadInterval}); a policy never changes once
 * created.
 *
 * <p>Stateless and thread-safe.
 */
public final class FairSchedulerFactory implements SchedulerFactory {

    @Override
    public String name() {
        return "fair";
    }

    @Override
    public String description() {
        return "Fair sharing between weighted pools (task sets) and queues (applications), with min and max shares";
    }

    @Override
    public List<ConfigKey<?>> configKeys() {
        return FairSchedulerConfig.keys();
    }

    /**
     * {@inheritDoc}
     *
     * @throws io.ember.api.config.InvalidSettingException when a queue's minShare exceeds its
     *     maxShare
     */
    @Override
    public SchedulingPolicy create(Settings settings) {
        requireNonNull(settings, "settings is null");
        return new FairSchedulingPolicy(FairSchedulerConfig.pools(settings), FairSchedulerConfig.queues(settings));
    }
}
