package io.ember.core.coordination;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.function.BooleanSupplier;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.curator.framework.api.transaction.CuratorTransactionResult;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;

/**
 * The cluster's epoch counter at {@code master/epoch}: a master that the latch elects increments it
 * with a compare-and-set (creating it at 1), in one transaction with a check that the master's own
 * latch node still exists, so a master whose latch node is gone cannot start a leadership. Every
 * increment gives a strictly higher epoch than any before it.
 *
 * <p>Blocking ZooKeeper calls; {@link LeaderElection} calls it on its work thread. It keeps no state
 * of its own, so it is thread-safe.
 */
final class EpochCounter {

    /** An epoch this master set: its number, and the version {@code master/epoch} had after the write. */
    record Epoch(long number, int version) {
    }

    /** Retries of one compare-and-set before giving up (contention means someone else leads anyway). */
    private static final int MAX_ATTEMPTS = 10;

    private final CuratorFramework client;
    private final ClusterPaths paths;
    private final String masterId;

    /**
     * @param client a started client
     * @param paths the cluster
     * @param masterId the master that increments, for error messages
     */
    EpochCounter(CuratorFramework client, ClusterPaths paths, String masterId) {
        this.client = requireNonNull(client, "client is null");
        this.paths = requireNonNull(paths, "paths is null");
        this.masterId = requireNonNull(masterId, "masterId is null");
    }

    /**
     * Increments {@code master/epoch} (creates it at 1), in one transaction with a check that
     * {@code latchNode} exists; when another master changes the epoch between the read and the
     * write, reads it again (up to 10 times).
     *
     * @param latchNode this master's latch node
     * @param stillWanted asked before every try: false means leadership was lost meanwhile
     * @return the new epoch, or null when {@code latchNode} is gone
     * @throws StaleAttempt when {@code stillWanted} turned false
     * @throws CoordinationException when the epoch kept changing, or holds something else than an epoch
     */
    Epoch increment(String latchNode, BooleanSupplier stillWanted) throws Exception {
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            if (!stillWanted.getAsBoolean()) {
                throw new StaleAttempt();
            }
            Stat stat = new Stat();
            byte[] data;
            try {
                data = client.getData().storingStatIn(stat).forPath(paths.epoch());
            } catch (KeeperException.NoNodeException e) {
                data = null;
            }
            long epoch = data == null ? 1 : parse(data) + 1;
            CuratorOp write = data == null
                    ? client.transactionOp().create().withMode(CreateMode.PERSISTENT)
                            .forPath(paths.epoch(), Long.toString(epoch).getBytes(UTF_8))
                    : client.transactionOp().setData().withVersion(stat.getVersion())
                            .forPath(paths.epoch(), Long.toString(epoch).getBytes(UTF_8));
            try {
                List<CuratorTransactionResult> results = client.transaction().forOperations(
                        client.transactionOp().check().withVersion(-1).forPath(latchNode), write);
                Stat written = results.get(1).getResultStat();
                int version = written != null ? written.getVersion() : data == null ? 0 : stat.getVersion() + 1;
                return new Epoch(epoch, version);
            } catch (KeeperException e) {
                int failed = Transactions.failedOperation(e);
                if (failed == 0) {
                    return null;
                }
                if (failed == 1 && (e instanceof KeeperException.BadVersionException
                        || e instanceof KeeperException.NodeExistsException
                        || e instanceof KeeperException.NoNodeException)) {
                    continue; // someone changed the epoch between our read and write: read again
                }
                throw e;
            }
        }
        throw new CoordinationException("the epoch at " + paths.epoch() + " kept changing under master " + masterId);
    }

    private long parse(byte[] data) {
        String text = new String(data, UTF_8);
        try {
            long epoch = Long.parseLong(text);
            if (epoch < 0) {
                throw new NumberFormatException("negative");
            }
            return epoch;
        } catch (NumberFormatException e) {
            throw new CoordinationException(paths.epoch() + " holds '" + text + "', not an epoch number; it must "
                    + "only be written by Ember masters");
        }
    }
}
