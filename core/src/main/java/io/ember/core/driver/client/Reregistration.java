package io.ember.core.driver.client;

import static java.util.Objects.requireNonNull;

import io.ember.core.coordination.LeaderInfo;
import io.ember.core.coordination.Registration;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a registered application registered, for the {@link ApplicationClient}: with a new leader
 * it registers the application again under the same id and the latest requested total, so the
 * application and its executors survive a failover; after the driver's ZooKeeper session expired
 * (the leader ends an application whose driver's node vanished) it registers it again and
 * recreates the driver's node. Either way it then sends what the leader has not acknowledged yet.
 * It holds where the application {@link Standing stands}: its id, and the leadership and master it
 * is registered with.
 *
 * <p>Threading: {@link #ifLeaderChanged} and {@link #afterSessionLoss} run on the client's calls
 * loop (their calls to the master block it); {@link #standing()} may be read from any thread.
 */
final class Reregistration {

    /** The client's logger: these lines are the application client's. */
    private static final Logger LOG = LoggerFactory.getLogger(ApplicationClient.class);

    /**
     * Where a registered application stands.
     *
     * @param application the application, under the id the master gave it
     * @param epoch the leadership it is registered with
     * @param address the master it is registered with
     */
    record Standing(ApplicationDescriptor application, long epoch, String address) {
        Standing {
            requireNonNull(application, "application is null");
            requireNonNull(address, "address is null");
        }
    }

    private final LeaderCalls master;
    private final Supplier<Optional<LeaderInfo>> currentLeader;
    private final MasterGateway gateway;
    private final ExecutorRequests requests;
    private final Duration leaderTimeout;
    private final BooleanSupplier registered;
    private final IntSupplier requestedTotal;
    private final Runnable flush;

    private volatile Standing standing;

    /**
     * @param master registers against the leader of the moment
     * @param currentLeader the leader ZooKeeper names now, if any
     * @param gateway told to forget a deposed master
     * @param requests told of the total a registration carried
     * @param leaderTimeout how long a registration after a session loss tries
     * @param registered whether the application is still registered (not unregistered, not closed)
     * @param requestedTotal the total the application asked for last
     * @param flush sends what the leader has not acknowledged yet
     */
    Reregistration(LeaderCalls master, Supplier<Optional<LeaderInfo>> currentLeader, MasterGateway gateway,
            ExecutorRequests requests, Duration leaderTimeout, BooleanSupplier registered, IntSupplier requestedTotal,
            Runnable flush) {
        this.master = requireNonNull(master, "master is null");
        this.currentLeader = requireNonNull(currentLeader, "currentLeader is null");
        this.gateway = requireNonNull(gateway, "gateway is null");
        this.requests = requireNonNull(requests, "requests is null");
        this.leaderTimeout = requireNonNull(leaderTimeout, "leaderTimeout is null");
        this.registered = requireNonNull(registered, "registered is null");
        this.requestedTotal = requireNonNull(requestedTotal, "requestedTotal is null");
        this.flush = requireNonNull(flush, "flush is null");
    }

    /** The first registration was accepted. */
    void registered(Standing first) {
        standing = requireNonNull(first, "first is null");
    }

    /** Where the application stands now; null before the first registration. */
    Standing standing() {
        return standing;
    }

    /** Registers the application again when a newer leader than the one it is registered with leads. */
    void ifLeaderChanged() {
        Optional<LeaderInfo> leader = currentLeader.get();
        Standing now = standing;
        if (!registered.getAsBoolean() || leader.isEmpty() || leader.get().epoch() <= now.epoch()) {
            return;
        }
        String appId = now.application().appId();
        int total = requestedTotal.getAsInt();
        LOG.info("New leader master {} at {} (epoch {}): registering application {} again, wanting {} executor(s)",
                leader.get().masterId(), leader.get().address(), leader.get().epoch(), appId, total);
        LeaderCalls.Accepted accepted;
        try {
            accepted = master.register(now.application(), total, Long.MAX_VALUE, false, this::stopped);
        } catch (RuntimeException e) {
            LOG.error("Could not register application {} with the new leader master: {}; its executors will be "
                    + "stopped", appId, e.getMessage());
            return;
        }
        if (accepted == null) {
            return;   // unregistered or closed meanwhile
        }
        if (!accepted.registered().appId().equals(appId)) {
            LOG.error("Master {} at {} registered application {} again under another id, {}; keeping {}",
                    accepted.leader().masterId(), accepted.leader().address(), appId, accepted.registered().appId(),
                    appId);
        }
        registeredAgain(now, accepted, total);
        if (!now.address().equals(accepted.leader().address())) {
            gateway.forget(now.address());   // the deposed master's connection is of no more use
        }
        LOG.info("Application {} registered again with master {} at {} (epoch {})", appId,
                accepted.leader().masterId(), accepted.leader().address(), accepted.registered().epoch());
        flush.run();
    }

    /**
     * The driver's ZooKeeper session expired (a long pause, a partition): its liveness node is gone,
     * and the leader ends (or has ended) the application. Registers the same application again and
     * recreates the node, so the application goes on, with new executors if the old ones were stopped.
     * When that fails, the application is over on the cluster: {@code gaveUp} hears why, so that its
     * jobs fail instead of waiting for executors that will never come.
     *
     * @return whether it registered the application again
     */
    boolean afterSessionLoss(Registration driverNode, Consumer<String> gaveUp) {
        if (!registered.getAsBoolean() || driverNode.onCurrentSession()) {
            return false;
        }
        Standing now = standing;
        String appId = now.application().appId();
        int total = requestedTotal.getAsInt();
        LOG.warn("The driver's ZooKeeper session expired, so the cluster may have ended application {}; "
                + "registering it again, wanting {} executor(s)", appId, total);
        LeaderCalls.Accepted accepted;
        try {
            accepted = master.register(now.application(), total, System.nanoTime() + leaderTimeout.toNanos(), false,
                    this::stopped);
            if (accepted == null) {
                return false;   // unregistered or closed meanwhile
            }
            driverNode.replace();   // the old session's node may still stand on the server
        } catch (RuntimeException e) {
            gaveUp.accept("it could not be registered again after the driver's ZooKeeper session expired (the "
                    + "cluster may have ended it meanwhile): " + e.getMessage());
            return false;
        }
        registeredAgain(now, accepted, total);
        LOG.info("Application {} registered again with master {} at {} (epoch {}) after the driver's session expired",
                appId, accepted.leader().masterId(), accepted.leader().address(), accepted.registered().epoch());
        flush.run();
        return true;
    }

    /** A leader accepted the application again (under its first id), with {@code total} executors. */
    private void registeredAgain(Standing before, LeaderCalls.Accepted accepted, int total) {
        standing = new Standing(before.application(), accepted.registered().epoch(), accepted.leader().address());
        requests.sent(total);
    }

    private boolean stopped() {
        return !registered.getAsBoolean();
    }
}
