package io.ember.core.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.core.config.ConfigException;
import io.ember.core.config.ConfigSources;
import io.ember.core.config.EmberConfig;
import io.ember.core.config.EmberKeys;
import io.ember.core.config.KeyCatalog;
import io.ember.core.coordination.CoordinationException;
import io.ember.core.coordination.ZooKeeperSettings;
import io.ember.core.executor.ExecutorArguments;
import io.ember.core.executor.ExecutorMain;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

final class WorkerOptionsTest {

    private static final Path BASE = Path.of("/opt/ember");
    private static final String SECRET = "sixteen-characters-or-more";

    private static EmberConfig config(Map<String, String> settings) {
        return EmberConfig.resolve(ConfigSources.read(null, Map.of(), Map.of(), settings),
                new KeyCatalog(EmberKeys.all(), Map.of()));
    }

    private static WorkerOptions from(Map<String, String> settings) {
        Map<String, String> all = new HashMap<>(settings);
        all.putIfAbsent("ember.zookeeper.connect", "127.0.0.1:2181");
        return WorkerOptions.from(config(all), BASE);
    }

    @Test
    void readsTheDefaults() {
        WorkerOptions options = from(Map.of());

        assertEquals("default", options.cluster());
        assertEquals(new ZooKeeperSettings("127.0.0.1:2181", Duration.ofSeconds(4), Duration.ofSeconds(10),
                Optional.empty()), options.zooKeeper());
        assertEquals("127.0.0.1", options.host());
        assertEquals(0, options.port());
        assertEquals(Optional.empty(), options.workerId());
        assertEquals(Runtime.getRuntime().availableProcessors(), options.cores());
        assertEquals(WorkerOptions.defaultMemory(), options.memoryBytes());
        assertTrue(options.memoryBytes() >= 1L << 30);
        assertEquals(BASE.resolve("work"), options.workDir());
        assertFalse(options.keepWorkDirs());
        assertEquals(Duration.ofSeconds(10), options.rpcTimeout());
        assertEquals(Optional.empty(), options.secret());
        assertEquals(ExecutorCommand.currentJava(), options.javaExecutable());
        assertEquals(ExecutorCommand.currentClassPath(), options.classPath());
        assertEquals(List.of(), options.executorJavaOptions());
        assertEquals(1L << 30, options.executorMemoryBytes());
        assertEquals(1, options.executorCores());
    }

    @Test
    void readsEveryKey() {
        WorkerOptions options = from(Map.ofEntries(
                Map.entry("ember.cluster", "prod"),
                Map.entry("ember.zookeeper.connect", "zk1:2181,zk2:2181"),
                Map.entry("ember.zookeeper.sessionTimeout", "2s"),
                Map.entry("ember.zookeeper.connectionTimeout", "3s"),
                Map.entry("ember.host", "10.0.0.7"),
                Map.entry("ember.worker.port", "7078"),
                Map.entry("ember.worker.cores", "12"),
                Map.entry("ember.worker.memory", "48g"),
                Map.entry("ember.worker.workDir", "/var/ember/work"),
                Map.entry("ember.worker.keepWorkDirs", "true"),
                Map.entry("ember.auth.secret", SECRET),
                Map.entry("ember.rpc.timeout", "3s"),
                Map.entry("ember.executor.javaOptions", "-XX:+UseSerialGC \"-Dx=a b\""),
                Map.entry("ember.executor.memory", "2g"),
                Map.entry("ember.executor.cores", "4")));

        assertEquals("prod", options.cluster());
        assertEquals(new ZooKeeperSettings("zk1:2181,zk2:2181", Duration.ofSeconds(2), Duration.ofSeconds(3),
                Optional.of(SECRET)), options.zooKeeper());
        assertEquals("10.0.0.7", options.host());
        assertEquals(7078, options.port());
        assertEquals(12, options.cores());
        assertEquals(48L << 30, options.memoryBytes());
        assertEquals(Path.of("/var/ember/work"), options.workDir());
        assertTrue(options.keepWorkDirs());
        assertEquals(Optional.of(SECRET), options.secret());
        assertEquals(Duration.ofSeconds(3), options.rpcTimeout());
        assertEquals(List.of("-XX:+UseSerialGC", "-Dx=a b"), options.executorJavaOptions());
        assertEquals(2L << 30, options.executorMemoryBytes());
        assertEquals(4, options.executorCores());
        assertFalse(options.toString().contains(SECRET), options.toString());
    }

    @Test
    void needsZooKeeper() {
        assertThrows(CoordinationException.class, () -> WorkerOptions.from(config(Map.of()), BASE));
    }

