package io.ember.core.coordination;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.curator.framework.imps.CuratorFrameworkState;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One master's leader record at {@code master/leader}: its {@link LeaderInfo} (id, address, epoch),
 * ephemeral, written when it takes leadership (replacing any record an earlier leadership left) and
 * deleted when it closes gracefully. Both writes check {@code master/epoch} in the same transaction,
 * so a master whose epoch was superseded can neither publish nor delete a record.
 *
 * <p>Blocking ZooKeeper calls; {@link LeaderElection} calls it on its work thread (publishing) or
 * while closing (deleting). It keeps no state of its own, so it is thread-safe.
 */
final class LeaderRecord {

    /** Logged as the election it belongs to, so its lines read (and filter) as they always did. */
    private static final Logger log = LoggerFactory.getLogger(LeaderElection.class);

    /** Retries of one replacement before giving up (contention means someone else leads anyway). */
    private static final int MAX_ATTEMPTS = 10;

    private final CuratorFramework client;
    private final ClusterPaths paths;
    private final String masterId;
    private final String address;
    private final String uiUrl;

    /**
     * @param client a started client
     * @param paths the cluster
     * @param masterId this master's id
     * @param address where this master's RPC server listens, {@code host:port}
     * @param uiUrl the base URL of this master's web UI; empty for none
     * @throws IllegalArgumentException when the id, address or URL is not valid in a {@link LeaderInfo}
     */
    LeaderRecord(CuratorFramework client, ClusterPaths paths, String masterId, String address, String uiUrl) {
        this.client = requireNonNull(client, "client is null");
        this.paths = requireNonNull(paths, "paths is null");
        this.masterId = requireNonNull(masterId, "masterId is null");
        this.address = requireNonNull(address, "address is null");
        this.uiUrl = requireNonNull(uiUrl, "uiUrl is null");
        info(1); // checks the id, address and URL now, not at the first leadership
    }

    /**
     * Publishes this master's record for {@code epoch}, replacing any earlier one, fenced by
     * {@code epochVersion}.
     *
     * @param stillWanted asked before every try: false means leadership was lost meanwhile
     * @return false when another master's epoch has superseded ours
     * @throws StaleAttempt when {@code stillWanted} turned false
     * @throws CoordinationException when the record kept changing
     */
    boolean publish(long epoch, int epochVersion, BooleanSupplier stillWanted) throws Exception {
        byte[] record = info(epoch).encode();
        // First assume there is no record (a graceful predecessor deleted its own): one round trip.
        boolean look = false;
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            if (!stillWanted.getAsBoolean()) {
                throw new StaleAttempt();
            }
            Stat existing = new Stat();
            byte[] old = null;
            if (look) {
                try {
                    old = client.getData().storingStatIn(existing).forPath(paths.leader());
                } catch (KeeperException.NoNodeException e) {
                    old = null;
                }
            }
            List<CuratorOp> ops = new ArrayList<>(3);
            ops.add(client.transactionOp().check().withVersion(epochVersion).forPath(paths.epoch()));
            if (old != null) {
                ops.add(client.transactionOp().delete().withVersion(existing.getVersion()).forPath(paths.leader()));
            }
            ops.add(client.transactionOp().create().withMode(CreateMode.EPHEMERAL).forPath(paths.leader(), record));
            try {
                client.transaction().forOperations(ops);
                if (old != null) {
                    log.info("Master {} replaced a stale leader record ({})", masterId, describe(old));
                }
                return true;
            } catch (KeeperException e) {
                int failed = Transactions.failedOperation(e);
                if (failed == 0) {
                    return false;
                }
                if (failed > 0 && (e instanceof KeeperException.NodeExistsException
                        || e instanceof KeeperException.NoNodeException
                        || e instanceof KeeperException.BadVersionException)) {
                    look = true; // there is an old record, or it changed or vanished meanwhile: look again
                    continue;
                }
                throw e;
            }
        }
        throw new CoordinationException("the leader record at " + paths.leader() + " kept changing under master "
                + masterId);
    }

    /** The record this master publishes for {@code epoch}. */
    LeaderInfo info(long epoch) {
        return new LeaderInfo(masterId, address, epoch, uiUrl);
    }

    /**
     * Deletes the record if the epoch this master published it with ({@code epochVersion}) is still
     * the latest; quietly, and only if connected (otherwise the record goes with the session, or
     * the next leader replaces it).
     */
    void delete(int epochVersion) {
        if (client.getState() != CuratorFrameworkState.STARTED || !client.getZookeeperClient().isConnected()) {
            return; // the record goes with the session, or the next leader replaces it
        }
        try {
            client.transaction().forOperations(
                    client.transactionOp().check().withVersion(epochVersion).forPath(paths.epoch()),
                    client.transactionOp().delete().forPath(paths.leader()));
        } catch (KeeperException e) {
            log.debug("Leader record of master {} not deleted: {}", masterId, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.debug("Leader record of master {} not deleted: {}", masterId, e.toString());
        }
    }

    private static String describe(byte[] record) {
        try {
            LeaderInfo info = LeaderInfo.decode(record);
            return "master " + info.masterId() + ", epoch " + info.epoch();
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }
}
