package io.ember.core.coordination;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The cluster's membership at one moment, as a {@link ClusterView} saw it: what a master needs
 * to take over without reading anything from ZooKeeper.
 *
 * <p>Immutable maps and sets, sorted by id. The byte arrays are the nodes' data as read and are
 * shared, not copied: treat them as read-only.
 *
 * @param workers live workers: worker id to the worker's spec
 * @param apps known applications: application id to its spec (as the leader wrote it)
 * @param executors live executors: application id to (executor id to the executor's spec)
 * @param liveDrivers the applications whose driver is connected
 */
public record ClusterSnapshot(Map<String, byte[]> workers, Map<String, byte[]> apps,
        Map<String, Map<String, byte[]>> executors, Set<String> liveDrivers) {

    /** Nothing at all. */
    public static final ClusterSnapshot EMPTY = new ClusterSnapshot(Map.of(), Map.of(), Map.of(), Set.of());

    public ClusterSnapshot {
        workers = sorted(requireNonNull(workers, "workers is null"));
        apps = sorted(requireNonNull(apps, "apps is null"));
        SortedMap<String, Map<String, byte[]>> byApp = new TreeMap<>();
        requireNonNull(executors, "executors is null").forEach((app, ofApp) -> byApp.put(app, sorted(ofApp)));
        executors = Collections.unmodifiableSortedMap(byApp);
        liveDrivers = Collections.unmodifiableSortedSet(new TreeSet<>(requireNonNull(liveDrivers, "liveDrivers is null")));
    }

    /** The live executors of one application (empty when it has none). */
    public Map<String, byte[]> executorsOf(String appId) {
        return executors.getOrDefault(appId, Map.of());
    }

    private static <V> Map<String, V> sorted(Map<String, V> map) {
        return Collections.unmodifiableSortedMap(new TreeMap<>(map));
    }
}
