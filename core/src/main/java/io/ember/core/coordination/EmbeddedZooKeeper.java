package io.ember.core.coordination;

import static java.util.Objects.requireNonNull;

import io.ember.core.config.ServerAddress;
import io.ember.core.files.FileTrees;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.zookeeper.server.embedded.ExitHandler;
import org.apache.zookeeper.server.embedded.ZooKeeperServerEmbedded;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single ZooKeeper server inside this JVM, for local-cluster mode and tests: it listens on a
 * free port of its bind address (127.0.0.1 unless told otherwise), is reached at its advertised
 * address ({@link #connectString()}), and keeps its data in a fresh directory under the given base
 * directory, which {@link #close()} deletes again (nothing else of the base directory is
 * touched).
 *
 * <p>Tuned for fast failure detection on one machine: {@code tickTime=200} ms, so sessions from
 * 400 ms are allowed; sessions up to 60 s are honoured as requested; no per-address connection
 * limit (a local cluster connects every executor from 127.0.0.1); no admin server. A fatal server
 * error is logged and never exits the JVM.
 *
 * <p>Tests can {@link #stop()} and {@link #restart()} it to play an outage of the ensemble.
 *
 * <p>Thread-safe; {@link #close()} is idempotent.
 */
public final class EmbeddedZooKeeper implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedZooKeeper.class);

    private static final long START_TIMEOUT_MILLIS = 10_000;
    private static final int START_ATTEMPTS = 3;
    private static final String LOOPBACK = "127.0.0.1";

    /** The running server; null while {@link #stop() stopped}. Guarded by this. */
    private ZooKeeperServerEmbedded server;
    private final Path dataDir;
    private final ServerAddress address;
    private final int port;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedZooKeeper(ZooKeeperServerEmbedded server, Path dataDir, ServerAddress address, int port) {
        this.server = server;
        this.dataDir = dataDir;
        this.address = address;
        this.port = port;
    }

    /**
     * Starts a server on 127.0.0.1 and waits until it serves.
     *
     * @param baseDir where to create the server's own data directory (created if missing)
     * @throws CoordinationException when the server does not start
     */
    public static EmbeddedZooKeeper start(Path baseDir) {
        return start(baseDir, ServerAddress.of(LOOPBACK));
    }

    /**
     * Starts a server listening on {@code address}'s bind address, reached at its advertised one,
     * and waits until it serves.
     *
     * @param baseDir where to create the server's own data directory (created if missing)
     * @throws CoordinationException when the server does not start
     */
    public static EmbeddedZooKeeper start(Path baseDir, ServerAddress address) {
        requireNonNull(baseDir, "baseDir is null");
        requireNonNull(address, "address is null");
        Path dataDir;
        try {
            Files.createDirectories(baseDir);
            dataDir = Files.createTempDirectory(baseDir, "zookeeper-");
        } catch (IOException e) {
            throw new CoordinationException("cannot create the embedded ZooKeeper's data directory under " + baseDir
                    + ": " + e.getMessage(), e);
        }
        Exception last = null;
        // A free port can be taken by someone else between choosing it and binding it: try again.
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            int port;
            try {
                port = freePort(address.bind());
            } catch (CoordinationException e) {
                deleteQuietly(dataDir);
                throw e;
            }
            try {
                ZooKeeperServerEmbedded server = serve(dataDir, address.bind(), port);
                EmbeddedZooKeeper started = new EmbeddedZooKeeper(server, dataDir, address, port);
                log.info("Embedded ZooKeeper serving at {}{} (data in {})", started.connectString(),
                        address.bind().equals(address.advertised()) ? "" : ", listening on " + address.bind(), dataDir);
                return started;
            } catch (Exception e) {
                last = e;
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        deleteQuietly(dataDir);
        throw new CoordinationException("cannot start an embedded ZooKeeper: " + last, last);
    }

    /** {@code <advertised address>:<port>}: where clients reach it. */
    public String connectString() {
        return address.advertised() + ":" + port;
    }

    /** The port the server listens on. */
    public int port() {
        return port;
    }

    /**
     * Stops the server but keeps its data, as an outage of the ensemble would: clients lose their
     * connection, and their sessions live on in the data until {@link #restart()} and a session
     * timeout after it. Does nothing when stopped already.
     */
    public synchronized void stop() {
        if (stopServer()) {
            log.info("Embedded ZooKeeper at {} stopped; its data is kept for a restart", connectString());
        }
    }

    /** Stops the server if it runs; whether it did. */
    private synchronized boolean stopServer() {
        if (server == null) {
            return false;
        }
        server.close();
        server = null;
        return true;
    }

    /**
     * Starts the server again on the same port and data after {@link #stop()}. Does nothing when
     * it runs.
     *
     * @throws CoordinationException when it does not start, or after {@link #close()}
     */
    public synchronized void restart() {
        if (closed.get()) {
            throw new CoordinationException("the embedded ZooKeeper at " + connectString() + " was closed");
        }
        if (server != null) {
            return;
        }
        try {
            server = serve(dataDir, address.bind(), port);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CoordinationException("interrupted while restarting the embedded ZooKeeper", e);
        } catch (Exception e) {
            throw new CoordinationException("cannot restart the embedded ZooKeeper at " + connectString() + ": " + e, e);
        }
        log.info("Embedded ZooKeeper serving again at {}", connectString());
    }

    /** Stops the server (every session ends) and deletes its data directory. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            stopServer();
        } finally {
            deleteQuietly(dataDir);
        }
    }

    private static ZooKeeperServerEmbedded serve(Path dataDir, String bind, int port) throws Exception {
        ZooKeeperServerEmbedded server = ZooKeeperServerEmbedded.builder()
                .baseDir(dataDir)
                .configuration(configuration(bind, port))
                .exitHandler(ExitHandler.LOG_ONLY)
                .build();
        try {
            server.start(START_TIMEOUT_MILLIS);
        } catch (Exception e) {
            server.close();
            throw e;
        }
        return server;
    }

    private static Properties configuration(String bind, int port) {
        Properties cfg = new Properties();
        cfg.setProperty("clientPort", Integer.toString(port));
        cfg.setProperty("clientPortAddress", bind);
        cfg.setProperty("tickTime", "200");
        cfg.setProperty("initLimit", "10");
        cfg.setProperty("syncLimit", "5");
        cfg.setProperty("maxSessionTimeout", "60000");
        cfg.setProperty("maxClientCnxns", "0");
        cfg.setProperty("admin.enableServer", "false");
        return cfg;
    }

    private static int freePort(String bind) {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(bind))) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new CoordinationException("cannot listen on " + bind + " for the embedded ZooKeeper: " + e.getMessage(),
                    e);
        }
    }

    private static void deleteQuietly(Path dir) {
        try {
            FileTrees.deleteRecursively(dir);
        } catch (IOException e) {
            log.debug("Could not delete {}: {}", dir, e.toString());
        }
    }
}
