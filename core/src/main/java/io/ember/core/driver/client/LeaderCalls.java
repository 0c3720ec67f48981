package io.ember.core.driver.client;

import static java.util.Objects.requireNonNull;

import io.ember.api.config.Durations;
import io.ember.core.coordination.CoordinationException;
import io.ember.core.coordination.LeaderConversation;
import io.ember.core.coordination.LeaderInfo;
import io.ember.core.rpc.EpochFence;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The application client's blocking calls to the leader of the moment: registering an application
 * until a leader accepts (or the deadline passes), and unregistering it. It decides whom to call
 * (the leader ZooKeeper names now), which answers to take (none from a deposed master: the
 * {@link EpochFence}), which failures are worth another attempt, and what to say on giving up; the
 * calls themselves go through a {@link MasterGateway}. It waits between attempts through the
 * client's {@link LeaderConversation}, so a new leader cuts a wait short.
 *
 * <p>Stateless apart from what it is given; each method blocks its caller. Thread-safe.
 */
final class LeaderCalls {

    /** The client's logger: these lines are the application client's. */
    private static final Logger LOG = LoggerFactory.getLogger(ApplicationClient.class);

    private final MasterGateway master;
    private final Supplier<Optional<LeaderInfo>> currentLeader;
    private final LeaderConversation conversation;
    private final EpochFence fence;
    private final Duration leaderTimeout;
    private final String cluster;
    private final String zookeeperConnect;
    private final LongSupplier executorIdsFrom;
    private final Duration maxRetryDelay;

    /**
     * @param master how calls reach a master
     * @param currentLeader the leader ZooKeeper names now, if any (the client's {@code LeaderTracker})
     * @param conversation the client's conversation, to wait on between attempts
     * @param fence the newest epoch the client has seen
     * @param leaderTimeout how long a first registration tries
     * @param cluster the cluster's name, for messages
     * @param zookeeperConnect where the cluster's ZooKeeper is, for messages
     * @param executorIdsFrom above every executor id the driver has heard of, sent with each
     *     registration so that a leader never gives an id again (see {@link MasterGateway#registerApplication})
     */
    LeaderCalls(MasterGateway master, Supplier<Optional<LeaderInfo>> currentLeader, LeaderConversation conversation,
            EpochFence fence, Duration leaderTimeout, String cluster, String zookeeperConnect,
            LongSupplier executorIdsFrom) {
        this.master = requireNonNull(master, "master is null");
        this.currentLeader = requireNonNull(currentLeader, "currentLeader is null");
        this.conversation = requireNonNull(conversation, "conversation is null");
        this.fence = requireNonNull(fence, "fence is null");
        this.leaderTimeout = requireNonNull(leaderTimeout, "leaderTimeout is null");
        this.cluster = requireNonNull(cluster, "cluster is null");
        this.zookeeperConnect = requireNonNull(zookeeperConnect, "zookeeperConnect is null");
        this.executorIdsFrom = requireNonNull(executorIdsFrom, "executorIdsFrom is null");
        this.maxRetryDelay = conversation.backoff().max();
    }

    /** A registration a leader accepted. */
    record Accepted(LeaderInfo leader, MasterGateway.Registered registered) {
    }

