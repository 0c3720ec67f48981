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
 *
 * <h2>{@link LeaderElection}</h2>
 *
 * <p>{@code LeaderElection} runs the election itself (the latch's lifecycle, the connection states,
 * the listener's notifications on its event loops); the {@link EpochCounter} increments the epoch,
 * the {@link LeaderRecord} writes and deletes the leader's record, and the {@link LeaderFence}
 * fences writes and notices a newer epoch.
 *
 * <p><b>Gaining leadership.</b> When the latch elects this master, it (1) increments
 * {@code master/epoch} with a compare-and-set, only while its own latch node still exists, (2)
 * publishes its {@link LeaderInfo} at {@code master/leader} (ephemeral, replacing any record left
 * by an earlier leadership), fenced by that epoch, and then (3) calls
 * {@link LeaderElection.Listener#onLeadership(long)} with the new epoch. Every leadership,
 * including one regained after a reconnection, gets a new, strictly higher epoch.
 *
 * <p><b>Suspending it.</b> When the connection to ZooKeeper breaks, the master stops acting as the
 * leader at once, before anyone knows whether leadership is really gone:
 * {@link LeaderElection#isLeader()} turns false on the spot and
 * {@link LeaderElection.Listener#onLeadershipSuspended(String)} follows. Losing the server it was
 * connected to (the ensemble's leader, say) while the quorum holds should change nothing, so when
 * the connection returns within the session, this master checks in ZooKeeper that its latch node is
 * still first and {@code master/epoch} is still the one it set (no other master can have taken
 * over: taking over means incrementing the epoch, which needs the first latch node), and then
 * resumes the same term, in the same epoch
 * ({@link LeaderElection.Listener#onLeadershipResumed(long)}). Otherwise, or when the session is
 * lost, the term ends.
 *
 * <p><b>Losing it.</b> When the session is lost, or the latch lets go while connected, the master
 * stops being the leader at once: {@link LeaderElection#isLeader()} turns false on the spot and
 * {@link LeaderElection.Listener#onLeadershipLost(String)} follows (a reconnection in time starts a
 * new leadership with a new epoch). A write through
 * {@link LeaderElection#fenced(org.apache.curator.framework.api.transaction.CuratorOp...)} checks
 * the epoch in the same ZooKeeper transaction, so a master that was deposed without noticing (its
 * latch node removed behind its back, say) can change nothing. It does notice soon: the leader
 * watches {@code master/epoch}, and a successor's epoch, or a refused fenced write, makes it step
 * down and rejoin the election at the back. It watches its leader record too: someone else deleting
 * or changing it (workers and drivers could no longer find this master) makes it step down and
 * rejoin the same way. A master that rejoins leaves the latch only once its listener has heard of
 * the loss (up to 2 s), so another master is elected only after this one stopped acting.
 *
 * <p><b>Closing.</b> {@link LeaderElection#close()} is graceful: it deletes this master's leader
 * record and leaves the latch, so a standby takes over within milliseconds, instead of after the
 * session timeout a crash costs.
 *
 * <p><b>Threads.</b> ZooKeeper work runs on one thread of this election, listener calls on
 * another, one at a time and in order: a listener may block briefly, but not on ZooKeeper
 * callbacks of this client. Loss of leadership is recorded on whichever thread notices it (the
 * connection-state thread, say) before the listener is called. All public methods are
 * thread-safe.
 */
package io.ember.core.coordination;
