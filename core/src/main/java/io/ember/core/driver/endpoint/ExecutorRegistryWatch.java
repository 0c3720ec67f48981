package io.ember.core.driver.endpoint;

import static java.util.Objects.requireNonNull;

import io.ember.api.config.Durations;
import io.ember.core.concurrent.EventLoop;
import io.ember.core.coordination.ClusterPaths;
import java.time.Duration;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.curator.utils.ZKPaths;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the application's executor registry ({@code /ember/<cluster>/apps/<app>/executors}) and
 * drops an executor from the driver when its node stays away for a grace period: its process is
 * gone or its ZooKeeper session expired, which can be noticed before its stream breaks or its
 * heartbeats stop. A node that comes back within the grace is an executor that registered again on
 * a new session (after an outage of the ensemble, say): it is kept, with the tasks it runs.
 *
 * <p>Threading: Curator's cache thread and the watch's own timer thread call the drop, which must
 * be thread-safe ({@link DriverEndpoint#drop} is).
 */
public final class ExecutorRegistryWatch implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ExecutorRegistryWatch.class);

    private final CuratorCache cache;
    private final String root;
    private final Duration grace;
    private final Supplier<Set<String>> known;
    private final BiConsumer<String, String> drop;
    private volatile boolean initialized;
    private final EventLoop timer = EventLoop.start("ember-executor-registry");

    /**
     * @param grace how long a node may be away before its executor is dropped
     * @param known the executors the driver holds now
     * @param drop drops an executor, with the reason
     */
    public ExecutorRegistryWatch(CuratorFramework zookeeper, ClusterPaths paths, String applicationId,
                                 Duration grace, Supplier<Set<String>> known, BiConsumer<String, String> drop) {
        requireNonNull(zookeeper, "zookeeper is null");
        this.root = paths.executors(requireNonNull(applicationId, "applicationId is null"));
        this.grace = requireNonNull(grace, "grace is null");
        this.known = requireNonNull(known, "known is null");
        this.drop = requireNonNull(drop, "drop is null");
        this.cache = CuratorCache.build(zookeeper, root);
        cache.listenable().addListener(CuratorCacheListener.builder()
                .forDeletes(node -> {
                    if (!node.getPath().equals(root)) {
                        vanished(node.getPath());
                    }
                })
                .forInitialized(() -> initialized = true)
                .build());
    }

    public void start() {
        cache.start();
        LOG.debug("Watching the executor registry");
    }

    /** Whether the watch has read the registry once (from then on it sees every node vanish). */
    boolean initialized() {
        return initialized;
    }

    @Override
    public void close() {
        timer.close();
        cache.close();
    }

    private void vanished(String path) {
        String executorId = ZKPaths.getNodeFromPath(path);
        if (!known.get().contains(executorId)) {
            return;
        }
        timer.schedule(() -> checkAfterGrace(path, executorId), grace);   // dropped once closed
    }

    private void checkAfterGrace(String path, String executorId) {
        if (cache.get(path).isPresent()) {
            LOG.debug("Executor {} registered again in ZooKeeper within {}", executorId, Durations.format(grace));
        } else if (known.get().contains(executorId)) {
            drop.accept(executorId, "its registry node " + path + " disappeared and did not come back within "
                    + Durations.format(grace) + " (its process or its ZooKeeper session is gone)");
        }
    }
}
