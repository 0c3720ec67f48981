package io.ember.core.coordination;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;

/**
 * The masters taking part in a cluster's leader election, read from the latch's nodes under
 * {@code master/latch} (each holds its master's id), in the latch's order: the first is the leader
 * or about to be, the others are standbys. For tools ({@code ember status}); the masters themselves
 * never need it.
 */
public final class ElectionParticipants {

    private ElectionParticipants() {
    }

    /**
     * The ids of the masters in the election now, first in line first; empty when there are none.
     * A node that goes away while being read is left out.
     *
     * @throws Exception when ZooKeeper cannot be read
     */
    public static List<String> read(CuratorFramework client, ClusterPaths paths) throws Exception {
        requireNonNull(client, "client is null");
        requireNonNull(paths, "paths is null");
        List<String> nodes;
        try {
            nodes = new ArrayList<>(client.getChildren().forPath(paths.masterLatch()));
        } catch (KeeperException.NoNodeException e) {
            return List.of();
        }
        // Curator names each node <prefix>-<sequence>; the sequence, zero-padded, sorts as text.
        nodes.sort(Comparator.comparing(node -> node.substring(node.lastIndexOf('-') + 1)));
        List<String> masters = new ArrayList<>();
        for (String node : nodes) {
            try {
                masters.add(new String(client.getData().forPath(paths.masterLatch() + "/" + node), UTF_8));
            } catch (KeeperException.NoNodeException e) {
                // that master left meanwhile
            }
        }
        return List.copyOf(masters);
    }
}
