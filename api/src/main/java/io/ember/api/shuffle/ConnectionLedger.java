package io.ember.api.shuffle;

import static java.util.Objects.requireNonNull;

import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The books of a server held to {@link ConnectionLimits}: the connections it admitted and still
 * has open, those of them that have not authenticated yet (oldest first, each with the timer that
 * will close it), and how many it refused, evicted and let expire. It decides; the server's
 * handler acts on the decision (closes a connection, cancels a timer), so the same rules hold for
 * every transport: Ember's RPC servers and its shuffle service keep their books here.
 *
 * <ul>
 *   <li>At most {@code maxConnections} are admitted at once. When the server is full, a new
 *       connection takes the place of the oldest that has not authenticated yet, if the server
 *       requires authentication; else it is refused.
 *   <li>With authentication required, an admitted connection has until its timer fires to
 *       authenticate; then it {@linkplain #expire expires}.
 * </ul>
 *
 * <p>Thread-safe: connections arrive, authenticate, expire and close on different threads; each
 * method is one short critical section. Timers are cancelled outside it.
 *
 * @param <C> the server's connection type
 */
public final class ConnectionLedger<C> {

    /**
     * What became of a new connection.
     *
     * @param admitted whether it was admitted; if not, the server closes it
     * @param evicted the connection it replaced, which the server closes (its timer is cancelled), or null
     */
    public record Admission<C>(boolean admitted, C evicted) {
    }

    /**
     * What the books hold so far.
     *
     * @param refused connections refused because the server was full
     * @param evicted connections that had not authenticated, closed to admit a new one
     * @param expired connections that did not authenticate in time
     */
    public record Counts(long refused, long evicted, long expired) {
    }

    /** What a connection's timer should do. */
    public enum Expiry {
        /** Close it: it did not authenticate in time (counted). */
        CLOSE,
        /** Nothing: it authenticated, or was closed, meanwhile. */
        NONE,
        /** It cannot be closed yet; a new timer was set to look again. */
        AGAIN
    }

    private final int maxConnections;
    private final boolean authRequired;
    private final Set<C> admitted = new HashSet<>();
    /** Admitted and not authenticated, oldest first, with the timer that closes each. */
    private final Map<C, Future<?>> unauthenticated = new LinkedHashMap<>();
    private long refused;
    private long evicted;
    private long expired;

    /**
     * @param maxConnections the most connections admitted at once, at least 1
     * @param authRequired whether connections must authenticate (a secret is set)
     * @throws IllegalArgumentException when {@code maxConnections} is below 1
     */
    public ConnectionLedger(int maxConnections, boolean authRequired) {
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be >= 1: " + maxConnections);
        }
        this.maxConnections = maxConnections;
        this.authRequired = authRequired;
    }

    /** The most connections admitted at once. */
    public int maxConnections() {
        return maxConnections;
    }

    /** Whether connections must authenticate. */
    public boolean authRequired() {
        return authRequired;
    }

    /**
     * A new connection arrived. When the server is full and authentication is required, the oldest
     * unauthenticated connection that {@code evictable} accepts makes room (off the books, its
     * timer cancelled); else a full server refuses the new one.
     *
     * @param evictable which connections may be closed now (one the server cannot close yet is
     *     skipped)
     */
    public Admission<C> admit(C connection, Predicate<? super C> evictable) {
        requireNonNull(connection, "connection is null");
        requireNonNull(evictable, "evictable is null");
        C evict = null;
        Future<?> timer = null;
        boolean admit;
        synchronized (this) {
            if (admitted.size() >= maxConnections && authRequired) {
                Iterator<Map.Entry<C, Future<?>>> oldest = unauthenticated.entrySet().iterator();
                while (oldest.hasNext() && evict == null) {
                    Map.Entry<C, Future<?>> entry = oldest.next();
                    if (evictable.test(entry.getKey())) {
                        oldest.remove();
                        admitted.remove(entry.getKey());
                        evict = entry.getKey();
                        timer = entry.getValue();
                    }
                }
            }
            admit = admitted.size() < maxConnections;
            if (admit) {
                admitted.add(connection);
                if (evict != null) {
                    evicted++;
                }
            } else {
                refused++;
            }
        }
        cancel(timer);
        return new Admission<>(admit, evict);
    }

    /**
     * An admitted connection starts its time to authenticate, which {@code timer} ends.
     *
     * @return false when the connection is off the books already (closed meanwhile): the caller
     *     cancels nothing, this did
     */
    public boolean awaitAuthentication(C connection, Future<?> timer) {
        requireNonNull(timer, "timer is null");
        boolean open;
        synchronized (this) {
            open = admitted.contains(requireNonNull(connection, "connection is null"));
            if (open) {
                unauthenticated.put(connection, timer);
            }
        }
        if (!open) {
            cancel(timer);
        }
        return open;
    }

    /**
     * The connection authenticated: it may stay until it is idle.
     *
     * @return whether it was waiting to
     */
    public boolean authenticated(C connection) {
        Future<?> timer;
        synchronized (this) {
            timer = unauthenticated.remove(connection);
        }
        cancel(timer);
        return timer != null;
    }

    /**
     * The connection's timer fired.
     *
     * @param closable whether the server can close it now
     * @param again sets a new timer, to look again when it cannot
     */
    public Expiry expire(C connection, Predicate<? super C> closable, Supplier<? extends Future<?>> again) {
        synchronized (this) {
            if (!unauthenticated.containsKey(connection)) {
                return Expiry.NONE;
            }
            if (!closable.test(connection)) {
                unauthenticated.put(connection, again.get());
                return Expiry.AGAIN;
            }
            unauthenticated.remove(connection);
            expired++;
            return Expiry.CLOSE;
        }
    }

    /** The connection closed: it is forgotten, and its timer cancelled. */
    public void released(C connection) {
        Future<?> timer;
        synchronized (this) {
            admitted.remove(connection);
            timer = unauthenticated.remove(connection);
        }
        cancel(timer);
    }

    /** Connections admitted and still open. */
    public synchronized int open() {
        return admitted.size();
    }

    /** What the books hold so far. */
    public synchronized Counts counts() {
        return new Counts(refused, evicted, expired);
    }

    private static void cancel(Future<?> timer) {
        if (timer != null) {
            timer.cancel(false);
        }
    }

    @Override
    public String toString() {
        return "ConnectionLedger[max " + maxConnections + (authRequired ? ", authenticated" : "") + "]";
    }
}
