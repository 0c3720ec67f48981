package io.ember.core.coordination;

import static java.util.Objects.requireNonNull;

import io.ember.api.config.Durations;
import io.ember.core.concurrent.EventLoop;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.curator.framework.api.transaction.CuratorTransactionResult;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.framework.recipes.leader.LeaderLatchListener;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.ConnectionStateListener;
import org.apache.zookeeper.KeeperException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

// Longer than 400 lines because the latch, the connection states and the generation that ties them
// together share one lock; what needs none of it lives in EpochCounter, LeaderRecord and LeaderFence.
/**
 * One master's candidacy for leadership of a cluster: a Curator {@link LeaderLatch} at
 * {@code master/latch}, plus the epoch that fences the leader's writes.
 *
 * <p>Threading: all public methods are thread-safe; ZooKeeper work runs on one thread of this
 * election, listener calls on another, one at a time and in order.
 *
 * <p>Its full contract (its parts; gaining, suspending and losing leadership; closing; threads) is
 * in the {@code io.ember.core.coordination} package documentation.
 */
public final class LeaderElection implements AutoCloseable {

    /**
     * What a master does when it gains or loses leadership. Called on the election's own
     * notification thread, one call at a time, in order: every {@code onLeadership} is followed
     * by at most one {@code onLeadershipLost} before the next {@code onLeadership}.
     */
    public interface Listener {

        /** This master now leads, with this epoch; {@link LeaderElection#isLeader()} is true. */
        void onLeadership(long epoch);

        /**
         * The connection to ZooKeeper broke: this master must act as the leader no more until it
         * hears {@link #onLeadershipResumed} (the connection returned within the session and
         * nobody else took over) or {@link #onLeadershipLost}. Keep the term's state: a resumed term
         * goes on with it, in the same epoch. Called only while leading.
         *
         * @param reason what happened, for the log
         */
        void onLeadershipSuspended(String reason);

        /**
         * The connection returned within the session, this master's latch node is still first and
         * the epoch is still its own: it leads again, in the same epoch, as if nothing had happened
         * (only what it missed meanwhile has to be caught up with). Called only after
         * {@link #onLeadershipSuspended}.
         */
        void onLeadershipResumed(long epoch);

        /**
         * This master must stop acting as the leader now: the connection was suspended or lost,
         * the latch let go, another master's epoch superseded this one, or the election closed.
         * Called only after {@link #onLeadership}, while leading or suspended.
         *
         * @param reason what happened, for the log
         */
        void onLeadershipLost(String reason);
    }

    private enum State { LATENT, STARTED, CLOSED }

    private static final Logger log = LoggerFactory.getLogger(LeaderElection.class);

    /** Pause before rejoining after leadership could not be taken, so a broken setup cannot spin. */
    private static final long REJOIN_DELAY_MILLIS = 1_000;

    private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(2);

    private static final String SUSPENDED_REASON = "lost the connection to ZooKeeper; leadership is uncertain";

    private final CuratorFramework client;
    private final ClusterPaths paths;
    private final String masterId;
    private final String address;
    private final Listener listener;
    private final EpochCounter epochs;
    private final LeaderRecord record;
    private final LeaderFence fence;
    private final AtomicReference<State> state = new AtomicReference<>(State.LATENT);
    private final EventLoop work;
    private final EventLoop notifications;
    private final ConnectionStateListener connectionListener = (c, newState) -> connectionStateChanged(newState);

    private final Object lock = new Object();
    /** Bumped on every loss (or possible loss) of leadership: work started before is stale. */
    private long generation;
    /** The generation an attempt to take leadership was made for; at most one per generation. */
    private long attemptedGeneration = -1;
    /** The leadership the listener was told about; null when not leading (suspended included). */
    private LeaderTerm leadership;
    /** The leadership suspended while the connection is down; null when none is. */
    private LeaderTerm suspended;
    /** The last leadership whose record this master published (to delete it on close). */
    private LeaderTerm published;
    private LeaderLatch latch;
    /** Whether to watch the epoch and the record; only tests turn it off, to show that fencing alone suffices. */
    private volatile boolean watchEpoch = true;

    /**
     * A candidate without a web UI.
     *
     * @see #LeaderElection(CuratorFramework, ClusterPaths, String, String, String, Listener)
     */
    public LeaderElection(CuratorFramework client, ClusterPaths paths, String masterId, String address,
            Listener listener) {
        this(client, paths, masterId, address, "", listener);
    }

