package io.ember.core.driver.client;

import static java.util.Objects.requireNonNull;

import io.ember.core.concurrent.EventLoop;
import io.ember.core.coordination.LeaderInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The application's executor requests the leader has not acknowledged yet: the latest total and
 * the executors to kill. Only the latest total is ever sent; a kill is sent until acknowledged or
 * refused for good, to a new leader too. The requests go through a {@link MasterGateway}.
 *
 * <p>Not thread-safe: confined to the application client's calls loop, where its retries run too.
 */
final class ExecutorRequests {

    /** The client's logger: these lines are the application client's. */
    private static final Logger LOG = LoggerFactory.getLogger(ApplicationClient.class);
    private static final Duration RETRY_DELAY = Duration.ofMillis(500);

    private final MasterGateway master;
    private final Supplier<Optional<LeaderInfo>> currentLeader;
    private final EventLoop calls;
    private final Runnable retry;

    private int sentTotal = -1;
    private final Set<String> pendingKills = new LinkedHashSet<>();
    private boolean retryScheduled;

    /**
     * @param master how requests reach the master
     * @param currentLeader the leader ZooKeeper names now, if any (the client's {@code LeaderTracker})
     * @param calls the client's loop, where this lives and its retries are scheduled
     * @param retry flushes again (through the client, which knows whether it is still registered)
     */
    ExecutorRequests(MasterGateway master, Supplier<Optional<LeaderInfo>> currentLeader, EventLoop calls,
            Runnable retry) {
        this.master = requireNonNull(master, "master is null");
        this.currentLeader = requireNonNull(currentLeader, "currentLeader is null");
        this.calls = requireNonNull(calls, "calls is null");
        this.retry = requireNonNull(retry, "retry is null");
    }

    /** The leader has this total now (it came with a registration). */
    void sent(int total) {
        sentTotal = total;
    }

    /** Executors to kill with the next flush. */
    void kill(Collection<String> executorIds) {
        pendingKills.addAll(executorIds);
    }

    /**
     * Sends what the leader has not acknowledged yet: the pending kills with the latest total, or
     * else the latest total if it changed. A failure that may pass, or no leader, makes the client
     * flush again after {@link #RETRY_DELAY}.
     *
     * @param appId the registered application
     * @param address the master it is registered with
     * @param registeredEpoch the leadership it is registered with; a newer leader gets the total
     *     with the re-registration, and the flush after it
     * @param total the total the application wants now
     */
    void flush(String appId, String address, long registeredEpoch, int total) {
        Optional<LeaderInfo> leader = currentLeader.get();
        if (leader.isPresent() && leader.get().epoch() > registeredEpoch) {
            return;   // the re-registration with the next leader carries the total, and flushes after
        }
        boolean failed = leader.isEmpty() && (total != sentTotal || !pendingKills.isEmpty());
        if (leader.isPresent() && !pendingKills.isEmpty()) {
            List<String> kills = new ArrayList<>(pendingKills);
            try {
                master.killExecutors(address, appId, kills, total);
                kills.forEach(pendingKills::remove);
                sentTotal = total;
                LOG.debug("Application {} killed executor(s) {} and now wants {} executor(s)", appId, kills, total);
            } catch (MasterCallException e) {
                boolean again = e.retryable();
                failed |= again;
                if (!again) {
                    kills.forEach(pendingKills::remove);
                }
                LOG.warn("Could not kill executor(s) {} of application {}: {}{}", kills, appId,
                        e.describe("master"), again ? "; trying again" : "");
            }
        } else if (leader.isPresent() && total != sentTotal) {
            try {
                master.requestTotalExecutors(address, appId, total);
                sentTotal = total;
                LOG.debug("Application {} now wants {} executor(s)", appId, total);
            } catch (MasterCallException e) {
                boolean again = e.retryable();
                failed |= again;
                if (!again) {
                    sentTotal = total;   // refused for good: do not ask again until the total changes
                }
                LOG.warn("Could not ask for {} executor(s) of application {}: {}{}", total, appId,
                        e.describe("master"), again ? "; trying again" : "");
            }
        }
        if (failed && !retryScheduled) {
            retryScheduled = true;
            calls.schedule(() -> {
                retryScheduled = false;
                retry.run();
            }, RETRY_DELAY);
        }
    }
}
