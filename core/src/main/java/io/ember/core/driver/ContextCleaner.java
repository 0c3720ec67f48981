package io.ember.core.driver;

import static java.util.Objects.requireNonNull;

import io.ember.core.concurrent.Threads;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cleans up what the application no longer references, as Spark's context cleaner does: it holds a
 * weak reference to the owner of each shuffle (the dependency every dataset reading it reaches) and
 * to each persisted dataset; once the garbage collector finds one unreachable, the shuffle's files
 * are deleted on the executors and their hosts' shuffle services (and its map outputs forgotten),
 * or the dataset's cached partitions are dropped. A job can no longer name what was cleaned, so
 * nothing is computed again because of it.
 *
 * <p>An application whose driver rarely collects its old generation would rarely learn of garbage:
 * with a period ({@code ember.cleaner.periodicGC.interval}) the cleaner asks for a collection itself.
 *
 * <p>Threading: owners are registered from any thread; the clean-ups run on the cleaner's own thread,
 * one at a time. {@link #close()} stops it; what is still registered is left to the application's end.
 */
final class ContextCleaner implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ContextCleaner.class);
    private static final long POLL_MILLIS = 100;

    /** What cleaning up does: the driver's scheduler in practice. */
    interface Actions {
        /** Forgets a shuffle's outputs and deletes its files everywhere. */
        void removeShuffle(int shuffleId);

        /** Drops a dataset's cached partitions everywhere. */
        void unpersist(int datasetId);
    }

    private enum Kind { SHUFFLE, DATASET }

    /** A weak reference to an owner, and what to clean once it is gone. */
    private static final class Tracked extends WeakReference<Object> {
        final Kind kind;
        final int id;

        Tracked(Object owner, ReferenceQueue<Object> queue, Kind kind, int id) {
            super(owner, queue);
            this.kind = kind;
            this.id = id;
        }
    }

    private final Actions actions;
    private final Duration periodicGc;
    private final ReferenceQueue<Object> queue = new ReferenceQueue<>();
    /** Keeps the references themselves reachable until they are enqueued. */
    private final Set<Tracked> tracked = ConcurrentHashMap.newKeySet();
    private final AtomicLong shufflesCleaned = new AtomicLong();
    private final AtomicLong datasetsCleaned = new AtomicLong();
    private final Thread thread;
    private volatile boolean closed;

    /**
     * Starts the cleaner's thread.
     *
     * @param periodicGc how often to ask for a garbage collection; zero never
     */
    ContextCleaner(Actions actions, Duration periodicGc) {
        this.actions = requireNonNull(actions, "actions is null");
        this.periodicGc = requireNonNull(periodicGc, "periodicGc is null");
        if (periodicGc.isNegative()) {
            throw new IllegalArgumentException("periodicGc must be >= 0: " + periodicGc);
        }
        this.thread = Threads.startDaemon("ember-context-cleaner", this::run);
    }

    /** Cleans up the shuffle once {@code owner} is unreachable. */
    void shuffleDefined(Object owner, int shuffleId) {
        track(owner, Kind.SHUFFLE, shuffleId);
    }

    /** Drops the dataset's cached partitions once it is unreachable. */
    void datasetPersisted(Object dataset, int datasetId) {
        track(dataset, Kind.DATASET, datasetId);
    }

    private void track(Object owner, Kind kind, int id) {
        requireNonNull(owner, "owner is null");
        if (!closed) {
            tracked.add(new Tracked(owner, queue, kind, id));
        }
    }

    /** Shuffles cleaned up so far. */
    long shufflesCleaned() {
        return shufflesCleaned.get();
    }

    /** Persisted datasets cleaned up so far. */
    long datasetsCleaned() {
        return datasetsCleaned.get();
    }

    /** Owners registered and not yet cleaned up. */
    int tracked() {
        return tracked.size();
    }

    private void run() {
        long lastGc = System.nanoTime();
        while (!closed) {
            Reference<?> gone;
            try {
                gone = queue.remove(POLL_MILLIS);
            } catch (InterruptedException e) {
                if (closed) {
                    return;
                }
                continue;
            }
            if (gone instanceof Tracked item && tracked.remove(item)) {
                clean(item);
            }
            if (!periodicGc.isZero() && System.nanoTime() - lastGc >= periodicGc.toNanos()) {
                LOG.debug("Asking for a garbage collection, so that what the application dropped is cleaned up");
                System.gc();
                lastGc = System.nanoTime();
            }
        }
    }

    private void clean(Tracked item) {
        if (closed) {
            return;
        }
        try {
            switch (item.kind) {
                case SHUFFLE -> {
                    actions.removeShuffle(item.id);
                    shufflesCleaned.incrementAndGet();
                    LOG.debug("Cleaned up shuffle {}: nothing references it any more", item.id);
                }
                case DATASET -> {
                    actions.unpersist(item.id);
                    datasetsCleaned.incrementAndGet();
                    LOG.debug("Dropped the cached partitions of dataset {}: nothing references it any more", item.id);
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("Could not clean up {} {}: {}", item.kind == Kind.SHUFFLE ? "shuffle" : "dataset", item.id,
                    e.getMessage());
        }
    }

    /** Stops the cleaner's thread; nothing more is cleaned up. Idempotent. */
    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(Duration.ofSeconds(5).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        tracked.clear();
    }
}
