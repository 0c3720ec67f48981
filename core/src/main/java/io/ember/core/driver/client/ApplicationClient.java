package io.ember.core.driver.client;

import static io.ember.core.checks.Checks.requirePositive;
import static java.util.Objects.requireNonNull;

import io.ember.api.allocation.ExecutorAllocationClient;
import io.ember.core.concurrent.EventLoop;
import io.ember.core.coordination.ClusterPaths;
import io.ember.core.coordination.CoordinationException;
import io.ember.core.coordination.LeaderConversation;
import io.ember.core.coordination.LeaderInfo;
import io.ember.core.coordination.LeaderTracker;
import io.ember.core.coordination.Registration;
import io.ember.core.coordination.Registrations;
import io.ember.core.retry.Backoff;
import io.ember.core.rpc.EpochFence;
import io.ember.core.rpc.RpcChannels;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

// Longer than 400 lines because each public method states its contract (a fifth of the lines are
// comments); the work itself is in LeaderCalls, Reregistration, ExecutorRequests and
// ApplicationWatch.
/**
 * Talks to the leader master for one application: registers it, follows the leader across
 * failovers, asks for and releases executors, and unregisters it.
 *
 * <p>Threading: thread-safe; {@link #register} blocks its caller, and every later call to the
 * master runs on this client's one thread, in order.
 *
 * <p>Its full contract (registration, failover, fencing, watching, its parts, threading) is in the
 * {@code io.ember.core.driver.client} package documentation.
 */
