package io.ember.core.coordination;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.imps.CuratorFrameworkState;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;

/**
 * Opens one client per participant against one server and closes them all at the end; started
 * with {@link #withServer}, it also owns that server (Curator's {@link TestingServer}) and stops it
 * last.
 */
final class TestingClients implements AutoCloseable {

    static final Duration SESSION = Duration.ofSeconds(4);

    private final String connectString;
    private final TestingServer server;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    TestingClients(String connectString) {
        this(connectString, null);
    }

    private TestingClients(String connectString, TestingServer server) {
        this.connectString = connectString;
        this.server = server;
    }

    /** Clients of a ZooKeeper server of their own, started on a free port. */
    static TestingClients withServer() throws Exception {
        TestingServer server = new TestingServer(true);
        return new TestingClients(server.getConnectString(), server);
    }

    /**
     * Clients of a server of their own that keeps its data in {@code dataDir} across
     * {@link TestingServer#stop()} and {@link TestingServer#restart()}, with a tick of
     * {@code tickMillis} (so sessions shorter than ZooKeeper's default minimum are honoured).
     */
    static TestingClients withServer(Path dataDir, int tickMillis) throws Exception {
        TestingServer server = new TestingServer(
                new InstanceSpec(dataDir.toFile(), -1, -1, -1, false, -1, tickMillis, -1), true);
        return new TestingClients(server.getConnectString(), server);
    }

    /** The server these clients own. */
    TestingServer server() {
        if (server == null) {
            throw new IllegalStateException("these clients do not own their server");
        }
        return server;
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
        if (server != null) {
            try {
                server.close();
            } catch (IOException e) {
                // cleaning up: the server's directory is temporary
            }
        }
    }
}
