package io.ember.api.cluster;

import io.ember.api.scheduler.GroupStatus;
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

    /**
     * How the application scheduler shares the cluster, as of now: one entry per queue it knows,
     * sorted by name. A queue is an application's {@code ember.app.queue}; the scheduler plugin
     * ({@code ember.scheduler}) decides which queue's application gets the next free worker core.
     *
     * <p>The entries are every queue that holds a registered application, plus every queue the
     * policy declares even while it is empty (the {@code fair} scheduler's {@code queue.<name>.*}
     * settings). For each: its {@link GroupStatus#mode() mode}, {@link GroupStatus#weight() weight},
     * {@link GroupStatus#minShare() minShare} and {@link GroupStatus#maxShare() maxShare} in cores
     * ({@link Integer#MAX_VALUE} when unbounded), the cores its applications' executors hold
     * ({@link GroupStatus#running() running}, counting executors still launching), the further cores
     * they asked for and lack ({@link GroupStatus#pending() pending}), and how many applications it
     * holds ({@link GroupStatus#items() items}). A policy that does not weigh queues (the
     * {@code fifo} scheduler) reports mode {@code fifo}, weight 1, minShare 0 and no maxShare.
     *
     * <p>A snapshot: later changes do not show in the returned list. Empty when this master is not
     * the leader (a standby does not schedule, so it has no shares to report).
     */
    List<GroupStatus> queues();

    /** Leaves the election and stops serving. */
    @Override
    void close();
}
