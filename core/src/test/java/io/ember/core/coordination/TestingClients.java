package io.ember.core.coordination;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.imps.CuratorFrameworkState;

/** Opens one client per participant against one server and closes them all at the end. */
final class TestingClients implements AutoCloseable {

    static final Duration SESSION = Duration.ofSeconds(4);

    private final String connectString;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    TestingClients(String connectString) {
        this.connectString = connectString;
    }

    ZooKeeperSettings settings() {
        return ZooKeeperSettings.of(connectString).withTimeouts(SESSION, Duration.ofSeconds(10));
    }

    CuratorFramework open() {
        return track(ZooKeeperClients.connect(settings()));
    }

    CuratorFramework open(String secret) {
        return track(ZooKeeperClients.connect(settings().withSecret(secret)));
    }

    /** Closes the closeable at the end (in reverse order of registration). */
    synchronized <T extends AutoCloseable> T track(T closeable) {
        toClose.add(closeable);
        return closeable;
    }

    @Override
    public synchronized void close() {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            AutoCloseable closeable = toClose.get(i);
            try {
                if (!(closeable instanceof CuratorFramework client) || client.getState() == CuratorFrameworkState.STARTED) {
                    closeable.close();
                }
            } catch (Exception e) {
                // cleaning up: keep going
            }
        }
        toClose.clear();
    }
}
