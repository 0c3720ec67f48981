package io.ember.core.coordination;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.curator.framework.api.transaction.CuratorTransactionResult;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's epoch counter at {@code master/epoch}: a master that the latch elects increments it
 * with a compare-and-set (creating it at 1), in one transaction with a check that the master's own
 * latch node still exists, so a master whose latch node is gone cannot start a leadership.
 *
 * <p>The epoch only moves forward. The write is versioned (a {@code setData} with the version
 * read, or a {@code create} when there was none), so two masters can never both move it from the
 * same value: the second one's write fails and it reads again. And a master never sets an epoch
 * at or below one it has seen before: if someone (with the cluster's secret) set the node back or
 * deleted it, the next increment continues from the highest epoch this master has seen, or the
 * one in the leader record at {@code master/leader} if higher, instead of from the node's value.
 *
 * <p>Blocking ZooKeeper calls; {@link LeaderElection} calls it on its work thread. Its one piece of
 * state, the highest epoch seen, is atomic, so it is thread-safe.
 */
final class EpochCounter {

    /** An epoch this master set: its number, and the version {@code master/epoch} had after the write. */
    record Epoch(long number, int version) {
    }

    /**
     * What {@code master/epoch} held when read: the epoch and the node's version, or
     * {@link #ABSENT} when there was no node.
     */
    record Reading(long epoch, int version) {

        static final Reading ABSENT = new Reading(0, -1);

        boolean absent() {
            return version < 0;
        }
    }

    /** How one compare-and-set ended. */
    sealed interface Outcome {

        /** The epoch was set. */
        record Written(Epoch epoch) implements Outcome {
        }

        /** Someone changed {@code master/epoch} since it was read; nothing was written. */
        record Changed() implements Outcome {
        }

        /** The master's latch node is gone; nothing was written. */
        record LatchGone() implements Outcome {
        }
    }

    private static final Logger log = LoggerFactory.getLogger(LeaderElection.class);

    /** Retries of one compare-and-set before giving up (contention means someone else leads anyway). */
    private static final int MAX_ATTEMPTS = 10;

    private final CuratorFramework client;
    private final ClusterPaths paths;
    private final String masterId;
    /** The highest epoch this master has read or written. */
    private final AtomicLong highestSeen = new AtomicLong();

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
            Outcome outcome = write(latchNode, read());
            if (outcome instanceof Outcome.Written written) {
                return written.epoch();
            }
            if (outcome instanceof Outcome.LatchGone) {
                return null;
            }
            // Changed: someone changed the epoch between our read and write; read again.
        }
        throw new CoordinationException("the epoch at " + paths.epoch() + " kept changing under master " + masterId);
    }

    /** Reads {@code master/epoch}. */
    Reading read() throws Exception {
        Stat stat = new Stat();
        try {
            byte[] data = client.getData().storingStatIn(stat).forPath(paths.epoch());
            return new Reading(parse(data), stat.getVersion());
        } catch (KeeperException.NoNodeException e) {
            return Reading.ABSENT;
        }
    }

    /**
     * Sets the epoch after {@code reading}, only if {@code master/epoch} is still as read (the
     * same version, or still absent) and {@code latchNode} exists: all in one transaction.
     */
    Outcome write(String latchNode, Reading reading) throws Exception {
        long epoch = next(reading);
        byte[] data = Long.toString(epoch).getBytes(UTF_8);
        CuratorOp write = reading.absent()
                ? client.transactionOp().create().withMode(CreateMode.PERSISTENT).forPath(paths.epoch(), data)
                : client.transactionOp().setData().withVersion(reading.version()).forPath(paths.epoch(), data);
        try {
            List<CuratorTransactionResult> results = client.transaction().forOperations(
                    client.transactionOp().check().withVersion(-1).forPath(latchNode), write);
            Stat written = results.get(1).getResultStat();
            int version = written != null ? written.getVersion() : reading.absent() ? 0 : reading.version() + 1;
            highestSeen.accumulateAndGet(epoch, Math::max);
            return new Outcome.Written(new Epoch(epoch, version));
        } catch (KeeperException e) {
            int failed = Transactions.failedOperation(e);
            if (failed == 0) {
                return new Outcome.LatchGone();
            }
            if (failed == 1 && (e instanceof KeeperException.BadVersionException
                    || e instanceof KeeperException.NodeExistsException
                    || e instanceof KeeperException.NoNodeException)) {
                return new Outcome.Changed();
            }
            throw e;
        }
    }

    /** The epoch to set after {@code reading}: above it, and above every epoch this master knows of. */
    private long next(Reading reading) throws Exception {
        long floor = Math.max(highestSeen.get(), recordedEpoch());
        if (reading.epoch() >= floor) {
            highestSeen.accumulateAndGet(reading.epoch(), Math::max);
            return reading.epoch() + 1;
        }
        log.warn("Master {} found {} {}, below epoch {} it knows of: someone else changed it; the epoch only moves "
                + "forward, so it continues from {}", masterId, paths.epoch(),
                reading.absent() ? "missing" : "at " + reading.epoch(), floor, floor + 1);
        return floor + 1;
    }

    /** The epoch in the leader record at {@code master/leader}; 0 when there is none (or it is unreadable). */
    private long recordedEpoch() throws Exception {
        try {
            return LeaderInfo.decode(client.getData().forPath(paths.leader())).epoch();
        } catch (KeeperException.NoNodeException | IllegalArgumentException e) {
            return 0;
        }
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
