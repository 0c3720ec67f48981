package io.ember.core.coordination;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import io.ember.api.config.Durations;
import io.ember.core.concurrent.EventLoop;
import io.ember.core.concurrent.Threads;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.api.ACLProvider;
import org.apache.curator.framework.imps.CuratorFrameworkState;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.ConnectionStateListener;
import org.apache.curator.retry.BoundedExponentialBackoffRetry;
import org.apache.zookeeper.ClientCnxnSocketNetty;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.client.ZKClientConfig;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Id;
import org.apache.zookeeper.server.auth.DigestAuthenticationProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connects Ember processes to ZooKeeper, the same way everywhere: the Netty client socket (it
 * closes in about 2 ms where the default NIO one takes about 100 ms, and a graceful master
 * stop is only as fast as its session close), a small bounded retry policy, connection changes
 * logged in an operator's words, and, when the cluster has a secret, digest authentication with
 * a digest ACL on every node the client creates.
 *
 * <p>With a secret, every node gets {@code digest:ember:<digest of secret>} with all permissions
 * and nothing for anyone else; the one exception is the shared namespace node {@code /ember},
 * which also lets anyone read and create children, so clusters with other secrets (or none) can
 * share the ensemble. Without a secret, nodes are open ({@code OPEN_ACL_UNSAFE}).
 *
 * <p>Thread-safe (stateless).
 */
public final class ZooKeeperClients {

    private static final Logger log = LoggerFactory.getLogger(ZooKeeperClients.class);

    /** The digest user every Ember process authenticates as; the secret is its password. */
    static final String DIGEST_USER = "ember";

    private ZooKeeperClients() {
    }