    @Test
    void refusesTheLoopbackDefaultHostWhenZooKeeperIsOnAnotherHost() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> from(Map.of("ember.zookeeper.connect", "10.0.0.1:2181,10.0.0.2:2181")));

        assertEquals("ember.host (default): '127.0.0.1' is a loopback address, but ZooKeeper (10.0.0.1:2181), and so "
                + "the rest of the cluster, is on another host, from which this worker could not be reached; set it to "
                + "this host's own address", e.problems().get(0).describe());
    }

    @Test
    void refusesAnInvalidWorkerId() {
        assertThrows(IllegalArgumentException.class, () -> from(Map.of()).withWorkerId("a/b"));
        assertEquals(Optional.of("worker-7"), from(Map.of()).withWorkerId("worker-7").workerId());
    }

    @Test
    void theExecutorCommandRunsExecutorMainWithTheSecretInItsEnvironmentOnly() {
        WorkerOptions options = from(Map.of("ember.auth.secret", SECRET, "ember.executor.javaOptions", "-Xss2m"));
        ExecutorArguments arguments = new ExecutorArguments("app-1", "1", "worker-1", "127.0.0.1:7070", 2,
                "127.0.0.1", "zk1:2181", "default", Duration.ofSeconds(4), Map.of());

        ExecutorCommand command = ExecutorCommands.executorCommand(options, arguments, 512L << 20);

        List<String> argv = command.toArgv();
        assertEquals(ExecutorMain.class.getName(), command.mainClass());
        assertEquals(arguments.toArgs(), command.arguments());
        assertEquals("-Xmx512m", argv.get(1));
        assertEquals("-Xss2m", command.jvmOptions().get(command.jvmOptions().size() - 1));
        assertEquals(Map.of(ExecutorMain.SECRET_VARIABLE, SECRET), command.environment());
        assertFalse(argv.stream().anyMatch(arg -> arg.contains(SECRET)), argv.toString());
        assertFalse(command.toString().contains(SECRET));
    }

    /** The application's JVM options follow the worker's, so they win; they are not configuration too. */
    @Test
    void theApplicationsJavaOptionsComeAfterTheWorkersAndOnlyOnTheCommandLine() {
        WorkerOptions options = from(Map.of("ember.executor.javaOptions", "-Xss1m -Dfrom=worker"));
        ApplicationSettings app = new ApplicationSettings(1, 256L << 20, "127.0.0.1:7070",
                Map.of("ember.executor.javaOptions", "-Xss2m \"-Dfrom=the application\""));
        ExecutorAssignment executor = new ExecutorAssignment("app-1", "1", "worker-1", 1, 256L << 20, "127.0.0.1:7070");
        ExecutorArguments arguments = ExecutorCommands.arguments(executor, app, options, WorkerShuffle.none(), 0);

        ExecutorCommand command = ExecutorCommands.executorCommand(options, arguments, 256L << 20, List.of(),
                ExecutorCommands.applicationJavaOptions(executor, app));

        List<String> jvm = command.jvmOptions();
        assertEquals(List.of("-Xss1m", "-Dfrom=worker", "-Xss2m", "-Dfrom=the application"),
                jvm.subList(jvm.size() - 4, jvm.size()));
        assertFalse(ExecutorCommands.executorSettings(app, WorkerShuffle.none(), 0)
                .containsKey("ember.executor.javaOptions"));
    }

    @Test
    void applicationJavaOptionsThatCannotBeSplitAreRefusedNamingTheKeyAndTheApplication() {
        ApplicationSettings app = new ApplicationSettings(1, 256L << 20, "127.0.0.1:7070",
                Map.of("ember.executor.javaOptions", "-Da=\"open"));
        ExecutorAssignment executor = new ExecutorAssignment("app-1", "1", "worker-1", 1, 256L << 20, "127.0.0.1:7070");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ExecutorCommands.applicationJavaOptions(executor, app));
        assertEquals("ember.executor.javaOptions of application app-1 cannot be used: unclosed double quote in JVM "
                + "options: -Da=\"open", e.getMessage());
    }

    @Test
    void withoutASecretTheExecutorGetsNoSecretVariable() {
        ExecutorArguments arguments = new ExecutorArguments("app-1", "1", "worker-1", "127.0.0.1:7070", 2,
                "127.0.0.1", "zk1:2181", "default", Duration.ofSeconds(4), Map.of());

        assertEquals(Map.of(), ExecutorCommands.executorCommand(from(Map.of()), arguments, 1L << 30).environment());
    }
}
