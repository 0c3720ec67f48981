package io.ember.core.worker;

import io.ember.api.config.ConfigKey;
import io.ember.core.config.EmberKeys;
import io.ember.core.config.JavaOptions;
import io.ember.core.executor.ExecutorArguments;
import io.ember.core.executor.ExecutorMain;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * How a worker starts an executor: the settings it hands the executor and the command line that
 * runs {@link ExecutorMain}. Stateless.
 */
final class ExecutorCommands {

    /** Settings never put on an executor's command line. */
    private static final Set<String> SENSITIVE_KEYS = EmberKeys.all().stream()
            .filter(ConfigKey::isSensitive).map(ConfigKey::name).collect(Collectors.toUnmodifiableSet());

    private ExecutorCommands() {
    }

    /**
     * The executor the leader asked for, placed on this worker: its ids checked, its cores, memory
     * and driver filled in from the application or the worker's defaults where the request has none.
     *
     * @throws IllegalArgumentException when an id is not a safe directory name, the executor is
     *     placed on another worker, or it has no driver address
     */
    static ExecutorAssignment placed(ExecutorAssignment requested, ApplicationSettings app, String workerId,
            WorkerOptions options) {
        String appId = WorkDirectories.checkId("application id", requested.appId());
        String executorId = WorkDirectories.checkId("executor id", requested.executorId());
        if (!requested.workerId().isEmpty() && !requested.workerId().equals(workerId)) {
            throw new IllegalArgumentException("executor " + executorId + " of application " + appId
                    + " is placed on worker " + requested.workerId() + ", not on this worker " + workerId);
        }
        String driver = !requested.driverAddress().isEmpty() ? requested.driverAddress() : app.driverAddress();
        if (driver.isEmpty()) {
            throw new IllegalArgumentException("executor " + executorId + " of application " + appId
                    + " has no driver address");
        }
        int cores = requested.cores() > 0 ? requested.cores()
                : app.coresPerExecutor() > 0 ? app.coresPerExecutor() : options.executorCores();
        long memory = requested.memoryBytes() > 0 ? requested.memoryBytes()
                : app.memoryPerExecutorBytes() > 0 ? app.memoryPerExecutorBytes() : options.executorMemoryBytes();
        return new ExecutorAssignment(appId, executorId, workerId, cores, memory, driver);
    }

    /** The arguments of a {@link #placed} executor's command line. */
    static ExecutorArguments arguments(ExecutorAssignment executor, ApplicationSettings app, WorkerOptions options,
            WorkerShuffle shuffle, int shufflePort) {
        return new ExecutorArguments(executor.appId(), executor.executorId(), executor.workerId(),
                executor.driverAddress(), executor.cores(), options.advertisedHost(), options.zooKeeper().connectString(),
                options.cluster(), options.zooKeeper().sessionTimeout(), executorSettings(app, shuffle, shufflePort));
    }

    /**
     * The application's executor settings, without any that must never be on a command line, and the
     * worker's shuffle settings: the application's tuning of the shuffle plugin
     * ({@code ember.shuffle.<name>.*}) wins over the worker's, but which shuffle runs, where its
     * plugins are and the host's service are the worker's to say.
     */
    static Map<String, String> executorSettings(ApplicationSettings app, WorkerShuffle shuffle, int shufflePort) {
        Map<String, String> settings = new HashMap<>(shuffle.executorSettings());
        settings.putAll(app.executorSettings());
        settings.putAll(hostShuffleSettings(shuffle));
        settings.remove(EmberKeys.SHUFFLE_SERVICE_PORT.name());
        settings.remove(EmberKeys.SHUFFLE_SERVICE_ENABLED.name());
        if (shufflePort > 0) {
            settings.put(EmberKeys.SHUFFLE_SERVICE_PORT.name(), Integer.toString(shufflePort));
        } else {
            settings.put(EmberKeys.SHUFFLE_SERVICE_ENABLED.name(), "false");
        }
        settings.keySet().removeAll(SENSITIVE_KEYS);
        // JVM options, not configuration: they are on the command line (applicationJavaOptions).
        settings.remove(EmberKeys.EXECUTOR_JAVA_OPTIONS.name());
        return settings;
    }

    /**
     * The application's {@code ember.executor.javaOptions}, split; they follow the worker's own, so
     * they win where both set the same option.
     *
     * @throws IllegalArgumentException when they cannot be split (naming the key and the application)
     */
    static List<String> applicationJavaOptions(ExecutorAssignment executor, ApplicationSettings app) {
        String options = app.executorSettings().getOrDefault(EmberKeys.EXECUTOR_JAVA_OPTIONS.name(), "");
        try {
            return JavaOptions.split(options);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(EmberKeys.EXECUTOR_JAVA_OPTIONS.name() + " of application "
                    + executor.appId() + " cannot be used: " + e.getMessage(), e);
        }
    }

    /** The worker's settings that name the shuffle and its plugins. */
    private static Map<String, String> hostShuffleSettings(WorkerShuffle shuffle) {
        Map<String, String> host = new HashMap<>();
        for (String key : List.of(EmberKeys.SHUFFLE.name(), EmberKeys.PLUGINS_DIR.name(),
                EmberKeys.PLUGINS_PARENT_FIRST_PACKAGES.name())) {
            String value = shuffle.executorSettings().get(key);
            if (value != null) {
                host.put(key, value);
            }
        }
        return host;
    }

    /**
     * The command that starts an executor: {@link ExecutorMain} with the arguments, heap, the
     * worker's logback configuration (when it has one, so executors log alike, to their stderr),
     * the worker's {@code ember.executor.javaOptions}, and the secret in the environment.
     */
    static ExecutorCommand executorCommand(WorkerOptions options, ExecutorArguments arguments, long heapBytes) {
        return executorCommand(options, arguments, heapBytes, List.of(), List.of());
    }

    /**
     * The same, with Ember's own extra JVM options (class-data sharing) before the worker's, and the
     * application's after them (last, so they win).
     */
    static ExecutorCommand executorCommand(WorkerOptions options, ExecutorArguments arguments, long heapBytes,
                                           List<String> emberOptions, List<String> applicationOptions) {
        List<String> jvmOptions = new ArrayList<>(emberOptions);
        String logback = System.getProperty("logback.configurationFile");
        if (logback != null && !logback.isBlank()) {
            jvmOptions.add("-Dlogback.configurationFile=" + logback);
        }
        jvmOptions.addAll(options.executorJavaOptions());
        jvmOptions.addAll(applicationOptions);
        Map<String, String> environment = options.secret()
                .map(secret -> Map.of(ExecutorMain.SECRET_VARIABLE, secret))
                .orElse(Map.of());
        return new ExecutorCommand(options.javaExecutable(), options.classPath(), heapBytes, jvmOptions,
                ExecutorMain.class.getName(), arguments.toArgs(), environment);
    }
}