public final class ApplicationClient implements ExecutorAllocationClient, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ApplicationClient.class);

    /** The waits between attempts; the same as the worker's LeaderLink, which talks to the leader too. */
    private static final Backoff RETRY_DELAYS = Backoff.exponential(Duration.ofMillis(50), Duration.ofSeconds(1));

    private enum State { LATENT, REGISTERING, REGISTERED, UNREGISTERED, CLOSED }

    private final CuratorFramework zookeeper;
    private final ClusterPaths paths;
    private final String zookeeperConnect;
    private final Duration rpcTimeout;
    private final Duration leaderTimeout;
    private final Supplier<Set<String>> executorIds;
    private final LeaderTracker tracker;
    private final EpochFence fence = new EpochFence();
    private final EventLoop calls;
    /** Follows the leader on the calls loop: a new one is registered with again; retries wait on it. */
    private final LeaderConversation conversation;
    private final LeaderCalls master;
    private final AtomicReference<State> state = new AtomicReference<>(State.LATENT);
    private final AtomicInteger requestedTotal = new AtomicInteger();

    /** Set by register() before the state becomes REGISTERED. */
    private volatile Registration driverNode;

    /** The executor requests the leader has not acknowledged yet; confined to the calls thread. */
    private final ExecutorRequests requests;
    /** Where the application stands; registers it again on the calls thread. */
    private final Reregistration reregistration;
    /** Hears what the leader tells about the application, and of a registration after a lost session. */
    private final ApplicationEvents events;
    /** Follows what the leader tells about the application; on the calls thread. */
    private final ApplicationWatch watch;

    /** The leader last heard of; written on the tracker's notification thread, read by the UI. */
    private volatile LeaderInfo currentLeader;

    /**
     * @param zookeeper a started client, owned by the caller (close this first)
     * @param paths the cluster
     * @param channels where calls to masters go, owned by the caller (signing calls when the
     *     cluster has a secret); the client evicts the channel of a master that stopped leading
     * @param rpcTimeout the deadline of each call ({@code ember.rpc.timeout})
     * @param leaderTimeout how long {@link #register} tries before giving up
     * @param executorIds the executors the application holds now (the driver endpoint's)
     */
    public ApplicationClient(CuratorFramework zookeeper, ClusterPaths paths, RpcChannels channels, Duration rpcTimeout,
            Duration leaderTimeout, Supplier<Set<String>> executorIds) {
        this(zookeeper, paths, channels, rpcTimeout, leaderTimeout, executorIds, () -> 0, ApplicationEvents.NONE);
    }

    /**
     * As the other constructor, also following what the leader tells about the application (see
     * {@link ApplicationEvents}) from its registration on, on the leader of the moment.
     *
     * @param executorIdsFrom above every executor id the driver has heard of (the driver endpoint's
     *     {@code executorIdsFrom}): a registration after the cluster ended the application asks the
     *     leader to number its new executors from there, never reusing an id
     * @param events hears the failed executors, why executors are missing, and the application failing
     */
    public ApplicationClient(CuratorFramework zookeeper, ClusterPaths paths, RpcChannels channels, Duration rpcTimeout,
            Duration leaderTimeout, Supplier<Set<String>> executorIds, LongSupplier executorIdsFrom,
            ApplicationEvents events) {
        this.zookeeper = requireNonNull(zookeeper, "zookeeper is null");
        this.paths = requireNonNull(paths, "paths is null");
        this.rpcTimeout = requirePositive(rpcTimeout, "rpcTimeout");
        this.leaderTimeout = requirePositive(leaderTimeout, "leaderTimeout");
        this.executorIds = requireNonNull(executorIds, "executorIds is null");
        this.zookeeperConnect = zookeeper.getZookeeperClient().getCurrentConnectionString();
        this.tracker = new LeaderTracker(zookeeper, paths);
        this.calls = EventLoop.start("ember-application-client");
        this.conversation = new LeaderConversation(LeaderConversation.Loop.of(calls), RETRY_DELAYS, new Driver());
        MasterGateway gateway = new MasterCalls(requireNonNull(channels, "channels is null"), this.rpcTimeout);
        this.master = new LeaderCalls(gateway, tracker::current, conversation, fence, this.leaderTimeout,
                paths.cluster(), zookeeperConnect, executorIdsFrom);
        this.requests = new ExecutorRequests(gateway, tracker::current, calls, this::flush);
        this.reregistration = new Reregistration(master, tracker::current, gateway, requests, this.leaderTimeout,
                () -> state.get() == State.REGISTERED, requestedTotal::get, this::flush);
        this.events = requireNonNull(events, "events is null");
        this.watch = new ApplicationWatch(gateway, calls, events,
                reregistration::standing, () -> state.get() == State.REGISTERED);
    }

    /**
     * Registers the application with the leader master and creates the driver's liveness node.
     * Blocks until a leader accepted, trying again (against the leader of the moment) after
     * failures that may pass: no leader yet, a standby answering, an unreachable or slow master, a
     * response from a deposed master.
     *
     * @param application the application, its id empty (the master assigns it)
     * @param requestedExecutors the executors it wants to start with
     * @return the application id the master assigned
     * @throws CoordinationException when no leader was found within the leader timeout ("no leader
     *     master for cluster x at zk:2181 after 10s"), the cluster's nodes may not be read (its secret
     *     is another), or the driver's node cannot be created
     * @throws IllegalStateException when a master refused the registration for good (not
     *     authenticated, invalid) or none accepted it in time, with one line saying why; or when
     *     called twice
     */
    public String register(ApplicationDescriptor application, int requestedExecutors) {
        requireNonNull(application, "application is null");
        if (requestedExecutors < 0) {
            throw new IllegalArgumentException("requestedExecutors must be >= 0: " + requestedExecutors);
        }
        if (!application.appId().isEmpty()) {
            throw new IllegalArgumentException("a new application has no id yet: " + application.appId());
        }
        if (!state.compareAndSet(State.LATENT, State.REGISTERING)) {
            throw new IllegalStateException("application client of cluster " + paths.cluster() + " is "
                    + state.get().name().toLowerCase(Locale.ROOT) + "; register() is called once");
        }
        checkAccess();
        requestedTotal.set(requestedExecutors);
        tracker.addListener(this::leaderChanged);
        tracker.start();
        LeaderCalls.Accepted accepted = master.register(application, requestedExecutors,
                System.nanoTime() + leaderTimeout.toNanos(), true, () -> state.get() != State.REGISTERING);
        if (accepted == null) {
            throw new IllegalStateException("application client of cluster " + paths.cluster()
                    + " was closed while registering");
        }
        String appId = accepted.registered().appId();
        reregistration.registered(new Reregistration.Standing(application.withAppId(appId),
                accepted.registered().epoch(), accepted.leader().address()));
        try {
            Registration node = new Registrations(zookeeper, paths).registerDriver(appId);
            driverNode = node;
            node.whenSessionRenewed(task -> {
                if (state.get() == State.REGISTERED) {
                    submit(task);
                }
            }, () -> {
                if (reregistration.afterSessionLoss(node, events::applicationFailed)) {
                    events.registeredAgainAfterSessionLoss();
                }
            });
        } catch (CoordinationException e) {
            if (state.compareAndSet(State.REGISTERING, State.REGISTERED)) {
                unregister();   // registered without liveness: do not leave it to the master's guess
            }
            throw e;
        }
        LOG.info("Application {} ('{}') registered with master {} at {} (epoch {}), wanting {} executor(s)", appId,
                application.name(), accepted.leader().masterId(), accepted.leader().address(),
                accepted.registered().epoch(), requestedExecutors);
        submit(() -> requests.sent(requestedExecutors));
        if (!state.compareAndSet(State.REGISTERING, State.REGISTERED)) {
            return appId;   // closed meanwhile
        }
        // A leader may have changed between the response and now.
        submit(reregistration::ifLeaderChanged);
        submit(watch::ensure);
        return appId;
    }

    /**
     * The application id the master assigned.
     *
     * @throws IllegalStateException before {@link #register} succeeded
     */
    public String applicationId() {
        Reregistration.Standing standing = reregistration.standing();
        if (standing == null) {
            throw new IllegalStateException("the application is not registered yet");
        }
        return standing.application().appId();
    }

    /** The epoch of the leadership the application is registered with now; 0 before registration. */
    long registeredEpoch() {
        Reregistration.Standing standing = reregistration.standing();
        return standing == null ? 0 : standing.epoch();
    }

    /** The address of the master the application is registered with now; null before registration. */
    String registeredAddress() {
        Reregistration.Standing standing = reregistration.standing();
        return standing == null ? null : standing.address();
    }

    /** The total the application asked for last. */
    @Override
    public int requestedTotal() {
        return requestedTotal.get();
    }

    /**
     * Asks for {@code total} executors; the request goes to the leader on this client's thread, and
     * every later re-registration carries it.
     *
     * @return {@code false} when the application is not registered, or no leader is known right
     *     now (the total is still remembered and reaches the next leader)
     */
    @Override
    public boolean requestTotalExecutors(int total) {
        if (total < 0) {
            throw new IllegalArgumentException("total must be >= 0: " + total);
        }
        if (state.get() != State.REGISTERED) {
            return false;
        }
        requestedTotal.set(total);
        if (!submit(this::flush)) {
            return false;
        }
        return tracker.current().isPresent();
    }

    /**
     * Kills the named executors and sets the total to {@code total} in the same request; it goes to
     * the leader on this client's thread and is sent again (to a new leader too) until acknowledged.
     *
     * @return {@code false} when the application is not registered, or no leader is known right now
     *     (the kill is still remembered and reaches the next leader)
     */
    @Override
    public boolean killExecutors(Collection<String> ids, int total) {
        List<String> copy = List.copyOf(requireNonNull(ids, "ids is null"));
        if (total < 0) {
            throw new IllegalArgumentException("total must be >= 0: " + total);
        }
        if (state.get() != State.REGISTERED) {
            return false;
        }
        requestedTotal.set(total);
        if (!submit(() -> {
            requests.kill(copy);
            flush();
        })) {
            return false;
        }
        return tracker.current().isPresent();
    }

    @Override
    public Set<String> executorIds() {
        return executorIds.get();
    }

    /**
     * Ends the application at the master, which stops its executors and forgets it. Tries within
     * about the RPC timeout; when no master can be told, says so in the log (the master ends the
     * application anyway once the driver's node is gone). Does nothing unless registered.
     *
     * @return whether a master acknowledged
     */
    public boolean unregister() {
        if (!state.compareAndSet(State.REGISTERED, State.UNREGISTERED)) {
            return false;
        }
        conversation.wake();
        String appId = reregistration.standing().application().appId();
        try {
            return calls.ask("the unregistration of application " + appId,
                    () -> master.unregister(appId, rpcTimeout, () -> state.get() == State.CLOSED,
                            () -> !zookeeper.getZookeeperClient().isConnected()),
                    rpcTimeout.multipliedBy(2).plusSeconds(1));
        } catch (RuntimeException e) {
            LOG.warn("Could not unregister application {}: {}; the master ends it when the driver's node goes", appId,
                    e.getMessage());
            return false;
        } finally {
            // Only now: a watch that ends first tells the master this driver stopped answering.
            watch.close();
        }
    }

    /**
     * Unregisters the application if it is registered, deletes the driver's node, stops following
     * the leader and stops this client's thread. Idempotent.
     */
    @Override
    public void close() {
        if (state.get() == State.REGISTERED) {
            unregister();
        }
        if (state.getAndSet(State.CLOSED) == State.CLOSED) {
            return;
        }
        watch.close();
        conversation.wake();
        Registration node = driverNode;
        if (node != null) {
            node.close();
        }
        tracker.close();
        calls.shutdownNow(Duration.ofSeconds(1));
        conversation.close();
    }

    @Override
    public String toString() {
        Reregistration.Standing standing = reregistration.standing();
        return "ApplicationClient[cluster=" + paths.cluster() + ", application="
                + (standing == null ? null : standing.application().appId()) + ", epoch="
                + (standing == null ? 0 : standing.epoch()) + ", " + state.get() + "]";
    }

    /** The leader master's web UI (its base URL), once a leader that serves one is known. */
    public Optional<String> leaderUiUrl() {
        LeaderInfo leader = currentLeader;
        return leader == null || leader.uiUrl().isEmpty() ? Optional.empty() : Optional.of(leader.uiUrl());
    }

    // ---- on the tracker's notification thread ---------------------------------------------------

    private void leaderChanged(LeaderInfo leader) {
        currentLeader = leader;
        fence.observe(leader.epoch());
        conversation.leaderChanged(leader);   // wakes waiting retries; registers again on the calls loop
    }

    /**
     * The application's side of the conversation: with a new leader, register again. Its calls
     * retry in {@link LeaderCalls#register} themselves, so the conversation never retries them.
     */
    private final class Driver implements LeaderConversation.Party {

        @Override
        public void leaderChanged(LeaderInfo previous, LeaderInfo next) {
        }

        @Override
        public void converse(LeaderInfo leader) {
            if (state.get() != State.REGISTERED || leader.epoch() <= registeredEpoch()) {
                return;
            }
            try {
                reregistration.ifLeaderChanged();
            } catch (RuntimeException e) {   // as the calls loop itself would: logged, not retried
                LOG.error("Unexpected failure on {}", calls.name(), e);
            }
        }

        @Override
        public void failed(LeaderInfo leader, RuntimeException failure, int failures, Duration retryIn) {
            // converse() never throws: LeaderCalls.register retries, with this conversation's back-off and pauses
        }
    }

    // ---- on the calls thread --------------------------------------------------------------------

    /** Sends what the leader has not acknowledged yet (see {@link ExecutorRequests}); on the calls thread. */
    private void flush() {
        if (state.get() != State.REGISTERED) {
            return;
        }
        watch.ensure();   // after a re-registration: follow the application on its new master
        Reregistration.Standing standing = reregistration.standing();
        requests.flush(standing.application().appId(), standing.address(), standing.epoch(), requestedTotal.get());
    }

    // ---- registration -----------------------------------------------------------------------------

    /**
     * Fails at once when this client may not read the cluster's nodes (a secured cluster, and
     * {@code ember.auth.secret} missing or another): it could never see a leader, and waiting out the
     * leader timeout would only end in a misleading "no leader".
     */
    private void checkAccess() {
        try {
            zookeeper.getChildren().forPath(paths.root());
        } catch (KeeperException.NoAuthException e) {
            throw new CoordinationException("cannot read cluster " + paths.cluster() + " in ZooKeeper at "
                    + zookeeperConnect + ": not allowed (is ember.auth.secret the same as the cluster's?)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CoordinationException("interrupted while reading cluster " + paths.cluster() + " in ZooKeeper", e);
        } catch (Exception e) {
            // No master has created the cluster yet (NoNode), or the connection wavers: the leader search waits.
            LOG.debug("Could not look at cluster {} in ZooKeeper yet: {}", paths.cluster(), e.toString());
        }
    }

    private boolean submit(Runnable task) {
        return calls.offer(task);
    }
}
