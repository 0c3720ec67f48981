/**
 * The master: {@link io.ember.core.master.MasterServer} joins the leader election and, while it
 * leads, runs a {@link io.ember.core.master.Leadership} term on its event loop: the cluster's state
 * ({@link io.ember.core.master.MasterState}) rebuilt from ZooKeeper and re-registrations, executor
 * placement on workers' free cores through the application scheduler plugin, and relaunches with
 * back-off.
 */
package io.ember.core.master;
