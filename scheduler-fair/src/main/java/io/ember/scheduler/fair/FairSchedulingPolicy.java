package io.ember.scheduler.fair;

import static java.util.Objects.requireNonNull;

import io.ember.api.scheduler.SchedulingLevel;
import io.ember.api.scheduler.SchedulingPolicy;
import io.ember.api.scheduler.SchedulingQueue;

/**
 * Fair sharing at both levels: pools of task sets at the driver ({@link SchedulingLevel#TASK_SETS}),
 * queues of applications at the master ({@link SchedulingLevel#APPLICATIONS}). See
 * {@link FairSchedulingQueue} for the order.
 *
 * <p>Immutable and thread-safe; {@link #createQueue} may be called from any thread.
 */
public final class FairSchedulingPolicy implements SchedulingPolicy {

    private final GroupRules pools;
    private final GroupRules queues;

    FairSchedulingPolicy(GroupRules pools, GroupRules queues) {
        this.pools = requireNonNull(pools, "pools is null");
        this.queues = requireNonNull(queues, "queues is null");
    }

    @Override
    public SchedulingQueue createQueue(SchedulingLevel level) {
        requireNonNull(level, "level is null");
        return switch (level) {
            case TASK_SETS -> new FairSchedulingQueue(pools);
            case APPLICATIONS -> new FairSchedulingQueue(queues);
        };
    }
}