    /**
     * @param client a started client, owned by the caller (close the election first)
     * @param paths the cluster
     * @param masterId this master's id, unique among the cluster's masters
     * @param address where this master's RPC server listens, {@code host:port}
     * @param uiUrl the base URL of this master's web UI, published with its leader record; empty for none
     * @param listener told of leadership gained and lost
     */
    public LeaderElection(CuratorFramework client, ClusterPaths paths, String masterId, String address,
            String uiUrl, Listener listener) {
        this.client = requireNonNull(client, "client is null");
        this.paths = requireNonNull(paths, "paths is null");
        this.masterId = requireNonNull(masterId, "masterId is null");
        this.address = requireNonNull(address, "address is null");
        this.listener = requireNonNull(listener, "listener is null");
        this.record = new LeaderRecord(client, paths, masterId, address, uiUrl); // checks them now
        this.epochs = new EpochCounter(client, paths, masterId);
        this.work = EventLoop.start("ember-election-" + masterId);
        this.notifications = EventLoop.start("ember-election-" + masterId + "-notify");
        this.fence = new LeaderFence(client, paths, masterId, work, new FencedTerms());
    }

    /**
     * Joins the election. Returns at once; leadership, if it comes, is announced to the listener.
     *
     * @throws IllegalStateException when already started or closed
     */
    public void start() {
        if (!state.compareAndSet(State.LATENT, State.STARTED)) {
            throw new IllegalStateException("the leader election of master " + masterId + " was already "
                    + (state.get() == State.CLOSED ? "closed" : "started"));
        }
        client.getConnectionStateListenable().addListener(connectionListener);
        LeaderLatch first;
        synchronized (lock) {
            if (state.get() != State.STARTED) {
                return; // closed meanwhile
            }
            first = newLatch();
            latch = first;
        }
        startLatch(first);
    }

    /**
     * For tests: watch neither the epoch nor the leader record, so a deposed leader notices only
     * when a write is refused.
     */
    LeaderElection withoutEpochWatch() {
        watchEpoch = false;
        return this;
    }

    /** Whether this master leads: it has been told {@link Listener#onLeadership} and nothing since. */
    public boolean isLeader() {
        synchronized (lock) {
            return leadership != null;
        }
    }

    /** The epoch of this master's current leadership, or -1 when it does not lead. */
    public long epoch() {
        synchronized (lock) {
            return leadership == null ? -1 : leadership.epoch();
        }
    }

    /** This master's id. */
    public String masterId() {
        return masterId;
    }

    /** The cluster. */
    public ClusterPaths paths() {
        return paths;
    }

    /** The client this election runs on; build the operations for {@link #fenced} with it. */
    public CuratorFramework client() {
        return client;
    }

    /**
     * Runs the operations as one ZooKeeper transaction that first checks that
     * {@code master/epoch} is still the one this master's leadership set. Build the operations
     * with {@code client().transactionOp()}.
     *
     * @return the results of the given operations, in order
     * @throws NotLeaderException when this master does not lead, or another master's epoch has
     *     superseded its own (then nothing was applied, and this master steps down)
     * @throws KeeperException when one of the given operations failed (nothing was applied), or
     *     ZooKeeper could not be reached
     * @throws CoordinationException when interrupted (the interrupt flag is set again)
     */
    public List<CuratorTransactionResult> fenced(CuratorOp... ops) throws KeeperException {
        requireNonNull(ops, "ops is null");
        LeaderTerm current;
        synchronized (lock) {
            current = leadership;
        }
        if (current == null) {
            throw new NotLeaderException("master " + masterId + " is not the leader of cluster " + paths.cluster());
        }
        return fence.write(current, ops);
    }

