/**
 * The worker: {@link io.ember.core.worker.WorkerServer} registers with the leader master (in
 * ZooKeeper and over RPC, through its {@link io.ember.core.worker.LeaderLink}), launches executors
 * as JVM processes in work directories of their own ({@link io.ember.core.worker.WorkerExecutors}),
 * reports their exits, and hosts the shuffle plugin's external service. It knows the executor only
 * by its launch contract ({@code ExecutorMain} and {@code ExecutorArguments}).
 *
 * <p>Its decisions take the worker's own types ({@code ExecutorAssignment}, {@code ExecutorReport},
 * {@code WorkerRegistration}, ...); only its transport adapters build or parse protobuf messages:
 * {@code WorkerRpc} (the leader's commands in), {@code GrpcLeaderGateway} (registration and reports
 * out, behind the {@code LeaderGateway}), {@code WorkerNode} (its record in ZooKeeper) and
 * {@code WorkerMessages} (their conversions).
 *
 * <h2>{@link WorkerServer}</h2>
 *
 * <p>{@code WorkerServer} starts, wires and stops the worker's parts: the executors it runs and
 * what the leader's commands do to them are {@link WorkerExecutors}' (how one is started,
 * {@link ExecutorCommands}'), the conversation with the leader is {@link LeaderLink}'s, and only
 * its transport adapters see the wire: {@link WorkerRpc} (commands in), {@link GrpcLeaderGateway}
 * (registration and reports out), {@link WorkerNode} (its record in ZooKeeper) and
 * {@link WorkerMessages} (their conversions).
 *
 * <p><b>Start-up</b> ({@link WorkerServer#start}): the RPC server ({@code WorkerService}) on
 * {@code host:port}; the ZooKeeper connection; the external shuffle service, when its
 * {@link WorkerShuffle} names one to embed ({@code ember.shuffle.service.enabled}: the selected
 * shuffle plugin's service on {@code ember.shuffle.service.port}, its state in
 * {@code <workDir>/.shuffle-service-<port>}, the cluster's secret), whose port the worker
 * advertises in its {@link WorkerServer#info()} (0 for none); the worker's ephemeral node
 * {@code /ember/<cluster>/workers/<id>} holding its record; then it follows the leader
 * ({@link io.ember.core.coordination.LeaderTracker}) and registers with every new one (its
 * {@link WorkerRegistration}: its info and every executor it runs, {@code LAUNCHING} or
 * {@code RUNNING} with its pid), retrying with a short back-off until the leader accepts or another
 * takes over ({@link LeaderLink}).
 *
 * <p><b>Commands.</b> Every command first passes the {@link io.ember.core.rpc.EpochFence}: one from
 * a master whose epoch is older than the newest this worker has seen (from a registration answer,
 * from ZooKeeper, or from another command) is refused with {@code FAILED_PRECONDITION}, and nothing
 * else happens.
 * <ul>
 *   <li>{@code LaunchExecutor} starts {@link io.ember.core.executor.ExecutorMain} in its work
 *       directory with {@code -Xmx} = the executor's memory, {@code ember.executor.javaOptions},
 *       the {@link io.ember.core.executor.ExecutorArguments} and, when the cluster has a secret,
 *       the secret in the environment variable
 *       {@value io.ember.core.executor.ExecutorMain#SECRET_VARIABLE} (never on the command line),
 *       and the worker's shuffle settings: {@link WorkerShuffle#executorSettings()} and either
 *       {@code ember.shuffle.service.port} (its service's port) or
 *       {@code ember.shuffle.service.enabled=false}. It reports {@code RUNNING} with the pid, then
 *       {@code EXITED} (code 0), {@code FAILED} (any other code, or it could not start) or
 *       {@code KILLED} (the worker stopped it) with the exit code. Launching an executor the worker
 *       already runs does nothing.
 *   <li>{@code KillExecutor} stops the executor (SIGTERM, then SIGKILL after
 *       {@link ExecutorRunner#STOP_GRACE}) and reports it {@code KILLED}.
 *   <li>{@code ApplicationFinished} stops all of the application's executors, then has the shuffle
 *       service forget the application (deleting its shuffle files) and deletes its work
 *       directories unless {@code ember.worker.keepWorkDirs}.
 * </ul>
 * Commands are answered at once; process work happens on the worker's own threads. Reports go to
 * the current leader, queued and retried until one accepts them.
 *
 * <p>Should the worker's ZooKeeper session expire, its node is created again on the new session
 * and it registers with the leader again.
 *
 * <p>Unless {@link WorkerOptions#ui()} is off, {@code WorkerServer} serves a web UI, a REST API,
 * its executors' logs and {@code /metrics} ({@link io.ember.core.worker.web.WorkerRoutes}, read
 * through {@link WorkerWebStatus}), started before it registers, and tells each leader the UI's URL
 * with its registration.
 *
 * <h2>{@link ExecutorCommand}</h2>
 *
 * <p>{@link ExecutorCommand#toArgv()} puts Ember's defaults first and
 * {@link ExecutorCommand#jvmOptions()} after them, so an operator's
 * {@code ember.executor.javaOptions} can override any default (HotSpot takes the last of repeated
 * options): {@code -Xshare:off}, say, or a different {@code -Xmx}. The defaults are few on purpose
 * (§9 of the design, "executors start small"):
 * <ul>
 *   <li>{@code -Xmx} from {@code ember.executor.memory}: the heap the worker accounted for when it
 *       accepted the executor. No {@code -Xms}: a small executor should not commit its whole heap
 *       up front, and committing it costs start-up time.
 *   <li>{@code -Xshare:auto}: map the JDK's class-data-sharing archive, which saves the parsing
 *       and verification of a few hundred JDK classes at start-up, and fall back silently (rather
 *       than fail, as {@code -Xshare:on} would) when the archive is missing or unusable. It is the
 *       JDK's default; written out, it wins over an {@code -Xshare:off} the executor would
 *       otherwise inherit from the worker's {@code JAVA_TOOL_OPTIONS} or {@code JDK_JAVA_OPTIONS},
 *       and it marks where an application CDS archive shipped with the distribution
 *       ({@code -XX:SharedArchiveFile}) will plug in.
 *   <li>{@code -XX:+ExitOnOutOfMemoryError}: an executor that ran out of heap is in an unknown
 *       state (a thread may have died half-way through a task or a heartbeat); exiting at once
 *       lets the worker report it and the driver resubmit its tasks, instead of keeping a
 *       half-dead executor that holds cores.
 *   <li>{@code -Djava.awt.headless=true}: workers run without a display; should user code touch
 *       AWT (fonts, image I/O, charts), it must not try to reach an X server, and on macOS every
 *       executor must not appear in the Dock.
 * </ul>
 *
 * <p>Put secrets in {@link ExecutorCommand#environment()}, never in the arguments or JVM options: a
 * command line is visible to every user of the machine ({@code ps}) and the launcher logs it at
 * DEBUG. {@link ExecutorCommand#toString()} shows environment variable names only.
 *
 * <h2>{@link WorkerOptions}</h2>
 *
 * <p>{@link WorkerOptions#toString()} never shows the secret.
 */
package io.ember.core.worker;
