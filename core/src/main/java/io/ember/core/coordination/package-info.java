/**
 * Coordination through ZooKeeper (via Curator): membership and leadership only, never anything per
 * task or per heartbeat.
 *
 * <p>Everything of one cluster lives under {@code /ember/<cluster>} ({@link
 * io.ember.core.coordination.ClusterPaths}):
 *
 * <pre>
 * master/latch                     Curator LeaderLatch participants (one per master)
 * master/leader                    EPHEMERAL, the leader's {@link io.ember.core.coordination.LeaderInfo}
 * master/epoch                     PERSISTENT, a decimal counter; +1 per leadership, the fencing token
 * workers/&lt;workerId&gt;              EPHEMERAL, the worker's spec (opaque bytes)
 * apps/&lt;appId&gt;                    PERSISTENT, the application's spec, written by the leader (fenced)
 * apps/&lt;appId&gt;/driver             EPHEMERAL, present while the driver lives
 * apps/&lt;appId&gt;/executors/&lt;id&gt;    EPHEMERAL, the executor's spec
 * </pre>
 *
 * <p>The pieces: {@link io.ember.core.coordination.ZooKeeperClients} connects (with digest ACLs when
 * a secret is set); {@link io.ember.core.coordination.ClusterOwnership} refuses, at start, a cluster
 * tree someone else created or can change; {@link io.ember.core.coordination.LeaderElection} is one master's candidacy
 * and fences the leader's writes with the epoch; {@link io.ember.core.coordination.LeaderTracker}
 * follows who leads and {@link io.ember.core.coordination.LeaderConversation} talks to whoever
 * leads (the worker's and the driver's retries and re-registrations);
 * {@link io.ember.core.coordination.ClusterView} is the masters' warm copy of the membership;
 * {@link io.ember.core.coordination.Registrations} creates the ephemeral nodes, each a
 * {@link io.ember.core.coordination.Registration} that owns its node and its session's
 * connection states;
 * {@link io.ember.core.coordination.EmbeddedZooKeeper} is the in-process server of local-cluster
 * mode and tests.
 */
package io.ember.core.coordination;
