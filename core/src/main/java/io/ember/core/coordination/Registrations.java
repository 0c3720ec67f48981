package io.ember.core.coordination;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;

/**
 * Creates the nodes that say who is in the cluster, each a {@link Registration} (which owns the
 * node from then on), and the leader's application nodes.
 *
 * <p>Ephemeral registrations, one per live process, on that process's own client: a worker
 * ({@code workers/<id>}), a driver ({@code apps/<app>/driver}) and an executor
 * ({@code apps/<app>/executors/<id>}). A driver or executor can only register for an
 * application the leader has stored (with {@link #putApplication}); that keeps an
 * application's node from being created by anyone but the leader.
 *
 * <p>The leader's writes, {@link #putApplication} and {@link #removeApplication}, go through
 * {@link LeaderElection#fenced}: a deposed master cannot change anything.
 *
 * <p>Thread-safe (stateless apart from its client and paths).
 */
public final class Registrations {

    /** Retries when the tree changes under a multi-step write (a container vanishing, say). */
    private static final int MAX_ATTEMPTS = 5;

    private final CuratorFramework client;
    private final ClusterPaths paths;

    /**
     * @param client a started client whose session the registrations belong to
     * @param paths the cluster
     */
    public Registrations(CuratorFramework client, ClusterPaths paths) {
        this.client = requireNonNull(client, "client is null");
        this.paths = requireNonNull(paths, "paths is null");
    }

    /**
     * Registers a worker at {@code workers/<workerId>} with its spec. Registering again on the
     * same session replaces the spec.
     *
     * @throws CoordinationException when another live process holds that worker id (if that
     *     worker crashed, its node goes after the session timeout), or ZooKeeper fails
     */
    public Registration registerWorker(String workerId, byte[] spec) {
        requireNonNull(spec, "spec is null");
        String path = paths.worker(workerId);
        return Registration.create(client, paths, path, spec, true, "worker " + workerId);
    }

    /**
     * Marks an application's driver alive at {@code apps/<appId>/driver}.
     *
     * @throws CoordinationException when the application is not stored (the leader stores it
     *     first), another live process already registered its driver, or ZooKeeper fails
     */
    public Registration registerDriver(String appId) {
        String path = paths.driver(appId);
        return Registration.create(client, paths, path, new byte[0], false, "the driver of application " + appId);
    }

    /**
     * Registers an executor at {@code apps/<appId>/executors/<executorId>} with its spec,
     * creating the {@code executors} container if needed.
     *
     * @throws CoordinationException when the application is not stored (the leader stores it
     *     before launching executors), another live process holds that executor id, or
     *     ZooKeeper fails
     */
    public Registration registerExecutor(String appId, String executorId, byte[] spec) {
        requireNonNull(spec, "spec is null");
        String path = paths.executor(appId, executorId);
        return Registration.create(client, paths, path, spec, false,
                "executor " + executorId + " of application " + appId);
    }