    /**
     * Starts a client and waits until it is connected, up to the connection timeout.
     *
     * @return a started, connected client; the caller closes it (that ends its session at once,
     *     removing its ephemeral nodes)
     * @throws CoordinationException with one line such as {@code "cannot reach ZooKeeper at
     *     127.0.0.1:1 within 10s"} when no connection was made in time (the client is closed)
     */
    public static CuratorFramework connect(ZooKeeperSettings settings) {
        requireNonNull(settings, "settings is null");
        if (settings.chroot().isPresent()) {
            createChroot(settings);
        }
        int connectionMillis = ZooKeeperSettings.toIntMillis(settings.connectionTimeout(), "connectionTimeout");
        CuratorFramework client = newClient(settings);
        client.getConnectionStateListenable().addListener(new ConnectionLogger(settings));
        client.start();
        boolean connected;
        try {
            connected = client.blockUntilConnected(connectionMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeInBackground(client);
            throw new CoordinationException("interrupted while connecting to ZooKeeper at " + settings.connectString());
        }
        if (!connected) {
            closeInBackground(client);
            throw new CoordinationException("cannot reach ZooKeeper at " + settings.connectString() + " within "
                    + Durations.format(settings.connectionTimeout()));
        }
        return client;
    }

    /**
     * Creates the chroot the connect string names, if it does not exist: ZooKeeper roots the
     * client there but does not create it, and every operation below a missing root fails. It is
     * created, with its parents, by a client of the bare ensemble, with the ACL of Ember's shared
     * namespace node (readable by all; with a secret, changed only by its holders).
     */
    private static void createChroot(ZooKeeperSettings settings) {
        requireNonNull(settings, "settings is null");
        String chroot = settings.chroot().orElseThrow();
        try (CuratorFramework bare = connect(settings.withConnectString(settings.servers()))) {
            if (bare.checkExists().forPath(chroot) == null) {
                bare.create().creatingParentsIfNeeded().withACL(namespaceAcl(settings), true).forPath(chroot);
                log.info("Created the ZooKeeper chroot {} at {}", chroot, settings.servers());
            }
        } catch (KeeperException.NodeExistsException raced) {
            // another process created it meanwhile
        } catch (CoordinationException e) {
            throw e;
        } catch (Exception e) {
            throw new CoordinationException("cannot create the chroot " + chroot + " in ZooKeeper at "
                    + settings.servers() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Starts a client without waiting for it to connect: for a process that works without
     * ZooKeeper and asks it only when it can ({@code ember shuffle-service}). Its operations fail
     * while it is not connected.
     *
     * @return a started client; the caller closes it
     */
    public static CuratorFramework startInBackground(ZooKeeperSettings settings) {
        requireNonNull(settings, "settings is null");
        CuratorFramework client = newClient(settings);
        client.getConnectionStateListenable().addListener(new ConnectionLogger(settings));
        client.start();
        return client;
    }

    /**
     * Closes a client that never connected without making the caller wait: ZooKeeper's close
     * waits for the connection attempt in progress (up to a second) to give up.
     */
    private static void closeInBackground(CuratorFramework client) {
        Threads.startDaemon("ember-zookeeper-close", client::close);
    }

    private static CuratorFramework newClient(ZooKeeperSettings settings) {
        ZKClientConfig zkConfig = new ZKClientConfig();
        zkConfig.setProperty(ZKClientConfig.ZOOKEEPER_CLIENT_CNXN_SOCKET, ClientCnxnSocketNetty.class.getName());
        int sessionMillis = ZooKeeperSettings.toIntMillis(settings.sessionTimeout(), "sessionTimeout");
        int connectionMillis = ZooKeeperSettings.toIntMillis(settings.connectionTimeout(), "connectionTimeout");
        CuratorFrameworkFactory.Builder builder = CuratorFrameworkFactory.builder()
                .connectString(settings.connectString())
                .sessionTimeoutMs(sessionMillis)
                // Curator's connection timeout is also how long an operation waits out a disconnection;
                // past the session timeout the session is presumed gone anyway. The first connection
                // gets the whole configured timeout in connect().
                .connectionTimeoutMs(Math.min(connectionMillis, sessionMillis))
                // A few quick retries: a long outage is the session timeout's business, not the retry's.
                .retryPolicy(new BoundedExponentialBackoffRetry(50, 500, 3))
                // Ember's connect strings are static. The tracker's background config read also fails
                // noisily (an ERROR with a stack trace) while the first connection is still pending.
                .ensembleTracker(false)
                .zkClientConfig(zkConfig);
        if (settings.secret().isPresent()) {
            String credentials = DIGEST_USER + ":" + settings.secret().get();
            builder.authorization("digest", credentials.getBytes(UTF_8))
                    .aclProvider(new DigestAclProvider(identity(settings.secret().get())));
        } else {
            builder.aclProvider(new OpenAclProvider());
        }
        return builder.build();
    }

    /** The ACL of a node clusters share (the namespace node, a chroot): see {@link DigestAclProvider}. */
    private static List<ACL> namespaceAcl(ZooKeeperSettings settings) {
        return settings.secret().map(secret -> new DigestAclProvider(identity(secret)).namespace)
                .orElse(ZooDefs.Ids.OPEN_ACL_UNSAFE);
    }

    /**
     * The ZooKeeper identity of the Ember processes that hold {@code secret}: {@code
     * digest:ember:<base64 SHA-1 of "ember:" + secret>}, as it appears in the ACLs they set.
     */
    static Id identity(String secret) {
        requireNonNull(secret, "secret is null");
        try {
            return new Id("digest", DigestAuthenticationProvider.generateDigest(DIGEST_USER + ":" + secret));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-1 for ZooKeeper digest ACLs", e);
        }
    }

    /** Every node: all permissions for the cluster's digest identity, nothing for anyone else. */
    private static final class DigestAclProvider implements ACLProvider {

        private final List<ACL> owned;
        private final List<ACL> namespace;

        DigestAclProvider(Id identity) {
            // Not List.of: ZooKeeper asks the list whether it contains null, which List.of refuses.
            this.owned = Collections.unmodifiableList(Arrays.asList(new ACL(ZooDefs.Perms.ALL, identity)));
            this.namespace = Collections.unmodifiableList(Arrays.asList(new ACL(ZooDefs.Perms.ALL, identity),
                    new ACL(ZooDefs.Perms.READ | ZooDefs.Perms.CREATE, ZooDefs.Ids.ANYONE_ID_UNSAFE)));
        }

        @Override
        public List<ACL> getDefaultAcl() {
            return owned;
        }

        @Override
        public List<ACL> getAclForPath(String path) {
            return ClusterPaths.NAMESPACE.equals(path) ? namespace : owned;
        }
    }

    private static final class OpenAclProvider implements ACLProvider {

        @Override
        public List<ACL> getDefaultAcl() {
            return ZooDefs.Ids.OPEN_ACL_UNSAFE;
        }

        @Override
        public List<ACL> getAclForPath(String path) {
            return ZooDefs.Ids.OPEN_ACL_UNSAFE;
        }
    }

    /**
     * Logs the {@link ConnectionReport} of one client, and while an outage lasts asks it for a
     * summary every second on a timer thread of its own, which ends with the outage (or when the
     * client is closed).
     */
    private static final class ConnectionLogger implements ConnectionStateListener {

        private final ConnectionReport report;
        private EventLoop timer;

        ConnectionLogger(ZooKeeperSettings settings) {
            this.report = new ConnectionReport(settings.connectString(), settings.sessionTimeout(),
                    Clock.systemUTC());
        }

        @Override
        public void stateChanged(CuratorFramework client, ConnectionState state) {
            report.changed(state).ifPresent(ConnectionLogger::log);
            synchronized (this) {
                if (report.inOutage() && timer == null) {
                    timer = EventLoop.start("ember-zookeeper-outage");
                    timer.scheduleWithFixedDelay(() -> summarise(client), Duration.ofSeconds(1), Duration.ofSeconds(1));
                } else if (!report.inOutage() && timer != null) {
                    timer.shutdownNow(Duration.ZERO);
                    timer = null;
                }
            }
        }

        private void summarise(CuratorFramework client) {
            if (client.getState() != CuratorFrameworkState.STARTED) {
                synchronized (this) {
                    if (timer != null) {
                        timer.shutdownNow(Duration.ZERO);
                        timer = null;
                    }
                }
                return;
            }
            report.tick().ifPresent(ConnectionLogger::log);
        }

        private static void log(ConnectionReport.Line line) {
            if (line.level() == ConnectionReport.Level.WARN) {
                log.warn(line.text());
            } else {
                log.info(line.text());
            }
        }
    }
}
