/**
 * The executor process: {@link io.ember.core.executor.ExecutorMain} parses the command line a
 * worker writes ({@link io.ember.core.executor.ExecutorArguments}) and runs an
 * {@link io.ember.core.executor.ExecutorBackend}, which registers with its driver over one
 * bidirectional stream and in ZooKeeper's executor registry, fetches the application's JARs,
 * runs the tasks the driver launches, heartbeats, and exits when the driver goes away.
 *
 * <p>{@link io.ember.core.executor.TaskExecutor} runs tasks whatever carries the driver's commands:
 * the executor process uses it over its stream, the driver's {@code local[N]} mode in-process. It
 * takes and reports the executor's own types ({@link io.ember.core.executor.TaskToRun},
 * {@link io.ember.core.executor.SerializedStage}, {@link io.ember.core.executor.TaskReport}); only the
 * transport adapters see protobuf messages: the stream to the driver
 * ({@code DriverConnection}), the JAR fetch ({@code DriverJarSource}), the result upload
 * ({@code DriverResultUploader}) and their conversions ({@code ExecutorMessages}).
 *
 * <h2>{@link ExecutorBackend}</h2>
 *
 * <p><b>Start-up</b> ({@link ExecutorBackend#start}) returns at once, having begun two things in
 * parallel: the ZooKeeper connection (the slowest part) on a thread of its own, and the stream to
 * the driver, whose first message is {@code RegisterExecutor}. When the driver answers
 * {@code Registered}, heartbeats start at the interval it names, and the registry node is created
 * as soon as ZooKeeper is connected.
 *
 * <p><b>Tasks.</b> On {@code Registered} the executor starts its {@link TaskExecutor}
 * ({@link TaskExecutorStart}): it fetches the application's JARs ({@link ApplicationJars}, into
 * {@code jars/} under its work directory), then runs what {@code LaunchTasks} sends on its cores,
 * with the driver's result size limit and a block manager bounded by {@code storage_memory_bytes}
 * or else half the heap, and answers with task and block updates on the stream; its shuffle is
 * opened at the first task that needs it ({@link ExecutorShuffleOpener}: the worker's shuffle
 * plugin, registered with the worker's shuffle service when it runs one); results too large for the
 * stream go through {@code UploadResult} ({@link DriverResultUploader}). {@code KillTask},
 * {@code DropBlocks} and {@code ForgetStages} go to it too. Heartbeats carry the active tasks and
 * the storage used. A JAR that cannot be fetched or does not match what the driver announced stops
 * the executor with {@value ExecutorBackend#EXIT_FAILURE}.
 *
 * <p><b>The wire.</b> The backend and the task executor see the driver's messages and their own
 * answers in the executor's types: {@link DriverConnection} decodes and encodes them with
 * {@link ExecutorMessages}, which also makes the registry node's record.
 *
 * <p><b>Stopping.</b> The backend stops, and {@link ExecutorBackend#exitCode()} completes, when:
 * <ul>
 *   <li>the driver sends {@code Shutdown}: code {@value ExecutorBackend#EXIT_CLEAN};
 *   <li>the driver completes the stream without one: code {@value ExecutorBackend#EXIT_CLEAN};
 *   <li>the stream breaks (the driver died or is unreachable, the call was refused), the driver
 *       serves another application, ZooKeeper cannot be reached, the registry node cannot be
 *       created, or the application's JARs cannot be fetched: code
 *       {@value ExecutorBackend#EXIT_FAILURE};
 *   <li>{@link ExecutorBackend#close()} is called: code {@value ExecutorBackend#EXIT_CLEAN}.
 * </ul>
 * Each is logged as one line. Stopping kills the running tasks, ends the stream, removes the
 * registry node and closes the ZooKeeper session (so the node goes at once, not after the session
 * timeout), then completes the exit code. The backend never exits the JVM: {@link ExecutorMain}
 * does.
 *
 * <h2>{@link ExecutorArguments}</h2>
 *
 * <p>The command line of an executor process ({@link ExecutorMain}), as the worker writes it:
 *
 * <pre>
 *   --app-id A --executor-id E --worker-id W --driver host:port --cores N --host H
 *   --zookeeper CONNECT --cluster C --session-timeout 4s [--setting key=value]...
 * </pre>
 *
 * <ul>
 *   <li>{@code --app-id}, {@code --executor-id}: whom this executor is; both become ZooKeeper path
 *       segments ({@code /ember/<cluster>/apps/<app>/executors/<id>}), so they follow
 *       {@link io.ember.core.coordination.ClusterPaths}' rules;
 *   <li>{@code --worker-id}: the worker that started it;
 *   <li>{@code --driver}: the {@code host:port} of the driver's {@code DriverService};
 *   <li>{@code --cores}: task slots, at least 1;
 *   <li>{@code --host}: the address this executor reports for itself (its worker's host);
 *   <li>{@code --zookeeper}, {@code --cluster}, {@code --session-timeout}: where to register, and
 *       how long a silent executor keeps its registration, written as settings write durations
 *       ({@link io.ember.api.config.Durations}: {@code 1500ms}, {@code 4s}, {@code 1m});
 *   <li>{@code --setting key=value}, repeatable: the application's executor settings, kept for the
 *       executor's components (no key may be given twice).
 * </ul>
 *
 * Every option except {@code --setting} is required exactly once, and each takes its value as the
 * next argument. The secret ({@code ember.auth.secret}) never travels on the command line, where
 * every user of the machine could read it: the worker passes it in the environment variable
 * {@value ExecutorMain#SECRET_VARIABLE}.
 */
package io.ember.core.executor;