    /**
     * Stores (creates or replaces) an application's spec at {@code apps/<appId>}, as the leader.
     *
     * @throws NotLeaderException when the election does not lead (nothing was written)
     * @throws CoordinationException when ZooKeeper fails
     */
    public static void putApplication(LeaderElection leader, String appId, byte[] spec) {
        requireNonNull(leader, "leader is null");
        requireNonNull(spec, "spec is null");
        CuratorFramework client = leader.client();
        ClusterPaths paths = leader.paths();
        String path = paths.app(appId);
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            try {
                try {
                    leader.fenced(client.transactionOp().setData().forPath(path, spec));
                    return;
                } catch (KeeperException.NoNodeException e) {
                    // not there yet: create it below
                }
                client.createContainers(paths.apps());
                leader.fenced(client.transactionOp().create().withMode(CreateMode.PERSISTENT).forPath(path, spec));
                return;
            } catch (KeeperException.NoNodeException | KeeperException.NodeExistsException e) {
                // created, or the apps container vanished, meanwhile: again
            } catch (KeeperException e) {
                throw failure("cannot store application " + appId + " at " + path, e);
            } catch (CoordinationException e) {
                throw e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CoordinationException("interrupted while storing application " + appId, e);
            } catch (Exception e) {
                throw failure("cannot store application " + appId + " at " + path, e);
            }
        }
        throw new CoordinationException("cannot store application " + appId + " at " + path
                + ": the tree kept changing");
    }

    /**
     * Removes an application, as the leader: its node and everything under it (the driver's and
     * executors' nodes, which their processes' later close ignores), in one fenced transaction.
     *
     * @return whether the application was stored
     * @throws NotLeaderException when the election does not lead (nothing was removed)
     * @throws CoordinationException when ZooKeeper fails
     */
    public static boolean removeApplication(LeaderElection leader, String appId) {
        requireNonNull(leader, "leader is null");
        CuratorFramework client = leader.client();
        ClusterPaths paths = leader.paths();
        String path = paths.app(appId);
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            try {
                if (client.checkExists().forPath(path) == null) {
                    return false;
                }
                List<CuratorOp> ops = new ArrayList<>();
                List<String> executorIds = children(client, paths.executors(appId));
                if (executorIds != null) {
                    for (String executorId : executorIds) {
                        ops.add(client.transactionOp().delete().forPath(paths.executors(appId) + "/" + executorId));
                    }
                    ops.add(client.transactionOp().delete().forPath(paths.executors(appId)));
                }
                for (String child : children(client, path)) {
                    if (!child.equals("executors")) {
                        ops.add(client.transactionOp().delete().forPath(path + "/" + child));
                    }
                }
                ops.add(client.transactionOp().delete().forPath(path));
                leader.fenced(ops.toArray(CuratorOp[]::new));
                return true;
            } catch (KeeperException.NoNodeException | KeeperException.NotEmptyException e) {
                // a driver or executor came or went meanwhile: look again
            } catch (KeeperException e) {
                throw failure("cannot remove application " + appId + " at " + path, e);
            } catch (CoordinationException e) {
                throw e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CoordinationException("interrupted while removing application " + appId, e);
            } catch (Exception e) {
                throw failure("cannot remove application " + appId + " at " + path, e);
            }
        }
        throw new CoordinationException("cannot remove application " + appId + " at " + path
                + ": drivers or executors kept changing under it");
    }

    /**
     * The number the next application registered gets, as the leaders before wrote it; 0 when none
     * did.
     *
     * @throws CoordinationException when ZooKeeper fails or the record is not a number
     */
    public static long applicationNumber(LeaderElection leader) {
        requireNonNull(leader, "leader is null");
        String path = leader.paths().applicationNumber();
        try {
            byte[] data = leader.client().getData().forPath(path);
            return Long.parseLong(new String(data, UTF_8).strip());
        } catch (KeeperException.NoNodeException e) {
            return 0;
        } catch (NumberFormatException e) {
            throw new CoordinationException(path + " does not hold a number: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CoordinationException("interrupted while reading " + path, e);
        } catch (Exception e) {
            throw failure("cannot read " + path, e);
        }
    }

    /**
     * Records, as the leader, the number the next application registered gets.
     *
     * @throws NotLeaderException when the election does not lead (nothing was written)
     * @throws CoordinationException when ZooKeeper fails
     */
    public static void putApplicationNumber(LeaderElection leader, long next) {
        requireNonNull(leader, "leader is null");
        CuratorFramework client = leader.client();
        String path = leader.paths().applicationNumber();
        byte[] data = Long.toString(next).getBytes(UTF_8);
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            try {
                try {
                    leader.fenced(client.transactionOp().setData().forPath(path, data));
                    return;
                } catch (KeeperException.NoNodeException e) {
                    // the first application of the cluster: create it below
                }
                leader.fenced(client.transactionOp().create().withMode(CreateMode.PERSISTENT).forPath(path, data));
                return;
            } catch (KeeperException.NodeExistsException e) {
                // created meanwhile: set it
            } catch (KeeperException e) {
                throw failure("cannot write " + path, e);
            } catch (CoordinationException e) {
                throw e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CoordinationException("interrupted while writing " + path, e);
            } catch (Exception e) {
                throw failure("cannot write " + path, e);
            }
        }
        throw new CoordinationException("cannot write " + path + ": the tree kept changing");
    }

    /** The children of a node, or null when it does not exist. */
    private static List<String> children(CuratorFramework client, String path) throws Exception {
        try {
            return client.getChildren().forPath(path);
        } catch (KeeperException.NoNodeException e) {
            return null;
        }
    }

    static CoordinationException failure(String message, Exception cause) {
        String detail = cause instanceof KeeperException.NoAuthException
                ? "not allowed (is ember.auth.secret the same as the cluster's?)"
                : cause.toString();
        return new CoordinationException(message + ": " + detail, cause);
    }
}
