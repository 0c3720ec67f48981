package io.ember.core.driver;

import static java.util.Objects.requireNonNull;

import io.ember.core.coordination.ClusterPaths;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.curator.utils.ZKPaths;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the application's executor registry ({@code /ember/<cluster>/apps/<app>/executors}) and
 * drops an executor from the driver when its node disappears: its process is gone or its
 * ZooKeeper session expired, which can be noticed before its stream breaks or its heartbeats stop.
 *
 * <p>Threading: Curator's cache thread calls {@link DriverEndpoint#drop}, which is thread-safe.
 */
final class ExecutorRegistryWatch implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ExecutorRegistryWatch.class);

    private final CuratorCache cache;

    ExecutorRegistryWatch(CuratorFramework zookeeper, ClusterPaths paths, String applicationId,
                          DriverEndpoint endpoint) {
        requireNonNull(zookeeper, "zookeeper is null");
        requireNonNull(endpoint, "endpoint is null");
        String root = paths.executors(requireNonNull(applicationId, "applicationId is null"));
        this.cache = CuratorCache.build(zookeeper, root);
        cache.listenable().addListener(CuratorCacheListener.builder()
                .forDeletes(node -> {
                    if (node.getPath().equals(root)) {
                        return;
                    }
                    String executorId = ZKPaths.getNodeFromPath(node.getPath());
                    if (endpoint.executorIds().contains(executorId)) {
                        endpoint.drop(executorId, "its registry node " + node.getPath() + " disappeared (its "
                                + "process or its ZooKeeper session is gone)");
                    }
                })
                .build());
    }

    void start() {
        cache.start();
        LOG.debug("Watching the executor registry");
    }

    @Override
    public void close() {
        cache.close();
    }
}