    /**
     * Registers (or registers again) until a leader accepts.
     *
     * @param deadlineNanos when to give up ({@link Long#MAX_VALUE}: never)
     * @param first the first registration (it gives up at the deadline with a message saying why)
     * @param stopped whether to stop trying (unregistered or closed), looked at on every wake
     * @return the acceptance, or null when stopped
     */
    Accepted register(ApplicationDescriptor application, int requested, long deadlineNanos, boolean first,
            BooleanSupplier stopped) {
        String last = null;
        boolean sawLeader = false;
        int failures = 0;
        while (true) {
            if (stopped.getAsBoolean()) {
                return null;
            }
            long changes = conversation.leaderChanges();
            Optional<LeaderInfo> current = currentLeader.get();
            if (current.isEmpty()) {
                if (!conversation.pause(first ? remaining(deadlineNanos) : maxRetryDelay, changes,
                        () -> stopped.getAsBoolean())) {
                    return null;
                }
                if (first && System.nanoTime() - deadlineNanos >= 0 && currentLeader.get().isEmpty()) {
                    throw giveUp(application, sawLeader, last);
                }
                continue;
            }
            LeaderInfo leader = current.get();
            sawLeader = true;
            fence.observe(leader.epoch());
            try {
                MasterGateway.Registered response = master.registerApplication(leader.address(), application,
                        requested, executorIdsFrom.getAsLong());
                long newest = fence.highest();
                if (response.epoch() < newest) {
                    last = "master " + leader.masterId() + " at " + leader.address() + " answered for epoch "
                            + response.epoch() + ", but epoch " + newest + " leads now";
                    LOG.info("Ignoring a registration response from a deposed master: {}", last);
                } else if (response.appId().isEmpty()) {
                    last = "master " + leader.masterId() + " at " + leader.address() + " answered without an "
                            + "application id";
                    LOG.warn("Registration of application '{}': {}", application.name(), last);
                } else {
                    fence.observe(response.epoch());
                    return new Accepted(leader, response);
                }
            } catch (MasterCallException e) {
                last = e.describe("master " + leader.masterId());
                if (!e.retryable()) {
                    throw new IllegalStateException("cannot register application '" + application.name()
                            + "': " + last);
                }
                LOG.debug("Registration of application '{}' not accepted yet: {}", application.name(), last);
            }
            if (first && System.nanoTime() - deadlineNanos >= 0) {
                throw giveUp(application, true, last);
            }
            Duration delay = conversation.backoff().delayAfter(++failures);
            if (!conversation.pause(first ? min(delay, remaining(deadlineNanos)) : delay, changes,
                    () -> stopped.getAsBoolean())) {
                return null;
            }
        }
    }

    private RuntimeException giveUp(ApplicationDescriptor application, boolean sawLeader, String last) {
        if (!sawLeader) {
            return new CoordinationException("no leader master for cluster " + cluster + " at "
                    + zookeeperConnect + " after " + Durations.format(leaderTimeout));
        }
        return new IllegalStateException("no leader master of cluster " + cluster + " at " + zookeeperConnect
                + " accepted application '" + application.name() + "' within " + Durations.format(leaderTimeout)
                + (last == null ? "" : ": " + last));
    }

    /**
     * Ends the application at the leader of the moment, trying within about {@code within} (the RPC
     * timeout).
     *
     * @param closed whether the client closed meanwhile (then it stops trying)
     * @param zooKeeperUnreachable whether this driver cannot reach ZooKeeper now: then no leader can
     *     be found or can act (without a quorum, say), and after a failed attempt it stops trying: the
     *     leader of the next term ends the application once this driver's node is gone
     * @return whether a master acknowledged
     */
    boolean unregister(String appId, Duration within, BooleanSupplier closed, BooleanSupplier zooKeeperUnreachable) {
        long deadline = System.nanoTime() + within.toNanos();
        String last = null;
        int failures = 0;
        while (System.nanoTime() - deadline < 0) {
            Optional<LeaderInfo> current = currentLeader.get();
            if (current.isPresent()) {
                try {
                    master.unregisterApplication(current.get().address(), appId);
                    LOG.info("Application {} unregistered from master {} at {}", appId, current.get().masterId(),
                            current.get().address());
                    return true;
                } catch (MasterCallException e) {
                    last = e.describe("master " + current.get().masterId());
                    if (!e.retryable()) {
                        break;
                    }
                }
            } else {
                last = "no leader master for cluster " + cluster + " at " + zookeeperConnect;
            }
            if (zooKeeperUnreachable.getAsBoolean()) {
                LOG.info("Application {} is left to the next leader master, which ends it once this driver's "
                        + "ZooKeeper node is gone: ZooKeeper at {} cannot be reached now ({})", appId, zookeeperConnect,
                        last);
                return false;
            }
            if (!conversation.pause(conversation.backoff().delayAfter(++failures), conversation.leaderChanges(),
                    closed)) {
                break;
            }
        }
        LOG.warn("Could not unregister application {}: {}; the master ends it when the driver's node goes", appId,
                last == null ? "out of time" : last);
        return false;
    }

    private Duration remaining(long deadlineNanos) {
        return deadlineNanos == Long.MAX_VALUE
                ? maxRetryDelay : Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime()));
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
