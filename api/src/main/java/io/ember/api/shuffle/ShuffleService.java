package io.ember.api.shuffle;

/**
 * The external shuffle service of one worker host: serves the map output of the executors that
 * registered their directories with it, also after they exit, until their application ends.
 *
 * <p>Every request is checked: only registered applications and executors, block ids parsed
 * strictly ({@link ShuffleBlockId#parse}), no path outside the registered directories, and with a
 * secret only authenticated connections. A refused request harms no other.
 *
 * <p>Thread-safe.
 */
public interface ShuffleService extends AutoCloseable {

    /** The port it listens on. */
    int port();

    /** An application ended: its executors are forgotten and their files deleted. */
    void applicationRemoved(String applicationId);

    /** Stops listening; registered executors stay recorded for the next start. Idempotent. */
    @Override
    void close();
}
