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
 */
package io.ember.core.executor;