    /**
     * Leaves the election. A leader stops leading at once, tells its listener
     * {@code onLeadershipLost("election closed")} and waits for that call (up to 2 s, and not when
     * called from the listener itself), deletes its leader record while it still holds the latch
     * (so it cannot delete a successor's), and then its latch node, so a standby takes over within
     * milliseconds. Does not close the client. Idempotent; safe on a client that is already closed.
     */
    @Override
    public void close() {
        State previous = state.getAndSet(State.CLOSED);
        if (previous == State.CLOSED) {
            return;
        }
        if (previous == State.LATENT) {
            work.shutdownNow(Duration.ZERO);
            notifications.shutdown(Duration.ZERO);
            return;
        }
        client.getConnectionStateListenable().removeListener(connectionListener);
        work.shutdownNow(SHUTDOWN_WAIT);
        LeaderTerm was;
        LeaderTerm toDelete;
        LeaderLatch current;
        synchronized (lock) {
            generation++;
            was = leadership != null ? leadership : suspended;
            leadership = null;
            suspended = null;
            toDelete = published;
            current = latch;
        }
        if (was != null) {
            log.info("Master {} gives up leadership of cluster {} (epoch {})", masterId, paths.cluster(), was.epoch());
            // Let this master stop acting before a successor can start (briefly; never waits for itself).
            try {
                notifications.ask("the listener's acknowledgement of the close", () -> {
                    notifyLost("election closed");
                    return null;
                }, SHUTDOWN_WAIT);
            } catch (IllegalStateException e) {
                log.debug("Closing the election of master {} without waiting for its listener: {}", masterId,
                        e.getMessage());
            }
        }
        if (toDelete != null) {
            record.delete(toDelete.epochVersion());
        }
        closeLatchQuietly(current);
        notifications.shutdown(SHUTDOWN_WAIT);
    }

    // ---- leadership: gained -------------------------------------------------------------------

    private LeaderLatch newLatch() {
        LeaderLatch fresh = new LeaderLatch(client, paths.masterLatch(), masterId, LeaderLatch.CloseMode.SILENT);
        fresh.addListener(new LatchListener(fresh), Runnable::run);
        return fresh;
    }

    private void startLatch(LeaderLatch toStart) {
        try {
            toStart.start();
        } catch (Exception e) {
            if (state.get() != State.STARTED) {
                return; // closed meanwhile, latch and all
            }
            throw new CoordinationException("master " + masterId + " cannot join the leader election at "
                    + paths.masterLatch() + ": " + e, e);
        }
    }

    /** Takes leadership when the latch says so; on the work thread. At most once per generation. */
    private void acquire() {
        long gen;
        LeaderLatch current;
        synchronized (lock) {
            if (suspended != null) {
                work.execute(this::resume);
                return;
            }
            current = latch;
            if (state.get() != State.STARTED || attemptedGeneration == generation || !current.hasLeadership()) {
                return;
            }
            gen = generation;
            attemptedGeneration = gen;
        }
        String latchNode = current.getOurPath();
        if (latchNode == null) {
            return;
        }
        try {
            EpochCounter.Epoch epoch = epochs.increment(latchNode, () -> isCurrent(gen));
            if (epoch == null) {
                rejoin(current, "this master's latch node " + latchNode + " is gone", 0);
                return;
            }
            LeaderTerm taken = new LeaderTerm(epoch.number(), epoch.version(), gen);
            if (!record.publish(taken.epoch(), taken.epochVersion(), () -> isCurrent(gen))) {
                log.info("Master {} was superseded while taking leadership of cluster {} (epoch {})", masterId,
                        paths.cluster(), taken.epoch());
                rejoin(current, "superseded while taking leadership", 0);
                return;
            }
            long session = client.getZookeeperClient().getZooKeeper().getSessionId();
            synchronized (lock) {
                published = taken;
            }
            notifications.execute(() -> announce(taken));
            if (watchEpoch) {
                fence.watch(taken); // sets a watch: a successor's epoch makes this master step down at once
                // and one on the record: someone else deleting or changing it makes this master step down
                fence.watchRecord(taken, record.info(taken.epoch()), session);
            }
        } catch (StaleAttempt e) {
            // leadership was lost (or the election closed) meanwhile; a later attempt takes over
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            if (!isCurrent(gen)) {
                return; // the connection went away meanwhile; a reconnection tries again
            }
            log.warn("Master {} could not take leadership of cluster {}: {}; rejoining the election in {}",
                    masterId, paths.cluster(), e.toString(), Durations.format(Duration.ofMillis(REJOIN_DELAY_MILLIS)));
            rejoin(current, "could not take leadership", REJOIN_DELAY_MILLIS);
        }
    }

    /** Tells the listener, unless leadership was lost (or the election closed) since it was taken. */
    private void announce(LeaderTerm taken) {
        synchronized (lock) {
            if (state.get() != State.STARTED || generation != taken.generation()) {
                return;
            }
            leadership = taken;
            log.info("Master {} ({}) is the leader of cluster {} (epoch {})", masterId, address, paths.cluster(),
                    taken.epoch());
        }
        try {
            listener.onLeadership(taken.epoch());
        } catch (RuntimeException e) {
            log.error("The leadership listener of master {} failed on epoch {}", masterId, taken.epoch(), e);
        }
    }

