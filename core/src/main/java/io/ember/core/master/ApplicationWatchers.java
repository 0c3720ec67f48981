package io.ember.core.master;

import static java.util.Objects.requireNonNull;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The drivers that follow their applications during one term, and what stands for each application
 * (why it waits for executors, whether it was given up): a driver that starts following is told what
 * stands first, then every change and every failed executor.
 *
 * <p>A driver keeps its stream open while it lives and opens it again within seconds when it breaks,
 * so an application whose driver followed it during this term and follows it no more has a driver
 * that does not answer now: {@link #driverAway} (killed, say, before its ZooKeeper session expired).
 *
 * <p>Confined to the master's event loop.
 */
final class ApplicationWatchers {

    private final Map<String, Watched> apps = new HashMap<>();

    /**
     * Adds a watcher of {@code appId} and tells it what stands now.
     *
     * @return whether the application's driver was {@linkplain #driverAway away} until now
     */
    boolean watch(String appId, ApplicationWatcher watcher) {
        requireNonNull(watcher, "watcher is null");
        Watched watched = watched(appId);
        boolean wasAway = watched.away();
        watched.followed = true;
        watched.watchers.add(watcher);
        if (!watched.waiting.isEmpty()) {
            watcher.notice(new ApplicationNotice.Waiting(watched.waiting));
        }
        if (watched.failure != null) {
            watcher.notice(new ApplicationNotice.Failed(watched.failure));
        }
        return wasAway;
    }

    /**
     * A watcher's stream ended (its driver cancelled it, or went away).
     *
     * @return whether the application's driver is {@linkplain #driverAway away} now, and was not before
     */
    boolean unwatch(String appId, ApplicationWatcher watcher) {
        Watched watched = apps.get(appId);
        return watched != null && watched.watchers.remove(watcher) && watched.away();
    }

    /**
     * Whether the application's driver followed it during this term and no longer does: it does not
     * answer now. Its executors cannot reach it either, so none should be launched for it.
     */
    boolean driverAway(String appId) {
        Watched watched = apps.get(appId);
        return watched != null && watched.away();
    }

    /** An executor of the application failed. */
    void executorFailed(String appId, ApplicationNotice.ExecutorFailed failed) {
        tell(watched(appId), failed);
    }

    /** Why the application waits for executors now (empty: nothing named); told only when it changed. */
    void waiting(String appId, String reason) {
        requireNonNull(reason, "reason is null");
        Watched watched = watched(appId);
        if (!watched.waiting.equals(reason)) {
            watched.waiting = reason;
            tell(watched, new ApplicationNotice.Waiting(reason));
        }
    }

    /** The application was given up. */
    void failed(String appId, String reason) {
        requireNonNull(reason, "reason is null");
        Watched watched = watched(appId);
        watched.failure = reason;
        watched.waiting = "";
        tell(watched, new ApplicationNotice.Failed(reason));
    }

    /** The application ended: its watchers are told so, and it is forgotten. */
    void ended(String appId) {
        Watched watched = apps.remove(appId);
        if (watched != null) {
            List.copyOf(watched.watchers).forEach(ApplicationWatcher::applicationEnded);
        }
    }

    /** The term ended: every watcher must follow the next leader. */
    void leadershipEnded() {
        for (Watched watched : apps.values()) {
            List.copyOf(watched.watchers).forEach(ApplicationWatcher::leadershipEnded);
        }
        apps.clear();
    }

    private Watched watched(String appId) {
        return apps.computeIfAbsent(requireNonNull(appId, "appId is null"), id -> new Watched());
    }

    private static void tell(Watched watched, ApplicationNotice notice) {
        for (ApplicationWatcher watcher : List.copyOf(watched.watchers)) {
            watcher.notice(notice);
        }
    }

    /** One application: its watchers and what stands. */
    private static final class Watched {
        final Set<ApplicationWatcher> watchers = new LinkedHashSet<>();
        String waiting = "";
        String failure;
        /** Whether a driver followed the application during this term. */
        boolean followed;

        boolean away() {
            return followed && watchers.isEmpty();
        }
    }
}
