package io.ember.core.coordination;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.imps.CuratorFrameworkState;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An ephemeral node this process created through {@link Registrations}: it lives as long as the
 * client's session, or until {@link #close()}.
 *
 * <p>When the session expires the node is gone for good (ZooKeeper removed it, and everyone
 * watching saw the process leave); a process that reconnects with a new session must register
 * again.
 *
 * <p>Thread-safe; {@link #close()} is idempotent.
 */
public final class Registration implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Registration.class);

    private final CuratorFramework client;
    private final String path;
    private final long sessionId;
    private final AtomicBoolean closed = new AtomicBoolean();

    Registration(CuratorFramework client, String path, long sessionId) {
        this.client = requireNonNull(client, "client is null");
        this.path = requireNonNull(path, "path is null");
        this.sessionId = sessionId;
    }

    /** The node's path. */
    public String path() {
        return path;
    }

    /**
     * Deletes the node if it is still this session's (it never deletes a node someone else
     * created at the same path since). Does nothing when the client is closed or disconnected:
     * the node then goes with the session.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (client.getState() != CuratorFrameworkState.STARTED || !client.getZookeeperClient().isConnected()) {
            return;
        }
        try {
            Stat stat = client.checkExists().forPath(path);
            if (stat != null && stat.getEphemeralOwner() == sessionId) {
                client.delete().withVersion(stat.getVersion()).forPath(path);
            }
        } catch (KeeperException.NoNodeException | KeeperException.BadVersionException e) {
            // already gone, or no longer ours
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.warn("Could not remove {} from ZooKeeper ({}); it goes when this process's session ends", path,
                    e.toString());
        }
    }

    @Override
    public String toString() {
        return "Registration[" + path + "]";
    }
}
