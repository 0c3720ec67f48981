package io.ember.core.worker;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes from a shuffle service (a worker's embedded one, or {@code ember shuffle-service}) the
 * applications that ended while it could not hear of it: an application the service holds
 * ({@link ShuffleServiceHost#applications()}) that has been neither in ZooKeeper's record of live
 * applications nor running on this host for the grace period ({@link EndedApplications}) is
 * removed from the service, which deletes the files it created for it. Nothing is removed while
 * ZooKeeper cannot say which applications are live.
 *
 * <p>Threading: {@link #reconcile} is called from one thread at a time.
 */
final class ShuffleReconciliation {

    private static final Logger LOG = LoggerFactory.getLogger(ShuffleReconciliation.class);

    private final ShuffleServiceHost service;
    private final Supplier<Optional<Set<String>>> liveApplications;
    private final Supplier<Set<String>> runningHere;
    private final EndedApplications ended;

    /**
     * @param liveApplications the applications ZooKeeper records as live; empty when it cannot say
     * @param runningHere the applications with an executor on this host now (none known to a
     *     standalone service)
     * @param grace how long an application must have been absent before the service removes it
     */
    ShuffleReconciliation(ShuffleServiceHost service, Supplier<Optional<Set<String>>> liveApplications,
                          Supplier<Set<String>> runningHere, Duration grace, Clock clock) {
        this.service = requireNonNull(service, "service is null");
        this.liveApplications = requireNonNull(liveApplications, "liveApplications is null");
        this.runningHere = requireNonNull(runningHere, "runningHere is null");
        this.ended = new EndedApplications(grace, clock);
    }

    /**
     * Removes the applications that ended for the grace period.
     *
     * @return the applications removed from the service
     */
    List<String> reconcile() {
        Optional<Set<String>> live = liveApplications.get();
        if (live.isEmpty()) {
            LOG.debug("Not reconciling the shuffle service {}: the live applications are unknown", service.address());
            return List.of();
        }
        Set<String> held = service.applications();
        Set<String> liveNow = new HashSet<>(live.get());
        liveNow.addAll(runningHere.get());
        List<String> removed = ended.endedAmong(held, liveNow, appId -> Optional.empty()).stream().toList();
        for (String appId : removed) {
            service.applicationRemoved(appId);
            ended.forget(appId);
            LOG.info("The shuffle service on {} removed application {}, which ended while it could not hear of it",
                    service.address(), appId);
        }
        return removed;
    }
}
