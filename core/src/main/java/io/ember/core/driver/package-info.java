/**
 * The driver: the application author's {@link io.ember.core.driver.EmberContext} and the runtime
 * it runs on, chosen once by {@code ember.master} ({@link io.ember.core.driver.MasterUrl}): one
 * in-process executor for {@code local[N]} ({@code LocalRuntime}, started through the
 * {@link io.ember.core.driver.LocalMode} service), or a cluster's executors ({@code ClusterRuntime},
 * whose {@code ClusterSession} wires the endpoint, the master client and the allocation policy's
 * {@code AllocationLoop}; a {@link io.ember.core.driver.ClusterLauncher} starts the cluster of
 * {@code local-cluster[W,C]}).
 *
 * <p>The driver's two conversations have packages of their own, which never use this one:
 * {@link io.ember.core.driver.endpoint} serves the executors, {@link io.ember.core.driver.client}
 * talks to the leader master.
 *
 * <h2>{@link EmberContext}</h2>
 *
 * <pre>{@code
 * try (EmberContext ember = EmberContext.builder()
 *         .master("ember://zk1:2181,zk2:2181/prod")     // or local[4], local-cluster[2,1]
 *         .appName("nightly-report")
 *         .set("ember.executor.instances", "4")
 *         .build()) {
 *     long errors = ember.textFile("/data/logs").filter(line -> line.contains("ERROR")).count();
 * }
 * }</pre>
 *
 * <p>Starting a context loads the configuration like every Ember process (defaults, files,
 * {@code EMBER_*} environment, {@code -D} properties, then the settings given here, which win),
 * parses {@code ember.master} and starts the {@link io.ember.core.scheduler.TaskScheduler} with the
 * task-set queue of the selected scheduling policy ({@code ember.scheduler}). In {@code local[N]}
 * mode it then starts one in-process executor with N task threads, and nothing else. Otherwise it
 * starts a local cluster for {@code local-cluster[W,C]} (through a {@link ClusterLauncher}),
 * connects to ZooKeeper, starts the {@link io.ember.core.driver.endpoint.DriverEndpoint} executors
 * connect to, registers the application with the leader master
 * ({@link io.ember.core.driver.client.ApplicationClient}) and starts the selected allocation policy
 * ({@code ember.allocation}), which asks for executors. Whatever fails, the error is one line for
 * an operator and everything started so far is closed.
 *
 * <p>Datasets start in {@code EmberContext} ({@link EmberContext#parallelize},
 * {@link EmberContext#range}, {@link EmberContext#textFile}); each action on one is a job, run
 * through this context ({@link io.ember.core.dataset.JobRunner}), one task per partition. Jobs may
 * run from several threads at once.
 *
 * <p>{@link EmberContext#close()} fails jobs still running, unregisters the application (the master
 * stops its executors), sends every executor a {@code Shutdown}, deletes the driver's liveness node
 * and closes everything. A context installs no JVM shutdown hook of its own: it is listed in
 * {@link RunningApplications#ofProcess()} while it runs, and {@code ember submit}, told to stop
 * (SIGINT, SIGTERM), closes the contexts listed there; an application embedded elsewhere closes its
 * own. If the process dies instead ({@code kill -9}), the master ends the application when the
 * driver's ZooKeeper session expires.
 */
package io.ember.core.driver;
