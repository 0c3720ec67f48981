package io.ember.core.coordination;

import static java.util.Objects.requireNonNull;

/**
 * The ZooKeeper paths of one cluster, all under {@code /ember/<cluster>} (see the package
 * documentation for what each holds). Every name that becomes a path segment (the cluster, worker,
 * application and executor ids) is checked: not empty, no {@code '/'}, not {@code "."} or
 * {@code ".."}, and no characters ZooKeeper refuses (control characters, surrogates, non-characters).
 *
 * <p>Immutable and thread-safe.
 *
 * @param cluster the cluster's name, e.g. {@code "default"}
 */
public record ClusterPaths(String cluster) {

    /** The parent of every cluster's root. */
    public static final String NAMESPACE = "/ember";

    public ClusterPaths {
        checkSegment("cluster", cluster);
    }

    /** {@code /ember/<cluster>}. */
    public String root() {
        return NAMESPACE + "/" + cluster;
    }

    /** {@code /ember/<cluster>/master}: the parent of the latch, the leader record and the epoch. */
    public String master() {
        return root() + "/master";
    }

    /** {@code /ember/<cluster>/master/latch}: the masters' LeaderLatch. */
    public String masterLatch() {
        return master() + "/latch";
    }

    /** {@code /ember/<cluster>/master/leader}: the leader's {@link LeaderInfo} (ephemeral). */
    public String leader() {
        return master() + "/leader";
    }

    /** {@code /ember/<cluster>/master/epoch}: the leadership counter (persistent, decimal). */
    public String epoch() {
        return master() + "/epoch";
    }

    /**
     * {@code /ember/<cluster>/master/app-number}: the number the next application registered gets
     * (persistent, decimal, written by the leader), so that application ids keep increasing across
     * leaders.
     */
    public String applicationNumber() {
        return master() + "/app-number";
    }

    /** {@code /ember/<cluster>/workers}. */
    public String workers() {
        return root() + "/workers";
    }

    /** {@code /ember/<cluster>/workers/<workerId>} (ephemeral). */
    public String worker(String workerId) {
        return workers() + "/" + checkSegment("worker id", workerId);
    }

    /** {@code /ember/<cluster>/apps}. */
    public String apps() {
        return root() + "/apps";
    }

    /** {@code /ember/<cluster>/apps/<appId>} (persistent, written by the leader). */
    public String app(String appId) {
        return apps() + "/" + checkSegment("application id", appId);
    }

    /** {@code /ember/<cluster>/apps/<appId>/driver} (ephemeral, present while the driver lives). */
    public String driver(String appId) {
        return app(appId) + "/driver";
    }

    /** {@code /ember/<cluster>/apps/<appId>/executors}. */
    public String executors(String appId) {
        return app(appId) + "/executors";
    }

    /** {@code /ember/<cluster>/apps/<appId>/executors/<executorId>} (ephemeral). */
    public String executor(String appId, String executorId) {
        return executors(appId) + "/" + checkSegment("executor id", executorId);
    }

    /**
     * Checks that a name can be one path segment.
     *
     * @return the name
     * @throws IllegalArgumentException naming what is wrong and the offending value
     */
    static String checkSegment(String what, String name) {
        requireNonNull(name, what + " is null");
        if (name.isEmpty()) {
            throw new IllegalArgumentException(what + " must not be empty");
        }
        if (name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException(what + " must not be '" + name + "'");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '/') {
                throw new IllegalArgumentException(what + " must not contain '/': '" + name + "'");
            }
            if (c <= '\u001f' || (c >= '\u007f' && c <= '\u009f') || (c >= '\ud800' && c <= '\uf8ff')
                    || c >= '\ufff0') {
                throw new IllegalArgumentException(String.format(
                        "%s must not contain the character U+%04X: '%s'", what, (int) c, name));
            }
        }
        return name;
    }
}
