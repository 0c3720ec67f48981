package io.ember.core.worker;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Decides which of the applications something on this host holds have ended for good: absent from
 * the live applications (ZooKeeper's record, and those running on this host) for the grace period.
 * It remembers since when it has seen each one absent; an application seen live again starts over.
 * A caller that knows when an application last showed life here (its files last changed) passes
 * that too, so that what was left long ago goes at the first look after a restart; absence is then
 * counted from the earlier of the two.
 *
 * <p>Shared by the worker's {@link LeftoverSweep} (work directories) and {@link ShuffleReconciliation}
 * (a shuffle service's files). Callers ask only when the live applications are known: while
 * ZooKeeper cannot say, nothing is decided.
 *
 * <p>Threading: used by one thread at a time.
 */
final class EndedApplications {

    private final Duration grace;
    private final Clock clock;
    private final Map<String, Instant> absentSince = new HashMap<>();

    /** @param grace how long an application must be absent from the live ones before it counts as ended */
    EndedApplications(Duration grace, Clock clock) {
        this.grace = requireNonNull(grace, "grace is null");
        this.clock = requireNonNull(clock, "clock is null");
        if (grace.isNegative()) {
            throw new IllegalArgumentException("grace must be >= 0: " + grace);
        }
    }

    /**
     * The candidates absent from {@code live} for the grace period, sorted.
     *
     * @param candidates the applications something here holds; others are forgotten
     * @param live the applications live now (ZooKeeper's record and those running here)
     * @param lastSignOfLife when an application last showed life here; empty when unknown
     */
    Set<String> endedAmong(Collection<String> candidates, Set<String> live,
                           Function<String, Optional<Instant>> lastSignOfLife) {
        Instant now = clock.instant();
        absentSince.keySet().retainAll(Set.copyOf(candidates));
        Set<String> ended = new TreeSet<>();
        for (String appId : candidates) {
            if (live.contains(appId)) {
                absentSince.remove(appId);
                continue;
            }
            Instant seen = absentSince.computeIfAbsent(appId, a -> now);
            Instant since = lastSignOfLife.apply(appId).filter(t -> t.isBefore(seen)).orElse(seen);
            if (Duration.between(since, now).compareTo(grace) >= 0) {
                ended.add(appId);
            }
        }
        return ended;
    }

    /** Forgets an application (it was removed). */
    void forget(String appId) {
        absentSince.remove(appId);
    }
}
