package io.ember.core.coordination;

import static java.util.Objects.requireNonNull;

import io.ember.api.config.Durations;
import io.ember.core.retry.Backoff;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.imps.CuratorFrameworkState;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.ConnectionStateListener;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One ephemeral node that says a process is in the cluster (a worker, a driver, an executor),
 * created through {@link Registrations}: this class owns the node's creation, its re-creation and
 * its removal, and the one connection-state listener that watches the session holding it.
 *
 * <p><b>ACL.</b> The node is created by the process's own client, so it carries that client's ACL
 * ({@link ZooKeeperClients}: the cluster's digest when it has a secret, open otherwise); nothing
 * here chooses another.
 *
 * <p><b>Connection states.</b> SUSPENDED changes nothing (the node lives on while the session
 * does). LOST marks the session as expired: ZooKeeper removes the node (at once, or when its server
 * notices the expiry) and everyone watching sees the process leave. On the first RECONNECTED after
 * that (or on a session other than the node's), the registration heals itself, as Curator's
 * PersistentNode does: on the owner's executor it creates the node again on the new session,
 * trying again after a back-off while that fails, until it succeeds or the registration is closed;
 * then it runs the owner's {@link #whenSessionRenewed renewal} once (telling the leader again, say).
 * When the node cannot come back because its application is no longer stored, the renewal runs at
 * once and its own {@link #recreate()} reports why, so that the owner decides (an executor stops).
 *
 * <p><b>Our own earlier node.</b> After an outage of the ensemble, the server may still hold the
 * node of this process's expired session: a restarted quorum restores the sessions it had and
 * expires them only a session timeout later. A registration knows the session that created its
 * node and takes such a node back (deletes it and creates it on the new session); a node of any
 * other session is another process's, and is refused.
 *
 * <p>Thread-safe; {@link #close()} is idempotent.
 */
public final class Registration implements AutoCloseable {

    /** Retries when the tree changes under a multi-step write (a container vanishing, say). */
    private static final int MAX_ATTEMPTS = 5;
    /** Between attempts to create the node again after a lost session. */
    private static final Backoff HEALING = Backoff.exponential(Duration.ofMillis(100), Duration.ofSeconds(5));
    /** How long a sync before a second look at a missing application node may take. */
    private static final Duration SYNC_TIMEOUT = Duration.ofSeconds(5);

    private static final Logger log = LoggerFactory.getLogger(Registration.class);

    private final CuratorFramework client;
    private final ClusterPaths paths;
    private final String path;
    private final byte[] data;
    private final boolean createParents;
    private final String what;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicReference<ConnectionStateListener> watch = new AtomicReference<>();
    /** The session that created (or last re-created) the node. */
    private volatile long sessionId;

    private Registration(CuratorFramework client, ClusterPaths paths, String path, byte[] data, boolean createParents,
            String what) {
        this.client = requireNonNull(client, "client is null");
        this.paths = requireNonNull(paths, "paths is null");
        this.path = requireNonNull(path, "path is null");
        this.data = requireNonNull(data, "data is null").clone();
        this.createParents = createParents;
        this.what = requireNonNull(what, "what is null");
    }

    /**
     * Creates the node (or takes it back with new data when this session already holds it).
     *
     * @param createParents whether missing parents are created (a worker's); a driver's or
     *     executor's needs its application stored by the leader first
     * @param what the process, for messages: "worker w1"
     */
    static Registration create(CuratorFramework client, ClusterPaths paths, String path, byte[] data,
            boolean createParents, String what) {
        Registration registration = new Registration(client, paths, path, data, createParents, what);
        registration.recreate();
        return registration;
    }

    /** The node's path. */
    public String path() {
        return path;
    }

    /** Whether the client's session now is the one that created the node (false after an expiry, until {@link #recreate()}). */
    public boolean onCurrentSession() {
        return currentSession() == sessionId;
    }

    /**
     * Creates the node again, with the same data, on the client's current session (after the
     * session that held it expired). Does nothing to a node this session already holds but set its
     * data again.
     *
     * @throws CoordinationException when another live process holds the path, the application is
     *     not stored (for a driver's or executor's), or ZooKeeper fails
     */
    public void recreate() {
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            try {
                if (tryCreate()) {
                    return;
                }
            } catch (CoordinationException e) {
                throw e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CoordinationException("interrupted while registering " + what, e);
            } catch (Exception e) {
                throw Registrations.failure("cannot register " + what + " at " + path, e);
            }
        }
        throw new CoordinationException("cannot register " + what + " at " + path + ": the tree kept changing");
    }

    /**
     * {@link #recreate()}, after deleting the node if the session that created it still holds it
     * (an expiry ZooKeeper's server has not noticed yet). For the driver, whose old node would
     * otherwise stand in the way until the server expires it.
     *
     * @throws CoordinationException as {@link #recreate()}
     */
    public void replace() {
        deleteIfHeldBy(sessionId);
        recreate();
    }

    /**
     * Runs {@code renewal} on {@code executor} once for every new session that follows one that
     * expired (see the class documentation), until {@link #close()}. Installs this registration's
     * one connection-state listener; call it once.
     *
     * @throws IllegalStateException when called twice
     */
    public void whenSessionRenewed(Executor executor, Runnable renewal) {
        requireNonNull(executor, "executor is null");
        requireNonNull(renewal, "renewal is null");
        ConnectionStateListener listener = new SessionWatch(executor, renewal);
        if (!watch.compareAndSet(null, listener)) {
            throw new IllegalStateException("the registration at " + path + " already has a renewal");
        }
        client.getConnectionStateListenable().addListener(listener);
    }

    /**
     * Deletes the node if it is still this session's (it never deletes a node someone else
     * created at the same path since) and stops watching the session. Does nothing to the node
     * when the client is closed or disconnected: the node then goes with the session.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        ConnectionStateListener listener = watch.get();
        if (listener != null) {
            client.getConnectionStateListenable().removeListener(listener);
        }
        deleteIfHeldBy(sessionId);
    }

    /** Deletes the node if {@code owner} holds it; does nothing when the client is closed or disconnected. */
    private void deleteIfHeldBy(long owner) {
        if (client.getState() != CuratorFrameworkState.STARTED || !client.getZookeeperClient().isConnected()) {
            return;
        }
        try {
            Stat stat = client.checkExists().forPath(path);
            if (stat != null && stat.getEphemeralOwner() == owner) {
                client.delete().withVersion(stat.getVersion()).forPath(path);
            }
        } catch (KeeperException.NoNodeException | KeeperException.BadVersionException e) {
            // already gone, or no longer ours
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.warn("Could not remove {} from ZooKeeper ({}); it goes when this process's session ends", path,
                    e.toString());
        }
    }

    @Override
    public String toString() {
        return "Registration[" + path + "]";
    }

    /** One attempt; false when the tree changed under it and another attempt may succeed. */
    private boolean tryCreate() throws Exception {
        Stat stat = new Stat();
        try {
            if (createParents) {
                client.create().storingStatIn(stat).creatingParentContainersIfNeeded()
                        .withMode(CreateMode.EPHEMERAL).forPath(path, data);
            } else {
                client.create().storingStatIn(stat).withMode(CreateMode.EPHEMERAL).forPath(path, data);
            }
            sessionId = stat.getEphemeralOwner();
            return true;
        } catch (KeeperException.NodeExistsException e) {
            return reclaim();
        } catch (KeeperException.NoNodeException e) {
            // Only drivers and executors get here (their parents are not created blindly).
            ensureParentsUnderApplication();
            return false;
        }
    }

    /**
     * The node exists: if it is this session's, update it and keep it; if it vanished meanwhile,
     * false (try again); if another live session holds it, refuse.
     */
    private boolean reclaim() throws Exception {
        Stat stat = client.checkExists().forPath(path);
        if (stat == null) {
            return false;
        }
        long ownSession = client.getZookeeperClient().getZooKeeper().getSessionId();
        if (stat.getEphemeralOwner() != ownSession && stat.getEphemeralOwner() == sessionId) {
            takeBackFromExpiredSession(stat);
            return false;
        }
        if (stat.getEphemeralOwner() != ownSession) {
            throw new CoordinationException(what + " is already registered at " + path + " by another live process "
                    + "(ZooKeeper session 0x" + Long.toHexString(stat.getEphemeralOwner()) + "); ids must be unique. "
                    + "If that process crashed, its registration goes after the session timeout.");
        }
        try {
            client.setData().withVersion(stat.getVersion()).forPath(path, data);
        } catch (KeeperException.NoNodeException | KeeperException.BadVersionException e) {
            return false;
        }
        sessionId = ownSession;
        return true;
    }

    /** Deletes the node this registration created on a session that has expired for us but not yet on the server. */
    private void takeBackFromExpiredSession(Stat stat) throws Exception {
        try {
            client.delete().withVersion(stat.getVersion()).forPath(path);
            log.debug("Took back {} from this process's expired ZooKeeper session 0x{}", path,
                    Long.toHexString(stat.getEphemeralOwner()));
        } catch (KeeperException.NoNodeException | KeeperException.BadVersionException e) {
            // it went meanwhile, or changed: the next attempt sees
        }
    }

    private void ensureParentsUnderApplication() throws Exception {
        String appNode = path.substring(0, path.indexOf('/', paths.apps().length() + 1));
        if (client.checkExists().forPath(appNode) == null && !existsOnceSynced(appNode)) {
            String appId = appNode.substring(appNode.lastIndexOf('/') + 1);
            throw new ApplicationNotStored("cannot register " + what + ": application " + appId + " is not stored "
                    + "in ZooKeeper (no " + appNode + "); the leader master stores it first");
        }
        String parent = path.substring(0, path.lastIndexOf('/'));
        if (!parent.equals(appNode)) {
            client.createContainers(parent);
        }
    }

    /**
     * Whether {@code node} exists once this client's server has caught up with the ensemble's
     * leader. The master stores an application before it answers the driver, but a write is
     * acknowledged when a quorum has it: the server this client talks to may apply it a moment
     * later, and a read there in between misses it (the multi-host suite's driver, registering
     * again after its session expired, did). A sync first, then the read, sees it.
     */
    private boolean existsOnceSynced(String node) throws Exception {
        CountDownLatch synced = new CountDownLatch(1);
        client.sync().inBackground((curator, event) -> synced.countDown()).forPath(node);
        // Reads after a sync on the same session are served after it; the wait only bounds a lost connection.
        if (!synced.await(SYNC_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            log.debug("No answer to a sync of {} within {}", node, Durations.format(SYNC_TIMEOUT));
        }
        return client.checkExists().forPath(node) != null;
    }

    private long currentSession() {
        try {
            return client.getZookeeperClient().getZooKeeper().getSessionId();
        } catch (Exception e) {
            return -1;
        }
    }

    /** The node cannot be created because its application is gone: healing stops, the owner decides. */
    private static final class ApplicationNotStored extends CoordinationException {

        private static final long serialVersionUID = 1L;

        ApplicationNotStored(String message) {
            super(message);
        }
    }

    /** The one listener of this registration; on Curator's connection-state thread. */
    private final class SessionWatch implements ConnectionStateListener {

        private final Executor executor;
        private final Runnable renewal;
        /** Only on Curator's connection-state thread: the session expired since the last renewal. */
        private boolean sessionLost;

        SessionWatch(Executor executor, Runnable renewal) {
            this.executor = executor;
            this.renewal = renewal;
        }

        @Override
        public void stateChanged(CuratorFramework changed, ConnectionState newState) {
            if (newState == ConnectionState.LOST) {
                sessionLost = true;
            } else if (newState == ConnectionState.RECONNECTED && (sessionLost || !onCurrentSession())
                    && !closed.get()) {
                sessionLost = false;
                executor.execute(() -> heal(0));
            }
        }

        /** Creates the node on the new session, after {@code failures} failed attempts; then the renewal. */
        private void heal(int failures) {
            if (closed.get()) {
                return;
            }
            try {
                recreate();
                if (failures > 0) {
                    log.info("Registered {} again in ZooKeeper after {} failed attempt(s)", what, failures);
                }
            } catch (ApplicationNotStored e) {
                // the owner's renewal hears why from its own recreate()
            } catch (CoordinationException e) {
                Duration delay = HEALING.delayAfter(failures + 1);
                if (failures == 0 || (failures + 1) % 10 == 0) {
                    log.warn("Could not register {} again in ZooKeeper after its session expired ({}); trying again "
                            + "every {} at most", what, e.getMessage(), Durations.format(HEALING.max()));
                }
                CompletableFuture.delayedExecutor(delay.toNanos(), TimeUnit.NANOSECONDS, executor)
                        .execute(() -> heal(failures + 1));
                return;
            }
            if (!closed.get()) {
                renewal.run();
            }
        }
    }
}
