package io.ember.core.coordination;

import static java.util.Objects.requireNonNull;

import io.ember.api.config.Durations;
import io.ember.core.concurrent.EventLoop;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
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
 * Follows who leads a cluster, for workers, drivers and standby masters: it watches
 * {@code master/leader} and keeps the latest {@link LeaderInfo}.
 *
 * <p>A record whose epoch is lower than one already seen is ignored (logged): a follower never
 * goes back to an older leader. Between leaders (the record is deleted, or not yet written),
 * {@link #current()} is empty.
 *
 * <p><b>Threads.</b> Changes are applied and listeners called on one notification thread of
 * this tracker, in order. All public methods are thread-safe.
 */
public final class LeaderTracker implements AutoCloseable {

    private enum State { LATENT, STARTED, CLOSED }

    private static final Logger log = LoggerFactory.getLogger(LeaderTracker.class);

    private final ClusterPaths paths;
    private final CuratorCache cache;
    private final EventLoop notifications;
    private final AtomicReference<State> state = new AtomicReference<>(State.LATENT);
    private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();

    private final Object lock = new Object();
    /** Guarded by lock. */
    private LeaderInfo current;
    /** Guarded by lock; 0 until a leader is seen. */
    private long highestEpoch;

    /**
     * @param client a started client, owned by the caller (close the tracker first)
     * @param paths the cluster
     */
    public LeaderTracker(CuratorFramework client, ClusterPaths paths) {
        requireNonNull(client, "client is null");
        this.paths = requireNonNull(paths, "paths is null");
        this.cache = CuratorCache.builder(client, paths.leader())
                .withOptions(CuratorCache.Options.SINGLE_NODE_CACHE)
                .withStorage(new RecreationAwareStorage())
                .build();
        this.notifications = EventLoop.start("ember-leader-tracker-" + paths.cluster());
    }

    /**
     * Starts watching. Returns at once; see {@link #awaitLeader}.
     *
     * @throws IllegalStateException when already started or closed
     */
    public void start() {
        if (!state.compareAndSet(State.LATENT, State.STARTED)) {
            throw new IllegalStateException("the leader tracker of cluster " + paths.cluster() + " was already "
                    + (state.get() == State.CLOSED ? "closed" : "started"));
        }
        cache.listenable().addListener(new Updates(), notifications);
        cache.start();
    }

    /** The leader as last seen, or empty when there is none right now. */
    public Optional<LeaderInfo> current() {
        synchronized (lock) {
            return Optional.ofNullable(current);
        }
    }

    /** The highest leader epoch this tracker has seen; 0 when it has seen none. */
    public long highestEpochSeen() {
        synchronized (lock) {
            return highestEpoch;
        }
    }

    /**
     * Calls the listener with every new leader, on the notification thread, starting with the
     * current one if there is one. A listener is called with strictly increasing epochs: never
     * twice for one leadership, never with an older one.
     */
    public void addListener(Consumer<LeaderInfo> listener) {
        Subscriber subscriber = new Subscriber(requireNonNull(listener, "listener is null"));
        subscribers.add(subscriber);
        // Runs after the changes queued so far; the subscriber skips what it has already had.
        notifications.execute(() -> current().ifPresent(subscriber::offer));
    }

    /** Stops calling the listener. */
    public void removeListener(Consumer<LeaderInfo> listener) {
        subscribers.removeIf(subscriber -> subscriber.listener == listener);
    }

    /**
     * Waits for a leader.
     *
     * @return the current leader
     * @throws CoordinationException when there is none after {@code timeout}, with a message
     *     such as {@code "no leader master for cluster x after 10s"}, or when interrupted (the
     *     interrupt flag is set again)
     */
    public LeaderInfo awaitLeader(Duration timeout) {
        requireNonNull(timeout, "timeout is null");
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (current == null) {
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0 || state.get() == State.CLOSED) {
                    throw new CoordinationException("no leader master for cluster " + paths.cluster() + " after "
                            + Durations.format(timeout));
                }
                try {
                    lock.wait(remaining / 1_000_000, (int) (remaining % 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new CoordinationException("interrupted while waiting for the leader master of cluster "
                            + paths.cluster());
                }
            }
            return current;
        }
    }

    /** Stops watching; listeners are not called any more. Idempotent. */
    @Override
    public void close() {
        State previous = state.getAndSet(State.CLOSED);
        if (previous == State.CLOSED) {
            return;
        }
        if (previous == State.STARTED) {
            cache.close();
        }
        subscribers.clear();
        synchronized (lock) {
            lock.notifyAll();
        }
        notifications.shutdownNow(Duration.ofSeconds(1));
    }

    /** Applies one change of the leader node; on the notification thread. */
    private void apply(ChildData data) {
        LeaderInfo next = null;
        if (data != null) {
            try {
                next = LeaderInfo.decode(data.getData() == null ? new byte[0] : data.getData());
            } catch (IllegalArgumentException e) {
                log.warn("Ignoring the leader record at {}: {}", paths.leader(), e.getMessage());
                return;
            }
        }
        boolean isNew;
        synchronized (lock) {
            if (next != null && next.epoch() < highestEpoch) {
                log.warn("Ignoring a leader record of epoch {} (master {}): epoch {} was already seen", next.epoch(),
                        next.masterId(), highestEpoch);
                return;
            }
            isNew = next != null && next.epoch() > highestEpoch;
            current = next;
            if (isNew) {
                highestEpoch = next.epoch();
            }
            lock.notifyAll();
        }
        if (next == null) {
            log.info("No leader master for cluster {} at the moment", paths.cluster());
        } else if (isNew) {
            log.info("Leader master of cluster {}: {} at {} (epoch {})", paths.cluster(), next.masterId(),
                    next.address(), next.epoch());
            for (Subscriber subscriber : subscribers) {
                subscriber.offer(next);
            }
        }
    }

    /** One listener and the last epoch it was given; touched only on the notification thread. */
    private final class Subscriber {

        private final Consumer<LeaderInfo> listener;
        private long lastEpoch;

        Subscriber(Consumer<LeaderInfo> listener) {
            this.listener = listener;
        }

        void offer(LeaderInfo leader) {
            if (leader.epoch() <= lastEpoch || state.get() == State.CLOSED) {
                return;
            }
            lastEpoch = leader.epoch();
            try {
                listener.accept(leader);
            } catch (RuntimeException e) {
                log.error("A leader listener of cluster {} failed on {}", paths.cluster(), leader, e);
            }
        }
    }

    private final class Updates implements CuratorCacheListener {

        @Override
        public void event(Type type, ChildData oldData, ChildData data) {
            if (state.get() != State.STARTED) {
                return;
            }
            apply(type == Type.NODE_DELETED ? null : data);
        }
    }
}
