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
 * <p>Confined to the master's event loop.
 */
final class ApplicationWatchers {

    private final Map<String, Watched> apps = new HashMap<>();

    /** Adds a watcher of {@code appId} and tells it what stands now. */
    void watch(String appId, ApplicationWatcher watcher) {
        requireNonNull(watcher, "watcher is null");
        Watched watched = watched(appId);
        watched.watchers.add(watcher);
        if (!watched.waiting.isEmpty()) {
            watcher.notice(new ApplicationNotice.Waiting(watched.waiting));
        }
        if (watched.failure != null) {
            watcher.notice(new ApplicationNotice.Failed(watched.failure));
        }
    }

    /** A watcher's driver went away. */
    void unwatch(String appId, ApplicationWatcher watcher) {
        Watched watched = apps.get(appId);
        if (watched != null) {
            watched.watchers.remove(watcher);
        }
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
    }
}