    // ---- leadership: suspended and resumed -----------------------------------------------------

    /**
     * Stops acting as the leader now (any thread), keeping the term to resume it; the listener hears
     * of it on the notification thread.
     */
    private void suspend(String reason) {
        LeaderTerm was;
        synchronized (lock) {
            generation++;
            was = leadership;
            leadership = null;
            if (was != null) {
                suspended = was;
            }
        }
        if (was != null) {
            log.warn("Master {} pauses its leadership of cluster {} (epoch {}): {}; it resumes in the same epoch if "
                    + "the connection returns within the session", masterId, paths.cluster(), was.epoch(), reason);
            notifications.execute(() -> notifySuspended(reason));
        }
    }

    /**
     * The connection returned: resumes the suspended term if nobody else can have taken over (this
     * master's latch node still first, the epoch still its own), or ends it. On the work thread.
     */
    private void resume() {
        LeaderTerm was;
        long gen;
        LeaderLatch current;
        synchronized (lock) {
            if (state.get() != State.STARTED || suspended == null || attemptedGeneration == generation) {
                return;
            }
            was = suspended;
            gen = generation;
            current = latch;
            attemptedGeneration = gen;
        }
        String why;
        try {
            why = whyNotStillLeading(current.getOurPath(), was);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (Exception e) {
            if (!isCurrent(gen)) {
                return; // suspended again (or closed): the next reconnection tries again
            }
            why = "its leadership could not be confirmed after reconnecting (" + e + ")";
        }
        if (why != null) {
            if (isCurrent(gen)) {
                lose(why);
                work.execute(this::acquire); // the latch may still elect this master: then with a new epoch
            }
            return;
        }
        LeaderTerm resumed = new LeaderTerm(was.epoch(), was.epochVersion(), gen);
        long session;
        try {
            session = client.getZookeeperClient().getZooKeeper().getSessionId();
        } catch (Exception e) {
            return; // closing
        }
        notifications.execute(() -> announceResumed(was, resumed));
        if (watchEpoch) {
            fence.watch(resumed);
            fence.watchRecord(resumed, record.info(resumed.epoch()), session);
        }
    }

    /** Null when {@code term} is still this master's to lead; otherwise why not. */
    private String whyNotStillLeading(String latchNode, LeaderTerm term) throws Exception {
        if (latchNode == null) {
            return "its leader latch has no node";
        }
        List<String> children = client.getChildren().forPath(paths.masterLatch());
        String ours = latchNode.substring(latchNode.lastIndexOf('/') + 1);
        String first = children.stream().min((a, b) -> sequence(a).compareTo(sequence(b))).orElse(null);
        if (!ours.equals(first)) {
            return children.contains(ours) ? "another master's latch node is now first" : "its latch node " + latchNode
                    + " is gone";
        }
        EpochCounter.Reading epoch = epochs.read();
        if (epoch.version() != term.epochVersion()) {
            return LeaderFence.supersededReason(term, paths.cluster());
        }
        return null;
    }

    /** The sequence number Curator appends to a latch node's name (zero-padded, so it sorts as text). */
    private static String sequence(String latchNodeName) {
        return latchNodeName.substring(latchNodeName.lastIndexOf('-') + 1);
    }

    /** Tells the listener of the resumed term, unless something happened since the check. */
    private void announceResumed(LeaderTerm was, LeaderTerm resumed) {
        synchronized (lock) {
            if (state.get() != State.STARTED || generation != resumed.generation() || suspended != was) {
                return;
            }
            suspended = null;
            leadership = resumed;
            published = resumed;
            log.info("Master {} ({}) resumes leading cluster {} in epoch {}: its session survived and no other master "
                    + "took over", masterId, address, paths.cluster(), resumed.epoch());
        }
        try {
            listener.onLeadershipResumed(resumed.epoch());
        } catch (RuntimeException e) {
            log.error("The leadership listener of master {} failed on resuming epoch {}", masterId, resumed.epoch(), e);
        }
    }

    private void notifySuspended(String reason) {
        try {
            listener.onLeadershipSuspended(reason);
        } catch (RuntimeException e) {
            log.error("The leadership listener of master {} failed on suspending leadership", masterId, e);
        }
    }

    // ---- leadership: lost ---------------------------------------------------------------------

    /** Stops leading now (any thread); the listener hears of it on the notification thread. */
    private void lose(String reason) {
        LeaderTerm was;
        synchronized (lock) {
            generation++;
            was = leadership != null ? leadership : suspended;
            leadership = null;
            suspended = null;
        }
        if (was != null) {
            log.warn("Master {} stops leading cluster {} (epoch {}): {}", masterId, paths.cluster(), was.epoch(),
                    reason);
            notifications.execute(() -> notifyLost(reason));
        }
    }

    /**
     * Another master's epoch superseded {@code which} (a fenced write was refused, or the epoch
     * watch fired): step down, and rejoin at the back of the line, since our latch may believe it
     * leads while its node is gone.
     */
    private void deposed(LeaderTerm which, String reason) {
        LeaderLatch current;
        synchronized (lock) {
            if (state.get() != State.STARTED || generation != which.generation()) {
                return; // already handled
            }
            current = latch;
        }
        lose(reason);
        work.execute(() -> rejoin(current, reason, 0));
    }

    /**
     * Replaces the latch with a fresh one (a new node at the back of the line), after a delay.
     * On the work thread.
     */
    private void rejoin(LeaderLatch old, String reason, long delayMillis) {
        LeaderLatch fresh;
        synchronized (lock) {
            if (state.get() != State.STARTED || latch != old) {
                return;
            }
            fresh = newLatch();
            latch = fresh;
        }
        lose(reason);
        awaitListener(); // it has stopped acting as the leader before another master can be elected
        closeLatchQuietly(old);
        if (delayMillis == 0) {
            startFresh(fresh);
        } else {
            work.schedule(() -> startFresh(fresh), Duration.ofMillis(delayMillis));
        }
    }

    /** Waits (briefly) until the listener has heard everything told it so far; on the work thread. */
    private void awaitListener() {
        try {
            notifications.ask("the listener's acknowledgement of the loss", () -> null, SHUTDOWN_WAIT);
        } catch (IllegalStateException e) {
            log.debug("Master {} rejoins without waiting for its listener: {}", masterId, e.getMessage());
        }
    }

    private void startFresh(LeaderLatch fresh) {
        synchronized (lock) {
            if (state.get() != State.STARTED || latch != fresh) {
                return;
            }
        }
        log.info("Master {} rejoins the leader election of cluster {}", masterId, paths.cluster());
        startLatch(fresh);
    }

    private void notifyLost(String reason) {
        try {
            listener.onLeadershipLost(reason);
        } catch (RuntimeException e) {
            log.error("The leadership listener of master {} failed on losing leadership", masterId, e);
        }
    }

    private void connectionStateChanged(ConnectionState newState) {
        if (state.get() != State.STARTED) {
            return;
        }
        switch (newState) {
            case SUSPENDED -> suspend(SUSPENDED_REASON);
            case LOST -> lose("the ZooKeeper session expired");
            case RECONNECTED -> work.execute(this::acquire);
            default -> {
            }
        }
    }

    private final class LatchListener implements LeaderLatchListener {

        private final LeaderLatch source;

        LatchListener(LeaderLatch source) {
            this.source = source;
        }

        @Override
        public void isLeader() {
            work.execute(LeaderElection.this::acquire);
        }

        @Override
        public void notLeader() {
            synchronized (lock) {
                if (latch != source) {
                    return;
                }
            }
            // The latch lets go on a suspended connection too: that only suspends leadership.
            if (client.getZookeeperClient().isConnected()) {
                lose("the leader latch let go");
            } else {
                suspend(SUSPENDED_REASON);
            }
        }
    }

    /** What the fence asks of this election: whether a term is current, and stepping down. */
    private final class FencedTerms implements LeaderFence.Leader {

        @Override
        public boolean isCurrent(LeaderTerm term) {
            return LeaderElection.this.isCurrent(term.generation());
        }

        @Override
        public void deposed(LeaderTerm term, String reason) {
            LeaderElection.this.deposed(term, reason);
        }
    }

    // ---- helpers ------------------------------------------------------------------------------

    private boolean isCurrent(long gen) {
        synchronized (lock) {
            return state.get() == State.STARTED && generation == gen;
        }
    }

    private void closeLatchQuietly(LeaderLatch toClose) {
        if (toClose == null || toClose.getState() != LeaderLatch.State.STARTED) {
            return;
        }
        try {
            toClose.close();
        } catch (Exception e) {
            log.debug("Closing the leader latch of master {}: {}", masterId, e.toString());
        }
    }
}
