package io.ember.core.executor;

import static java.util.Objects.requireNonNull;

import io.ember.core.memory.ExecutorMemory;
import io.ember.core.rpc.RpcChannels;
import io.ember.core.serialization.JavaSerializer;
import io.ember.core.serialization.PayloadFilter;
import io.ember.core.serialization.RecordSerializer;
import io.grpc.Channel;
import java.io.IOException;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts a registered executor's {@link TaskExecutor} from its driver's answer: reads the
 * executor's deserialization filter, fetches the application's JARs ({@link ApplicationJars}, into
 * {@code jars/} under the work directory, through {@link DriverJarSource}) and loads them, then
 * starts the task executor with the executor's cores, the driver's result size limit, a block
 * manager bounded by the driver's {@code storage_memory_bytes} or else half the heap, the
 * application's record serializer, the executor's shuffle, its reports going to {@code reports}
 * and its large results through {@link DriverResultUploader}.
 *
 * <p>Used once, on the executor's inbound thread.
 */
final class TaskExecutorStart {

    /** How long fetching one application JAR may take. */
    static final Duration JAR_FETCH_TIMEOUT = Duration.ofMinutes(5);
    /** How long fetching the map outputs a stage reads may take. */
    static final Duration MAP_OUTPUTS_FETCH_TIMEOUT = Duration.ofMinutes(2);
    /** The executor setting with the operator's deserialization filter patterns. */
    static final String SERIALIZER_FILTER_SETTING = "ember.serializer.filter";
    /** Where the application's JARs go, under the work directory. */
    static final String JARS_DIRECTORY = "jars";
    /** Where tasks spill, under the executor's work directory (which the worker deletes after the application). */
    static final String SPILL_DIRECTORY = "spill";

    private static final Logger LOG = LoggerFactory.getLogger(TaskExecutorStart.class);

    /**
     * A started task executor.
     *
     * @param applicationJars the loader of the application's JARs, to close after the task executor;
     *     {@code null} when there are none
     */
    record Started(TaskExecutor executor, URLClassLoader applicationJars) {
    }

    /** The task executor could not start; the message is the line to log, ending in "; exiting". */
    static final class Failure extends Exception {

        private static final long serialVersionUID = 1L;

        Failure(String line) {
            super(line);
        }
    }

    private final ExecutorArguments arguments;
    private final Path workDirectory;
    private final RpcChannels channels;
    private final ExecutorShuffleOpener shuffleOpener;
    private final TaskExecutor.Reports reports;

    /**
     * @param channels reach the driver (for JARs and uploads)
     * @param shuffleOpener opens the executor's shuffle at the first task that needs it
     * @param reports hear the task executor's reports: the stream to the driver
     */
    TaskExecutorStart(ExecutorArguments arguments, Path workDirectory, RpcChannels channels,
                      ExecutorShuffleOpener shuffleOpener, TaskExecutor.Reports reports) {
        this.arguments = requireNonNull(arguments, "arguments is null");
        this.workDirectory = requireNonNull(workDirectory, "workDirectory is null");
        this.channels = requireNonNull(channels, "channels is null");
        this.shuffleOpener = requireNonNull(shuffleOpener, "shuffleOpener is null");
        this.reports = requireNonNull(reports, "reports is null");
    }

    /**
     * Fetches the application's JARs and starts the task executor.
     *
     * @throws Failure when the filter setting is invalid, or a JAR cannot be fetched or does not match
     */
    Started start(RegistrationAnswer registered) throws Failure {
        JavaSerializer serializer;
        PayloadFilter filter;
        try {
            filter = PayloadFilter.withOperatorPatterns(
                    arguments.settings().getOrDefault(SERIALIZER_FILTER_SETTING, ""));
            serializer = new JavaSerializer(filter);
        } catch (IllegalArgumentException e) {
            throw new Failure("Executor " + arguments.executorId() + " cannot run tasks: " + e.getMessage()
                    + "; exiting");
        }
        Channel channel;
        ClassLoader loader;
        long started = System.nanoTime();
        try {
            channel = channels.channel(arguments.driverAddress());
            loader = new ApplicationJars(workDirectory.resolve(JARS_DIRECTORY),
                    new DriverJarSource(channel, arguments.driverAddress(), JAR_FETCH_TIMEOUT))
                    .load(registered.jars(), ExecutorBackend.class.getClassLoader());
        } catch (IOException | RuntimeException e) {
            throw new Failure("Executor " + arguments.executorId() + " of application " + arguments.appId()
                    + " cannot load the application's JARs: " + e.getMessage() + "; exiting");
        }
        if (!registered.jars().isEmpty()) {
            long bytes = registered.jars().stream().mapToLong(AnnouncedJar::size).sum();
            LOG.info("Executor {} fetched {} application JAR(s), {} bytes, from its driver in {} ms",
                    arguments.executorId(), registered.jars().size(), bytes,
                    (System.nanoTime() - started) / 1_000_000);
        }
        ExecutorMemory memory = ExecutorMemory.of(registered.memory(), Runtime.getRuntime().maxMemory());
        LOG.info("Executor {} has a memory budget of {} MiB ({} MiB of it storage that tasks cannot evict)",
                arguments.executorId(), memory.total() >> 20, memory.storageProtected() >> 20);
        String recordSerializer = registered.recordSerializer().isEmpty() ? RecordSerializer.FORY_NAME
                : registered.recordSerializer();
        ShuffleAccess shuffle = new ShuffleAccess(shuffleOpener,
                new RecordSerializer(recordSerializer, loader, filter), workDirectory.resolve(SPILL_DIRECTORY),
                new DriverMapOutputs(new DriverMapOutputSource(channel, arguments.driverAddress(),
                        MAP_OUTPUTS_FETCH_TIMEOUT)));
        TaskExecutor executor = TaskExecutor.withOwnBlockManager(arguments.executorId(), arguments.cores(),
                registered.maxDirectResultBytes(), memory, serializer, loader, reports,
                new DriverResultUploader(channel, arguments.driverAddress(), arguments.executorId()), shuffle);
        return new Started(executor, loader instanceof URLClassLoader jars ? jars : null);
    }

    @Override
    public String toString() {
        return "TaskExecutorStart[executor " + arguments.executorId() + "]";
    }
}
