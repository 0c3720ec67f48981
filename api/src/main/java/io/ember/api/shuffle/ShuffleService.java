package io.ember.api.shuffle;

import java.util.Set;

/**
 * The external shuffle service of one worker host: serves the map output of the executors that
 * registered their directories with it, also after they exit, until their application ends.
 *
 * <p>Every request is checked: only registered applications and executors, block ids parsed
 * strictly ({@link ShuffleBlockId#parse}), no path outside the registered directories, and with a
 * secret only authenticated connections. A refused request harms no other. A service deletes only
 * what it created itself for registrations it accepted, never a path a request names.
 *
 * <p>Thread-safe.
 */
public interface ShuffleService extends AutoCloseable {

    /** The port it listens on. */
    int port();

    /** An application ended: its executors are forgotten and their files deleted. */
    void applicationRemoved(String applicationId);

    /**
     * The applications this service holds files or registrations of: the ids the host may pass to
     * {@link #applicationRemoved} once it knows they ended. The host compares them, at start and
     * periodically, with the applications the cluster knows are live, and removes those that ended
     * while it could not hear of it (after {@code ember.worker.cleanup.grace}).
     *
     * <p>Called from any thread, also while requests are served; it may read the service's
     * directories but must not block on the network. Since API 1.3; the default, no application,
     * makes the host remove nothing, as hosts did before.
     *
     * @return an immutable set
     */
    default Set<String> applications() {
        return Set.of();
    }

    /** Stops listening; registered executors stay recorded for the next start. Idempotent. */
    @Override
    void close();
}
