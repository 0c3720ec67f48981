package io.ember.core.coordination;

import static java.util.Objects.requireNonNull;

import io.ember.core.concurrent.EventLoop;
import java.util.ArrayList;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.curator.framework.api.transaction.CuratorTransactionResult;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fence of a leader's term: every write it makes is one transaction that first checks that
 * {@code master/epoch} is still the version the term set, and a watch on {@code master/epoch}
 * notices a successor's epoch. Either way, a superseded term makes its master step down
 * ({@link Leader#deposed}), so a deposed master can change nothing and soon stops trying. (A
 * master's commands are fenced by their receivers instead, with the epoch fence in {@code rpc}.)
 * A second watch, on the leader record, makes the master step down too when someone else deletes
 * or changes the record it published.
 *
 * <p>{@link #write} runs on the caller's thread; {@link #watch} and the re-checks its watch
 * triggers run on the election's work loop. Thread-safe.
 */
final class LeaderFence {

    /** What the fence asks of the election it guards. */
    interface Leader {

        /** Whether {@code term} is still the election's current one (not lost, not closed). */
        boolean isCurrent(LeaderTerm term);

        /** Another master's epoch superseded {@code term}: step down, unless that was already handled. */
        void deposed(LeaderTerm term, String reason);
    }

    /** Logged as the election it belongs to, so its lines read (and filter) as they always did. */
    private static final Logger log = LoggerFactory.getLogger(LeaderElection.class);

    private final CuratorFramework client;
    private final ClusterPaths paths;
    private final String masterId;
    private final EventLoop work;
    private final Leader leader;

    /**
     * @param client a started client
     * @param paths the cluster
     * @param masterId this master's id, for messages
     * @param work the election's work loop, where the epoch is re-checked when it changes
     * @param leader the election: whether a term is current, and how to step down
     */
    LeaderFence(CuratorFramework client, ClusterPaths paths, String masterId, EventLoop work, Leader leader) {
        this.client = requireNonNull(client, "client is null");
        this.paths = requireNonNull(paths, "paths is null");
        this.masterId = requireNonNull(masterId, "masterId is null");
        this.work = requireNonNull(work, "work is null");
        this.leader = requireNonNull(leader, "leader is null");
    }

    /** Why a term stopped: another master's epoch superseded it. */
    static String supersededReason(LeaderTerm term, String cluster) {
        return "epoch " + term.epoch() + " was superseded: another master leads cluster " + cluster;
    }

    /**
     * Runs the operations as one ZooKeeper transaction that first checks {@code term}'s epoch.
     *
     * @return the results of the given operations, in order
     * @throws NotLeaderException when another master's epoch has superseded {@code term} (then
     *     nothing was applied, and the master steps down)
     * @throws KeeperException when one of the given operations failed (nothing was applied), or
     *     ZooKeeper could not be reached
     * @throws CoordinationException when interrupted (the interrupt flag is set again)
     */
    List<CuratorTransactionResult> write(LeaderTerm term, CuratorOp... ops) throws KeeperException {
        List<CuratorOp> all = new ArrayList<>(ops.length + 1);
        for (CuratorOp op : ops) {
            all.add(requireNonNull(op, "an operation is null"));
        }
        try {
            all.add(0, client.transactionOp().check().withVersion(term.epochVersion()).forPath(paths.epoch()));
            List<CuratorTransactionResult> results = client.transaction().forOperations(all);
            return results.subList(1, results.size());
        } catch (KeeperException e) {
            if (Transactions.failedOperation(e) == 0) {
                String reason = supersededReason(term, paths.cluster());
                leader.deposed(term, reason);
                throw new NotLeaderException("master " + masterId + " is no longer the leader: " + reason);
            }
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CoordinationException("interrupted during a leader write to " + paths.root(), e);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new CoordinationException("leader write to " + paths.root() + " failed: " + e, e);
        }
    }

    /**
     * Reads {@code master/epoch} and watches it: if it is no longer {@code term}'s, this master was
     * deposed. On the work loop; the watch checks again there whenever the epoch changes, for as
     * long as the term is current.
     */
    void watch(LeaderTerm term) {
        if (!leader.isCurrent(term)) {
            return;
        }
        Watcher watcher = event -> {
            if (event.getType() != Watcher.Event.EventType.None) {
                work.execute(() -> watch(term));
            }
        };
        try {
            Stat stat = client.checkExists().usingWatcher(watcher).forPath(paths.epoch());
            if (stat == null || stat.getVersion() != term.epochVersion()) {
                leader.deposed(term, supersededReason(term, paths.cluster()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // Disconnected: the connection listener takes it from here; fenced writes stay safe.
            log.debug("Master {} could not watch {}: {}", masterId, paths.epoch(), e.toString());
        }
    }

    /**
     * Reads {@code master/leader} and watches it: if it is no longer the record this master
     * published for {@code term} (deleted, rewritten, or replaced by another session's node), someone
     * else changed it, and this master steps down, since workers and drivers no longer find it
     * there. Ember never rewrites a record: it publishes a new node, of version 0, for every term.
     * On the work loop, like {@link #watch}.
     *
     * @param published what this master published for {@code term}
     * @param sessionId the ZooKeeper session that published it (the node's ephemeral owner)
     */
    void watchRecord(LeaderTerm term, LeaderInfo published, long sessionId) {
        if (!leader.isCurrent(term)) {
            return;
        }
        Watcher watcher = event -> {
            if (event.getType() != Watcher.Event.EventType.None) {
                work.execute(() -> watchRecord(term, published, sessionId));
            }
        };
        Stat stat = new Stat();
        byte[] data;
        try {
            data = client.getData().storingStatIn(stat).usingWatcher(watcher).forPath(paths.leader());
        } catch (KeeperException.NoNodeException e) {
            leader.deposed(term, "its leader record " + paths.leader() + " was deleted by someone else");
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (Exception e) {
            // Disconnected: the connection listener takes it from here; fenced writes stay safe.
            log.debug("Master {} could not watch {}: {}", masterId, paths.leader(), e.toString());
            return;
        }
        LeaderInfo now;
        try {
            now = LeaderInfo.decode(data);
        } catch (IllegalArgumentException e) {
            leader.deposed(term, "its leader record " + paths.leader() + " was overwritten by someone else with "
                    + "something that is not a leader record");
            return;
        }
        if (now.epoch() > term.epoch()) {
            leader.deposed(term, supersededReason(term, paths.cluster()));
        } else if (!now.equals(published) || stat.getVersion() != 0 || stat.getEphemeralOwner() != sessionId) {
            leader.deposed(term, "its leader record " + paths.leader() + " was changed by someone else (it now "
                    + "names master " + now.masterId() + " at " + now.address() + ", epoch " + now.epoch() + ")");
        }
    }
}
