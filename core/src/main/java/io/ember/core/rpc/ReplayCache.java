package io.ember.core.rpc;

import java.util.HashSet;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * The nonces of accepted tokens, so that none is accepted twice; bounded in time and in size.
 *
 * <p>It keeps a floor: the highest timestamp among the nonces it has forgotten. A token at or
 * below the floor is refused outright, because its nonce may have been forgotten. Forgetting
 * always takes the lowest timestamp first, so the floor rises as little as possible: by time,
 * nonces whose timestamp has left the window (the window check refuses those tokens anyway); by
 * size, the oldest when more than {@code capacity} are held.
 *
 * <p>Thread-safe; one short critical section per accepted call, O(log n).
 */
final class ReplayCache {

    enum Admission { ADMITTED, SEEN, BELOW_FLOOR }

    /** A nonce (two longs) and its token's timestamp; equal when the nonces are. */
    private record Seen(long millis, long high, long low) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Seen other && other.high == high && other.low == low;
        }

        @Override
        public int hashCode() {
            return Long.hashCode(high * 31 + low);
        }
    }

    private final int capacity;
    private final Set<Seen> nonces = new HashSet<>();
    private final PriorityQueue<Seen> byAge =
            new PriorityQueue<>((a, b) -> Long.compare(a.millis(), b.millis()));
    private long floor = Long.MIN_VALUE;

    ReplayCache(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be > 0: " + capacity);
        }
        this.capacity = capacity;
    }

    /**
     * Admits a nonce once.
     *
     * @param expireBelow timestamps below this can no longer pass the window check: forget them
     */
    synchronized Admission admit(long millis, long high, long low, long expireBelow) {
        while (!byAge.isEmpty() && byAge.peek().millis() < expireBelow) {
            forgetOldest();
        }
        if (millis <= floor) {
            return Admission.BELOW_FLOOR;
        }
        Seen seen = new Seen(millis, high, low);
        if (!nonces.add(seen)) {
            return Admission.SEEN;
        }
        byAge.add(seen);
        if (nonces.size() > capacity) {
            forgetOldest();
        }
        return Admission.ADMITTED;
    }

    synchronized int size() {
        return nonces.size();
    }

    private void forgetOldest() {
        Seen oldest = byAge.poll();
        nonces.remove(oldest);
        floor = Math.max(floor, oldest.millis());
    }
}
