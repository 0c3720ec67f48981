package io.ember.api.cluster;

import java.util.List;

/**
 * A master process. Any number run per cluster; one at a time is the <em>leader</em> (elected
 * through ZooKeeper), the others are standbys that keep a warm copy of the cluster state and take
 * over when the leader goes away.
 *
 * <p>Contract:
 * <ul>
 *   <li>Only the leader acts: it registers workers and applications, places executors and reports
 *       them. Every action carries the leader's {@link #epoch()}; workers, executors and drivers
 *       refuse actions from an epoch older than the newest they have seen, so a deposed leader can
 *       do no harm.</li>
 *   <li>A master that loses its ZooKeeper connection (SUSPENDED) stops acting at once, before it
 *       knows whether it lost leadership.</li>
 *   <li>A new leader takes over without restarting any running executor or application.</li>
 * </ul>
 *
 * <p>Threading: the query methods are thread-safe and return snapshots. {@link #close()} may be
 * called from any thread and is idempotent; a leader that closes hands leadership over at once.
 */
public interface Master extends AutoCloseable {

    /** The cluster this master belongs to (the ZooKeeper namespace {@code /ember/<cluster>}). */
    String clusterName();

    /** Whether this master is the leader now. */
    boolean isLeader();

    /** The leadership epoch this master acts under, or {@code -1} when it is not the leader. */
    long epoch();

    /** The workers registered with the cluster, as of now. */
    List<WorkerInfo> workers();

    /** The applications registered with the cluster, as of now. */
    List<ApplicationInfo> applications();

    /** Leaves the election and stops serving. */
    @Override
    void close();
}
