package io.ember.core.coordination;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs.Perms;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Id;
import org.apache.zookeeper.data.Stat;

/**
 * Refuses, when a process of a cluster with a secret starts, a cluster tree in ZooKeeper that is
 * not Ember's own. With a secret every node Ember creates carries a digest ACL for it; but a node
 * that someone created beforehand without the secret (with ZooKeeper's open ACL, say) would be
 * used as it is, and then anyone who reaches the ensemble could plant a worker, an application or
 * a leader record under it, or take the cluster's state away.
 *
 * <p>So, before the process writes anything, it reads the ACL of the cluster root
 * {@code /ember/<cluster>} and of every node below it ({@code getACL}; it never probes by
 * writing), top down, and refuses the first node that
 * <ul>
 *   <li>grants any identity other than Ember's digest ({@code world:anyone}, an address, another
 *       user) the right to write it, create or delete children, or change its ACL, or</li>
 *   <li>does not grant Ember's digest read, write, create and delete (it was created by someone
 *       else), or</li>
 *   <li>does not even let Ember read its ACL (it belongs to someone else, another cluster with
 *       another secret, say),</li>
 * </ul>
 * with a {@link CoordinationException} of one line that names the node and what to do. In that
 * case nothing was changed. Masters and workers {@link #claim} the root (creating it, with the
 * digest ACL, when it does not exist, so no one can slip in an open one between the check and
 * their first write); drivers only {@link #verify} it.
 *
 * <p>Without a secret every node is open anyway: both do nothing (the process warns at start that
 * the cluster is open).
 *
 * <p>Blocking ZooKeeper calls on the caller's thread. Stateless, thread-safe.
 */
public final class ClusterOwnership {

    /** What no one but Ember may do to a node of the cluster. */
    private static final int OTHERS_MAY_NOT = Perms.WRITE | Perms.CREATE | Perms.DELETE | Perms.ADMIN;

    /** What Ember must be allowed on every node of the cluster (it sets all five on its own). */
    private static final int EMBER_NEEDS = Perms.READ | Perms.WRITE | Perms.CREATE | Perms.DELETE;

    private ClusterOwnership() {
    }

    /**
     * Creates the cluster root with Ember's ACL when it does not exist, then {@link #verify}s the
     * tree. For masters and workers, which write under the root at once.
     *
     * @throws CoordinationException of one line naming the first node that is not Ember's own, or
     *     when ZooKeeper fails
     */
    public static void claim(CuratorFramework client, ClusterPaths paths, ZooKeeperSettings settings) {
        requireNonNull(client, "client is null");
        requireNonNull(paths, "paths is null");
        requireNonNull(settings, "settings is null");
        if (settings.secret().isEmpty()) {
            return;
        }
        boolean exists;
        try {
            exists = client.checkExists().forPath(paths.root()) != null;
        } catch (KeeperException.NoAuthException e) {
            exists = true; // someone else's: verify says so
        } catch (Exception e) {
            throw failure("cannot read the cluster root " + paths.root(), e);
        }
        if (!exists) {
            try {
                client.createContainers(paths.root()); // with the digest ACL; a no-op if created meanwhile
            } catch (Exception e) {
                throw failure("cannot create the cluster root " + paths.root(), e);
            }
        }
        verify(client, paths, settings);
    }

    /**
     * Checks that the cluster root, if it exists, and every node below it are Ember's own (see the
     * class documentation). Changes nothing.
     *
     * @throws CoordinationException of one line naming the first node that is not Ember's own, or
     *     when ZooKeeper fails
     */
    public static void verify(CuratorFramework client, ClusterPaths paths, ZooKeeperSettings settings) {
        requireNonNull(client, "client is null");
        requireNonNull(paths, "paths is null");
        requireNonNull(settings, "settings is null");
        if (settings.secret().isEmpty()) {
            return;
        }
        Id ember = ZooKeeperClients.identity(settings.secret().get());
        List<String> toCheck = new ArrayList<>(List.of(paths.root()));
        while (!toCheck.isEmpty()) {
            String path = toCheck.remove(toCheck.size() - 1);
            Stat stat = new Stat();
            List<ACL> acl;
            List<String> children;
            try {
                acl = client.getACL().storingStatIn(stat).forPath(path);
                check(path, acl, ember, paths);
                children = stat.getEphemeralOwner() != 0 || stat.getNumChildren() == 0
                        ? List.of() : client.getChildren().forPath(path);
            } catch (KeeperException.NoNodeException e) {
                continue; // gone meanwhile (an ephemeral node whose process ended, say)
            } catch (KeeperException.NoAuthException e) {
                throw new CoordinationException("cannot read cluster " + paths.cluster() + " in ZooKeeper at "
                        + settings.connectString() + ": not allowed to read the ACL of " + path + " (is "
                        + "ember.auth.secret the same as the cluster's? If it is, someone else created " + path
                        + ": choose another ember.cluster, or have whoever created it delete it)");
            } catch (CoordinationException e) {
                throw e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CoordinationException("interrupted while checking the ACL of " + path, e);
            } catch (Exception e) {
                throw failure("cannot read the ACL of " + path, e);
            }
            // Depth first, in name order, so the node reported is the same on every try.
            List<String> sorted = new ArrayList<>(children);
            sorted.sort(null);
            for (int i = sorted.size() - 1; i >= 0; i--) {
                toCheck.add(path + "/" + sorted.get(i));
            }
        }
    }

    private static void check(String path, List<ACL> acl, Id ember, ClusterPaths paths) {
        List<String> strangers = new ArrayList<>();
        int granted = 0;
        for (ACL entry : acl) {
            if (entry.getId().equals(ember)) {
                granted |= entry.getPerms();
            } else if ((entry.getPerms() & OTHERS_MAY_NOT) != 0) {
                strangers.add(entry.getId().getScheme() + ":" + entry.getId().getId() + " has "
                        + letters(entry.getPerms()));
            }
        }
        String remedy = "delete it (`bin/ember zk-shell deleteall " + path + "` while no process of cluster '"
                + paths.cluster() + "' runs) or give it Ember's ACL (in `bin/ember zk-shell`: `addauth digest "
                + "ember:<the secret>`, then `setAcl -R " + path + " auth::cdrwa`), then start again";
        if (!strangers.isEmpty()) {
            throw new CoordinationException("ZooKeeper node " + path + " can be changed without the cluster's "
                    + "secret (" + String.join(", ", strangers) + "): it was not created by Ember with "
                    + "ember.auth.secret; " + remedy);
        }
        if ((granted & EMBER_NEEDS) != EMBER_NEEDS) {
            throw new CoordinationException("ZooKeeper node " + path + " does not grant the cluster's secret "
                    + letters(EMBER_NEEDS & ~granted) + ": it was not created by Ember with ember.auth.secret; "
                    + remedy);
        }
    }

    /** ZooKeeper's shell's letters for permissions, in its order: {@code cdrwa}. */
    static String letters(int perms) {
        StringBuilder letters = new StringBuilder();
        if ((perms & Perms.CREATE) != 0) {
            letters.append('c');
        }
        if ((perms & Perms.DELETE) != 0) {
            letters.append('d');
        }
        if ((perms & Perms.READ) != 0) {
            letters.append('r');
        }
        if ((perms & Perms.WRITE) != 0) {
            letters.append('w');
        }
        if ((perms & Perms.ADMIN) != 0) {
            letters.append('a');
        }
        return letters.toString();
    }

    private static CoordinationException failure(String message, Exception cause) {
        if (cause instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        return Registrations.failure(message, cause);
    }
}
