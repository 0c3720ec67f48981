package io.ember.core.testing;

import static java.util.Objects.requireNonNull;

import io.ember.core.coordination.ClusterPaths;
import io.ember.core.rpc.proto.StoredExecutor;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;

/**
 * Reads a cluster's ZooKeeper registry for tests that check it against the processes they see:
 * which executors an application has and their PIDs. Reads through a client the caller owns (and
 * closes); a node that is gone reads as absent, any other failure is an {@link AssertionError}.
 */
public final class RegistryReader {

    private final CuratorFramework client;
    private final ClusterPaths paths;

    public RegistryReader(CuratorFramework client, ClusterPaths paths) {
        this.client = requireNonNull(client, "client is null");
        this.paths = requireNonNull(paths, "paths is null");
    }

    public ClusterPaths paths() {
        return paths;
    }

    /** The application's executors as the registry records them: executor id to pid. */
    public Map<String, Long> registeredPids(String appId) {
        requireNonNull(appId, "appId is null");
        Map<String, Long> pids = new TreeMap<>();
        for (String executorId : children(paths.executors(appId))) {
            try {
                pids.put(executorId, StoredExecutor.parseFrom(client.getData().forPath(paths.executor(appId, executorId)))
                        .getPid());
            } catch (KeeperException.NoNodeException e) {
                // gone between the listing and the read
            } catch (Exception e) {
                throw new AssertionError("cannot read executor " + executorId + " of " + appId, e);
            }
        }
        return pids;
    }

    /** The children of {@code path}; none while it does not exist. */
    public List<String> children(String path) {
        requireNonNull(path, "path is null");
        try {
            return client.getChildren().forPath(path);
        } catch (KeeperException.NoNodeException e) {
            return List.of();
        } catch (Exception e) {
            throw new AssertionError("cannot list " + path, e);
        }
    }

    public boolean exists(String path) {
        requireNonNull(path, "path is null");
        try {
            return client.checkExists().forPath(path) != null;
        } catch (Exception e) {
            throw new AssertionError("cannot read " + path, e);
        }
    }
}
