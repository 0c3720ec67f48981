package io.ember.core.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;

/**
 * ZooKeeper's own client, without Curator and without any credentials: what a stranger (or an
 * operator's script) uses to create nodes before Ember does. Also takes a snapshot of a subtree, to
 * show that nothing in it changed.
 */
public final class PlainZooKeeper {

    private PlainZooKeeper() {
    }

    /** A connected client; the caller closes it. */
    public static ZooKeeper connect(String connectString) throws Exception {
        CountDownLatch connected = new CountDownLatch(1);
        ZooKeeper client = new ZooKeeper(connectString, 4_000, event -> {
            if (event.getState() == Watcher.Event.KeeperState.SyncConnected) {
                connected.countDown();
            }
        });
        if (!connected.await(30, TimeUnit.SECONDS)) {
            client.close();
            throw new AssertionError("a plain ZooKeeper client could not connect to " + connectString);
        }
        return client;
    }

    /**
     * Every node of the subtree at {@code root} with its stat (versions, child count, zxids), in
     * depth-first order; empty when {@code root} does not exist. Two snapshots are equal only if
     * nothing in the subtree was created, deleted, written or re-ACLed in between.
     */
    public static Map<String, Stat> snapshot(ZooKeeper client, String root) throws Exception {
        Map<String, Stat> nodes = new LinkedHashMap<>();
        List<String> toVisit = new ArrayList<>(List.of(root));
        while (!toVisit.isEmpty()) {
            String path = toVisit.remove(toVisit.size() - 1);
            Stat stat = client.exists(path, false);
            if (stat == null) {
                continue;
            }
            nodes.put(path, stat);
            try {
                for (String child : client.getChildren(path, false)) {
                    toVisit.add(("/".equals(path) ? "" : path) + "/" + child);
                }
            } catch (KeeperException.NoNodeException e) {
                // gone meanwhile
            }
        }
        return nodes;
    }
}
