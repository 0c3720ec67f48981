package io.ember.scheduler.fair;

import io.ember.api.config.ConfigKey;
import io.ember.api.config.Settings;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The settings of the {@code fair} scheduler, relative to {@code ember.scheduler.fair.} (or plain
 * in {@code conf/scheduler-fair.properties}), and how they become {@link GroupRules}.
 *
 * <p>Pools ({@code pool.<name>.*}) order task sets at the driver; queues ({@code queue.<name>.*})
 * order applications at the master. A group nobody declared has weight 1, minShare 0, no maxShare
 * and mode fifo.
 *
 * <p>Immutable constants; thread-safe.
 */
final class FairSchedulerConfig {

    static final ConfigKey<Double> POOL_WEIGHT = ConfigKey.doubleKey("pool.<name>.weight")
            .defaultValue(1.0)
            .min(0.0)
            .doc("The share of executor cores pool <name> gets relative to other pools once every pool's minShare"
                    + " is met: a pool of weight 2 gets twice the cores of a pool of weight 1. A pool of weight 0"
                    + " gets cores only when no other pool can use them (or while it is below its minShare)."
                    + " Jobs choose their pool with ember.scheduler.pool; a pool declared nowhere has weight 1,"
                    + " minShare 0 and mode fifo.")
            .build();

    static final ConfigKey<Integer> POOL_MIN_SHARE = ConfigKey.intKey("pool.<name>.minShare")
            .defaultValue(0)
            .min(0)
            .doc("Executor cores pool <name> is owed before weights apply: while it holds fewer, it gets the next"
                    + " free core ahead of every pool that holds at least its own minShare.")
            .build();

    static final ConfigKey<String> POOL_MODE = ConfigKey.choiceKey("pool.<name>.mode", "fifo", "fair")
            .defaultValue("fifo")
            .doc("How the cores pool <name> gets are shared among its task sets: fifo gives them to the earliest"
                    + " job first (then its earliest stage); fair shares them evenly among its running stages,"
                    + " whichever job they belong to. Set pool.default.mode=fair to share the default pool fairly.")
            .build();

    static final ConfigKey<Double> QUEUE_WEIGHT = ConfigKey.doubleKey("queue.<name>.weight")
            .defaultValue(1.0)
            .min(0.0)
            .doc("The share of worker cores queue <name> gets relative to other queues once every queue's minShare"
                    + " is met. A queue of weight 0 gets cores only when no other queue can use them (or while it is"
                    + " below its minShare). Applications choose their queue with ember.app.queue; a queue declared"
                    + " nowhere has weight 1, minShare 0, no maxShare and mode fifo.")
            .build();

    static final ConfigKey<Integer> QUEUE_MIN_SHARE = ConfigKey.intKey("queue.<name>.minShare")
            .defaultValue(0)
            .min(0)
            .doc("Worker cores queue <name> is owed before weights apply: while its applications hold fewer, it"
                    + " gets the next free core ahead of every queue that holds at least its own minShare."
                    + " Must not exceed queue.<name>.maxShare.")
            .build();

    static final ConfigKey<Integer> QUEUE_MAX_SHARE = ConfigKey.intKey("queue.<name>.maxShare")
            .min(1)
            .defaultDescription("unbounded")
            .doc("The most worker cores the applications in queue <name> may hold together; a queue holding this"
                    + " many gets no further cores until some are released.")
            .build();

    static final ConfigKey<String> QUEUE_MODE = ConfigKey.choiceKey("queue.<name>.mode", "fifo", "fair")
            .defaultValue("fifo")
            .doc("How the cores queue <name> gets are shared among its applications: fifo gives them to the"
                    + " earliest-registered application first; fair shares them evenly.")
            .build();

    private static final List<ConfigKey<?>> KEYS = List.of(POOL_WEIGHT, POOL_MIN_SHARE, POOL_MODE,
            QUEUE_WEIGHT, QUEUE_MIN_SHARE, QUEUE_MAX_SHARE, QUEUE_MODE);

    private FairSchedulerConfig() {
    }

    /** Every key the {@code fair} scheduler declares. */
    static List<ConfigKey<?>> keys() {
        return KEYS;
    }

    /** The pools declared in {@code settings}, for the driver level; pools have no maxShare. */
    static GroupRules pools(Settings settings) {
        Map<String, GroupParameters> pools = new TreeMap<>();
        for (String name : names(settings, POOL_WEIGHT, POOL_MIN_SHARE, POOL_MODE)) {
            pools.put(name, new GroupParameters(settings.get(POOL_WEIGHT, name), settings.get(POOL_MIN_SHARE, name),
                    Integer.MAX_VALUE, SharingMode.of(settings.get(POOL_MODE, name))));
        }
        return GroupRules.of(pools);
    }

    /**
     * The queues declared in {@code settings}, for the master level.
     *
     * @throws io.ember.api.config.InvalidSettingException when a queue's minShare exceeds its
     *     maxShare
     */
    static GroupRules queues(Settings settings) {
        Map<String, GroupParameters> queues = new TreeMap<>();
        for (String name : names(settings, QUEUE_WEIGHT, QUEUE_MIN_SHARE, QUEUE_MAX_SHARE, QUEUE_MODE)) {
            int minShare = settings.get(QUEUE_MIN_SHARE, name);
            int maxShare = settings.find(QUEUE_MAX_SHARE, name).orElse(Integer.MAX_VALUE);
            if (minShare > maxShare) {
                throw settings.invalid(QUEUE_MIN_SHARE.resolve(name),
                        minShare + " must not exceed " + QUEUE_MAX_SHARE.resolve(name) + " (" + maxShare + ")");
            }
            queues.put(name, new GroupParameters(settings.get(QUEUE_WEIGHT, name), minShare, maxShare,
                    SharingMode.of(settings.get(QUEUE_MODE, name))));
        }
        return GroupRules.of(queues);
    }

    private static Set<String> names(Settings settings, ConfigKey<?>... patterns) {
        Set<String> names = new TreeSet<>();
        for (ConfigKey<?> pattern : patterns) {
            names.addAll(settings.names(pattern));
        }
        return names;
    }
}
