package io.ember.core.coordination;

import static java.util.Objects.requireNonNull;

import io.ember.api.config.Durations;
import io.ember.core.concurrent.EventLoop;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A master's warm copy of the cluster's membership: workers, applications, live drivers and
 * executors, kept current by a {@link CuratorCache} on the cluster's root. A standby keeps one
 * too, so that a takeover has nothing to load.
 *
 * <p>{@link #snapshot()} is the state with every change applied so far (listeners hear of a
 * change right after it is applied); {@link #subscribe} attaches a listener and returns the
 * state it starts from, so the listener plus that snapshot miss nothing and see nothing twice.
 *
 * <p>Changes made faster than ZooKeeper's watches are read may coalesce: a listener sees the
 * latest spec of a node, not necessarily every intermediate one.
 *
 * <p><b>Threads.</b> Changes are applied and listeners called on one notification thread of
 * this view, one at a time, in the order ZooKeeper reported them (a parent before its
 * children). All public methods are thread-safe.
 */
public final class ClusterView implements AutoCloseable {

    /**
     * Membership changes, all on the view's notification thread, in order. Every method does
     * nothing by default. The byte arrays are shared: treat them as read-only.
     */
    public interface Listener {

        /** A worker registered. */
        default void workerAdded(String workerId, byte[] spec) {
        }

        /** A registered worker's spec changed. */
        default void workerUpdated(String workerId, byte[] spec) {
        }

        /** A worker's registration went away: it stopped, or its session expired. */
        default void workerRemoved(String workerId) {
        }

        /** The leader stored an application. */
        default void applicationAdded(String appId, byte[] spec) {
        }

        /** The leader changed an application's spec. */
        default void applicationUpdated(String appId, byte[] spec) {
        }

        /** The leader removed an application. */
        default void applicationRemoved(String appId) {
        }

        /** An application's driver registered (it is alive). */
        default void driverAdded(String appId) {
        }

        /** An application's driver went away: it finished, or its session expired. */
        default void driverRemoved(String appId) {
        }

        /** An executor registered. */
        default void executorAdded(String appId, String executorId, byte[] spec) {
        }

        /** A registered executor's spec changed. */
        default void executorUpdated(String appId, String executorId, byte[] spec) {
        }

        /** An executor's registration went away: it stopped, or its session expired. */
        default void executorRemoved(String appId, String executorId) {
        }

        /** The initial load is complete: everything that existed at start was reported. */
        default void initialized() {
        }
    }

    private enum State { LATENT, STARTED, CLOSED }

    private static final Logger log = LoggerFactory.getLogger(ClusterView.class);

    private static final byte[] NO_DATA = new byte[0];

    private final ClusterPaths paths;
    private final CuratorCache cache;
    private final EventLoop notifications;
    private final AtomicReference<State> state = new AtomicReference<>(State.LATENT);
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();

    private final Object lock = new Object();
    // The membership; guarded by lock, changed only on the notification thread.
    private final Map<String, byte[]> workers = new HashMap<>();
    private final Map<String, byte[]> apps = new HashMap<>();
    private final Map<String, Map<String, byte[]>> executors = new HashMap<>();
    private final Set<String> liveDrivers = new HashSet<>();
    /** The snapshot of the current state, built on demand; null after a change. */
    private ClusterSnapshot snapshot = ClusterSnapshot.EMPTY;
    private boolean initialized;

    /**
     * @param client a started client, owned by the caller (close the view first)
     * @param paths the cluster
     */
    public ClusterView(CuratorFramework client, ClusterPaths paths) {
        requireNonNull(client, "client is null");
        this.paths = requireNonNull(paths, "paths is null");
        this.cache = CuratorCache.builder(client, paths.root()).withStorage(new RecreationAwareStorage()).build();
        this.notifications = EventLoop.start("ember-cluster-view-" + paths.cluster());
    }

    /**
     * Starts loading and following the cluster. Returns at once; see {@link #awaitInitialized}.
     *
     * @throws IllegalStateException when already started or closed
     */
    public void start() {
        if (!state.compareAndSet(State.LATENT, State.STARTED)) {
            throw new IllegalStateException("the cluster view of " + paths.cluster() + " was already "
                    + (state.get() == State.CLOSED ? "closed" : "started"));
        }
        cache.listenable().addListener(new Changes(), notifications);
        cache.start();
    }

    /** The cluster. */
    public ClusterPaths paths() {
        return paths;
    }

    /** Whether the initial load is complete. */
    public boolean isInitialized() {
        synchronized (lock) {
            return initialized;
        }
    }

    /**
     * Waits for the initial load (and for the listeners to have been told of it).
     *
     * @throws CoordinationException when it is not complete after {@code timeout}, or when
     *     interrupted (the interrupt flag is set again)
     */
    public void awaitInitialized(Duration timeout) {
        requireNonNull(timeout, "timeout is null");
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (!initialized) {
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0 || state.get() == State.CLOSED) {
                    throw new CoordinationException("the state of cluster " + paths.cluster() + " was not loaded from "
                            + "ZooKeeper (" + paths.root() + ") within " + Durations.format(timeout));
                }
                try {
                    lock.wait(remaining / 1_000_000, (int) (remaining % 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new CoordinationException("interrupted while loading the state of cluster " + paths.cluster());
                }
            }
        }
    }

    /** The membership with every change applied so far. */
    public ClusterSnapshot snapshot() {
        synchronized (lock) {
            if (snapshot == null) {
                snapshot = new ClusterSnapshot(workers, apps, executors, liveDrivers);
            }
            return snapshot;
        }
    }

    /**
     * Attaches a listener: every change after the returned snapshot is delivered to it, none
     * before.
     *
     * @return the state the listener starts from
     */
    public ClusterSnapshot subscribe(Listener listener) {
        requireNonNull(listener, "listener is null");
        synchronized (lock) {
            listeners.add(listener);
            return snapshot();
        }
    }

    /** Stops delivering changes to the listener. */
    public void unsubscribe(Listener listener) {
        listeners.remove(listener);
    }

    /** Stops following the cluster; no listener is called any more. Idempotent. */
    @Override
    public void close() {
        State previous = state.getAndSet(State.CLOSED);
        if (previous == State.CLOSED) {
            return;
        }
        if (previous == State.STARTED) {
            cache.close();
        }
        listeners.clear();
        synchronized (lock) {
            lock.notifyAll();
        }
        notifications.shutdownNow(Duration.ofSeconds(1));
    }

    // ---- applying changes (notification thread) -----------------------------------------------

    /** Where a node sits in the layout. */
    private record Node(Kind kind, String appId, String id) {
    }

    private enum Kind { WORKER, APP, DRIVER, EXECUTOR }

    /** The node at this path, or null for anything else (the master's nodes, the containers). */
    private Node classify(String path) {
        String prefix = paths.root() + "/";
        if (!path.startsWith(prefix)) {
            return null;
        }
        String[] parts = path.substring(prefix.length()).split("/", -1);
        if (parts.length == 2 && parts[0].equals("workers")) {
            return new Node(Kind.WORKER, null, parts[1]);
        }
        if (parts[0].equals("apps")) {
            if (parts.length == 2) {
                return new Node(Kind.APP, parts[1], null);
            }
            if (parts.length == 3 && parts[2].equals("driver")) {
                return new Node(Kind.DRIVER, parts[1], null);
            }
            if (parts.length == 4 && parts[2].equals("executors")) {
                return new Node(Kind.EXECUTOR, parts[1], parts[3]);
            }
        }
        return null;
    }

    private void apply(CuratorCacheListener.Type type, ChildData oldData, ChildData data) {
        ChildData subject = data != null ? data : oldData;
        if (subject == null) {
            return;
        }
        Node node = classify(subject.getPath());
        if (node == null) {
            return;
        }
        byte[] bytes = data == null || data.getData() == null ? NO_DATA : data.getData();
        boolean removed = type == CuratorCacheListener.Type.NODE_DELETED;
        // A node deleted and created again while disconnected: the old one left, a new one came.
        boolean recreated = type == CuratorCacheListener.Type.NODE_CHANGED
                && RecreationAwareStorage.isRecreation(oldData, data);
        Consumer<Listener> left = null;
        Consumer<Listener> event;
        List<Listener> targets;
        synchronized (lock) {
            if (recreated) {
                left = remove(node);
            }
            event = removed ? remove(node) : put(node, bytes);
            if (event == null && left == null) {
                return;
            }
            snapshot = null;
            targets = List.copyOf(listeners);
        }
        if (left != null) {
            deliver(targets, left);
        }
        if (event != null) {
            deliver(targets, event);
        }
    }

    /** Records a created or changed node; the event to deliver, or null for none. Under lock. */
    private Consumer<Listener> put(Node node, byte[] bytes) {
        String appId = node.appId();
        String id = node.id();
        switch (node.kind()) {
            case WORKER: {
                boolean known = workers.put(id, bytes) != null;
                return known ? l -> l.workerUpdated(id, bytes) : l -> l.workerAdded(id, bytes);
            }
            case APP: {
                boolean known = apps.put(appId, bytes) != null;
                return known ? l -> l.applicationUpdated(appId, bytes) : l -> l.applicationAdded(appId, bytes);
            }
            case DRIVER:
                return liveDrivers.add(appId) ? l -> l.driverAdded(appId) : null;
            case EXECUTOR: {
                boolean known = executors.computeIfAbsent(appId, a -> new HashMap<>()).put(id, bytes) != null;
                return known ? l -> l.executorUpdated(appId, id, bytes) : l -> l.executorAdded(appId, id, bytes);
            }
            default:
                throw new AssertionError(node);
        }
    }

    /** Forgets a deleted node; the event to deliver, or null for none. Under lock. */
    private Consumer<Listener> remove(Node node) {
        String appId = node.appId();
        String id = node.id();
        switch (node.kind()) {
            case WORKER:
                return workers.remove(id) != null ? l -> l.workerRemoved(id) : null;
            case APP:
                return apps.remove(appId) != null ? l -> l.applicationRemoved(appId) : null;
            case DRIVER:
                return liveDrivers.remove(appId) ? l -> l.driverRemoved(appId) : null;
            case EXECUTOR: {
                Map<String, byte[]> ofApp = executors.get(appId);
                if (ofApp == null || ofApp.remove(id) == null) {
                    return null;
                }
                if (ofApp.isEmpty()) {
                    executors.remove(appId);
                }
                return l -> l.executorRemoved(appId, id);
            }
            default:
                throw new AssertionError(node);
        }
    }

    private void initialized() {
        List<Listener> targets;
        synchronized (lock) {
            targets = List.copyOf(listeners);
        }
        ClusterSnapshot loaded = snapshot();
        log.info("Loaded the state of cluster {}: {} workers, {} applications, {} executors", paths.cluster(),
                loaded.workers().size(), loaded.apps().size(),
                loaded.executors().values().stream().mapToInt(Map::size).sum());
        deliver(targets, Listener::initialized);
        // Only now, so that whoever waits for the load finds the listeners up to date too.
        synchronized (lock) {
            initialized = true;
            lock.notifyAll();
        }
    }

    private void deliver(List<Listener> targets, Consumer<Listener> event) {
        for (Listener listener : targets) {
            if (state.get() == State.CLOSED) {
                return;
            }
            try {
                event.accept(listener);
            } catch (RuntimeException e) {
                log.error("A cluster listener of {} failed", paths.cluster(), e);
            }
        }
    }

    private final class Changes implements CuratorCacheListener {

        @Override
        public void event(Type type, ChildData oldData, ChildData data) {
            if (state.get() == State.STARTED) {
                apply(type, oldData, data);
            }
        }

        @Override
        public void initialized() {
            if (state.get() == State.STARTED) {
                ClusterView.this.initialized();
            }
        }
    }
}
