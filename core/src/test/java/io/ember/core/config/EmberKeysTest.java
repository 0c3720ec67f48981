package io.ember.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ember.api.config.ConfigKey;
import io.ember.api.plugin.PolicyKind;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Pins every core key: its name, its default and how a bad value is refused. */
final class EmberKeysTest {

    @Test
    void declaresExactlyTheseKeysInThisOrder() {
        assertEquals(List.of("ember.scheduler", "ember.scheduler.reloadInterval", "ember.allocation", "ember.shuffle",
                        "ember.shuffle.service.enabled", "ember.shuffle.service.port", "ember.shuffle.service.embedded",
                        "ember.shuffle.service.maxConnections", "ember.shuffle.service.authTimeout",
                        "ember.shuffle.service.idleTimeout", "ember.shuffle.service.connectTimeout", "ember.plugins.dir",
                        "ember.plugins.parentFirstPackages", "ember.executor.instances", "ember.executor.cores",
                        "ember.task.cpus", "ember.task.maxFailures", "ember.task.launchAhead", "ember.task.launchAhead.maxTaskTime",
                        "ember.task.maxDirectResultSize",
                        "ember.driver.maxResultSize", "ember.memory.fraction", "ember.memory.storageFraction",
                        "ember.cleaner.referenceTracking", "ember.cleaner.periodicGC.interval",
                        "ember.shuffle.accurateBlockThreshold", "ember.locality.wait",
                        "ember.default.parallelism", "ember.jars", "ember.serializer", "ember.serializer.filter", "ember.cluster", "ember.zookeeper.connect", "ember.zookeeper.sessionTimeout",
                        "ember.zookeeper.connectionTimeout", "ember.zookeeper.bindAddress",
                        "ember.zookeeper.advertisedAddress", "ember.host", "ember.rpc.timeout", "ember.rpc.maxConnections",
                        "ember.rpc.authTimeout", "ember.rpc.idleTimeout", "ember.auth.secret",
                        "ember.master.bindAddress", "ember.master.advertisedAddress", "ember.master.port",
                        "ember.master.placement", "ember.worker.bindAddress", "ember.worker.advertisedAddress",
                        "ember.worker.port", "ember.worker.cores",
                        "ember.worker.memory", "ember.worker.workDir", "ember.worker.keepWorkDirs",
                        "ember.worker.cleanup.interval", "ember.worker.cleanup.grace",
                        "ember.executor.memory", "ember.executor.javaOptions", "ember.executor.heartbeatInterval",
                        "ember.executor.heartbeatTimeout", "ember.executor.maxLaunchFailures", "ember.executor.maxFailures",
                        "ember.master", "ember.app.name", "ember.app.queue",
                        "ember.driver.bindAddress", "ember.driver.advertisedAddress", "ember.driver.port",
                        "ember.driver.stopTimeout", "ember.console.progress",
                        "ember.console.logs", "ember.console.logDir", "ember.ui.port", "ember.master.ui.port",
                        "ember.worker.ui.port", "ember.history.ui.port", "ember.ui.portRetries",
                        "ember.ui.retainedJobs", "ember.ui.retainedStages", "ember.ui.retainedTasks",
                        "ember.ui.retainedDeadExecutors", "ember.eventLog.enabled", "ember.eventLog.dir",
                        "ember.eventLog.compress", "ember.eventLog.rollSize", "ember.history.updateInterval",
                        "ember.history.maxAge", "ember.history.maxApplications"),
                EmberKeys.all().stream().map(ConfigKey::name).toList());
    }

    @Test
    void pinsEveryDefault() {
        assertEquals(Optional.of("fifo"), EmberKeys.SCHEDULER.defaultValue());
        assertEquals(Optional.of("static"), EmberKeys.ALLOCATION.defaultValue());
        assertEquals(Optional.of("sort"), EmberKeys.SHUFFLE.defaultValue());
        assertEquals(Optional.of(true), EmberKeys.SHUFFLE_SERVICE_ENABLED.defaultValue());
        assertEquals(Optional.of(7337), EmberKeys.SHUFFLE_SERVICE_PORT.defaultValue());
        assertEquals(Optional.of(true), EmberKeys.SHUFFLE_SERVICE_EMBEDDED.defaultValue());
        assertEquals(Optional.of(8192), EmberKeys.SHUFFLE_SERVICE_MAX_CONNECTIONS.defaultValue());
        assertEquals(Optional.of(Duration.ofSeconds(10)), EmberKeys.SHUFFLE_SERVICE_AUTH_TIMEOUT.defaultValue());
        assertEquals(Optional.of(Duration.ofMinutes(2)), EmberKeys.SHUFFLE_SERVICE_IDLE_TIMEOUT.defaultValue());
        assertEquals(Optional.of(Duration.ofSeconds(5)), EmberKeys.SHUFFLE_SERVICE_CONNECT_TIMEOUT.defaultValue());
        assertEquals(Optional.of(4096), EmberKeys.RPC_MAX_CONNECTIONS.defaultValue());
        assertEquals(Optional.of(Duration.ofSeconds(10)), EmberKeys.RPC_AUTH_TIMEOUT.defaultValue());
        assertEquals(Optional.of(Duration.ofMinutes(2)), EmberKeys.RPC_IDLE_TIMEOUT.defaultValue());
        assertEquals(Optional.of("plugins"), EmberKeys.PLUGINS_DIR.defaultValue());
        assertEquals(Optional.of(""), EmberKeys.PLUGINS_PARENT_FIRST_PACKAGES.defaultValue());
        assertEquals(Optional.of(2), EmberKeys.EXECUTOR_INSTANCES.defaultValue());
        assertEquals(Optional.of(1), EmberKeys.EXECUTOR_CORES.defaultValue());
        assertEquals(Optional.of(1), EmberKeys.TASK_CPUS.defaultValue());
        assertEquals(Optional.of(4), EmberKeys.TASK_MAX_FAILURES.defaultValue());
        assertEquals(Optional.of(1), EmberKeys.TASK_LAUNCH_AHEAD.defaultValue());
        assertEquals(Optional.of(Duration.ofMillis(50)), EmberKeys.TASK_LAUNCH_AHEAD_MAX_TASK_TIME.defaultValue());
        assertEquals(Optional.of(Duration.ofSeconds(5)), EmberKeys.SCHEDULER_RELOAD_INTERVAL.defaultValue());
        assertEquals(Optional.of(1L << 20), EmberKeys.TASK_MAX_DIRECT_RESULT_SIZE.defaultValue());
        assertEquals(Optional.of(1L << 30), EmberKeys.DRIVER_MAX_RESULT_SIZE.defaultValue());
        assertEquals(Optional.of(0.6), EmberKeys.MEMORY_FRACTION.defaultValue());
        assertEquals(Optional.of(0.5), EmberKeys.MEMORY_STORAGE_FRACTION.defaultValue());
        assertEquals(Optional.of(true), EmberKeys.CLEANER_REFERENCE_TRACKING.defaultValue());
        assertEquals(Optional.of(Duration.ofMinutes(30)), EmberKeys.CLEANER_PERIODIC_GC_INTERVAL.defaultValue());
        assertEquals(Optional.of(4L << 20), EmberKeys.SHUFFLE_ACCURATE_BLOCK_THRESHOLD.defaultValue());
        assertEquals(Optional.of(Duration.ofSeconds(3)), EmberKeys.LOCALITY_WAIT.defaultValue());
        assertEquals(Optional.of(0), EmberKeys.DEFAULT_PARALLELISM.defaultValue());
        assertEquals(Optional.of(""), EmberKeys.JARS.defaultValue());
        assertEquals(Optional.of(""), EmberKeys.SERIALIZER_FILTER.defaultValue());
        assertEquals(Optional.of("default"), EmberKeys.CLUSTER.defaultValue());
        assertEquals(Optional.empty(), EmberKeys.ZOOKEEPER_CONNECT.defaultValue());
        assertEquals(Optional.of(Duration.ofSeconds(4)), EmberKeys.ZOOKEEPER_SESSION_TIMEOUT.defaultValue());
        assertEquals(Optional.of(Duration.ofSeconds(10)), EmberKeys.ZOOKEEPER_CONNECTION_TIMEOUT.defaultValue());
        assertEquals(Optional.of("127.0.0.1"), EmberKeys.HOST.defaultValue());
        assertEquals(Optional.of(Duration.ofSeconds(10)), EmberKeys.RPC_TIMEOUT.defaultValue());
        assertEquals(Optional.empty(), EmberKeys.AUTH_SECRET.defaultValue());
        assertEquals(Optional.of(7077), EmberKeys.MASTER_PORT.defaultValue());
        assertEquals(Optional.of("spread"), EmberKeys.MASTER_PLACEMENT.defaultValue());
        assertEquals(Optional.of(0), EmberKeys.WORKER_PORT.defaultValue());
        assertEquals(Optional.empty(), EmberKeys.WORKER_CORES.defaultValue());
        assertEquals(Optional.empty(), EmberKeys.WORKER_MEMORY.defaultValue());
        assertEquals(Optional.of("work"), EmberKeys.WORKER_WORK_DIR.defaultValue());
        assertEquals(Optional.of(false), EmberKeys.WORKER_KEEP_WORK_DIRS.defaultValue());
        assertEquals(Optional.of(1L << 30), EmberKeys.EXECUTOR_MEMORY.defaultValue());
        assertEquals(Optional.of(""), EmberKeys.EXECUTOR_JAVA_OPTIONS.defaultValue());
        assertEquals(Optional.of(Duration.ofSeconds(1)), EmberKeys.EXECUTOR_HEARTBEAT_INTERVAL.defaultValue());
        assertEquals(Optional.of(Duration.ofSeconds(10)), EmberKeys.EXECUTOR_HEARTBEAT_TIMEOUT.defaultValue());
        assertEquals(Optional.of(3), EmberKeys.EXECUTOR_MAX_LAUNCH_FAILURES.defaultValue());
        assertEquals(Optional.of(10), EmberKeys.EXECUTOR_MAX_FAILURES.defaultValue());
        assertEquals(Optional.empty(), EmberKeys.MASTER.defaultValue());
        assertEquals(Optional.of("ember-application"), EmberKeys.APP_NAME.defaultValue());
        assertEquals(Optional.of("default"), EmberKeys.APP_QUEUE.defaultValue());
        assertEquals(Optional.of(0), EmberKeys.DRIVER_PORT.defaultValue());
        assertEquals(Optional.of(Duration.ofSeconds(15)), EmberKeys.DRIVER_STOP_TIMEOUT.defaultValue());
        assertEquals(Optional.of(4040), EmberKeys.UI_PORT.defaultValue());
        assertEquals(Optional.of(8080), EmberKeys.MASTER_UI_PORT.defaultValue());
        assertEquals(Optional.of(8081), EmberKeys.WORKER_UI_PORT.defaultValue());
        assertEquals(Optional.of(18080), EmberKeys.HISTORY_UI_PORT.defaultValue());
        assertEquals(Optional.of(16), EmberKeys.UI_PORT_RETRIES.defaultValue());
        assertEquals(Optional.of(1_000), EmberKeys.UI_RETAINED_JOBS.defaultValue());
        assertEquals(Optional.of(1_000), EmberKeys.UI_RETAINED_STAGES.defaultValue());
        assertEquals(Optional.of(100_000), EmberKeys.UI_RETAINED_TASKS.defaultValue());
        assertEquals(Optional.of(100), EmberKeys.UI_RETAINED_DEAD_EXECUTORS.defaultValue());
        assertEquals(Optional.of(false), EmberKeys.EVENT_LOG_ENABLED.defaultValue());
        assertEquals(Optional.of("/tmp/ember-events"), EmberKeys.EVENT_LOG_DIR.defaultValue());
        assertEquals(Optional.of(true), EmberKeys.EVENT_LOG_COMPRESS.defaultValue());
        assertEquals(Optional.of(128L << 20), EmberKeys.EVENT_LOG_ROLL_SIZE.defaultValue());
        assertEquals(Optional.of(Duration.ofSeconds(10)), EmberKeys.HISTORY_UPDATE_INTERVAL.defaultValue());
        assertEquals(Optional.of(Duration.ofDays(7)), EmberKeys.HISTORY_MAX_AGE.defaultValue());
        assertEquals(Optional.of(1_000), EmberKeys.HISTORY_MAX_APPLICATIONS.defaultValue());
    }

    @Test
    void noKeyIsRequiredAndEveryKeyHasADoc() {
        for (ConfigKey<?> key : EmberKeys.all()) {
            assertEquals(false, key.isRequired(), key.name());
            assertEquals(false, key.doc().isBlank(), key.name());
            assertEquals(false, key.isPattern(), key.name());
        }
    }

    @Test
    void pinsHowEveryKeyRefusesABadValue() {
        List<Map.Entry<ConfigKey<?>, List<String>>> refusals = List.of(
                Map.entry(EmberKeys.SCHEDULER, List.of("Fair", "'Fair' is not allowed; expected a string, "
                        + "a policy name (lower-case letters, digits and -)")),
                Map.entry(EmberKeys.ALLOCATION, List.of("my policy", "'my policy' is not allowed; expected a string, "
                        + "a policy name (lower-case letters, digits and -)")),
                Map.entry(EmberKeys.SHUFFLE, List.of("", "'' is not allowed; expected a string, "
                        + "a policy name (lower-case letters, digits and -)")),
                Map.entry(EmberKeys.SHUFFLE_SERVICE_ENABLED, List.of("on", "'on' is not true or false; expected true or false")),
                Map.entry(EmberKeys.SHUFFLE_SERVICE_PORT, List.of("65536", "'65536' is not allowed; expected an integer, "
                        + "at least 0, at most 65535")),
                Map.entry(EmberKeys.SHUFFLE_SERVICE_EMBEDDED, List.of("no", "'no' is not true or false; expected true or false")),
                Map.entry(EmberKeys.SHUFFLE_SERVICE_MAX_CONNECTIONS, List.of("0", "'0' is not allowed; expected an "
                        + "integer, at least 1, at most 1000000")),
                Map.entry(EmberKeys.SHUFFLE_SERVICE_AUTH_TIMEOUT, List.of("10ms", "'10ms' is not allowed; expected a "
                        + "duration such as 500ms, 5s, 2m or 1h, at least 100ms")),
                Map.entry(EmberKeys.SHUFFLE_SERVICE_CONNECT_TIMEOUT, List.of("50ms", "'50ms' is not allowed; expected a "
                        + "duration such as 500ms, 5s, 2m or 1h, at least 100ms")),
                Map.entry(EmberKeys.SHUFFLE_SERVICE_IDLE_TIMEOUT, List.of("500ms", "'500ms' is not allowed; expected a "
                        + "duration such as 500ms, 5s, 2m or 1h, at least 1s")),
                Map.entry(EmberKeys.PLUGINS_DIR, List.of("  ", "'' is not allowed; expected a string, not empty")),
                Map.entry(EmberKeys.PLUGINS_PARENT_FIRST_PACKAGES, List.of("com.acme,,org.x", "'com.acme,,org.x' is not allowed; "
                        + "expected a string, comma-separated Java package names")),
                Map.entry(EmberKeys.EXECUTOR_INSTANCES, List.of("-1", "'-1' is not allowed; expected an integer, at least 0")),
                Map.entry(EmberKeys.EXECUTOR_CORES, List.of("0", "'0' is not allowed; expected an integer, at least 1")),
                Map.entry(EmberKeys.TASK_CPUS, List.of("one", "'one' is not an integer; expected an integer, at least 1")),
                Map.entry(EmberKeys.TASK_MAX_FAILURES, List.of("0", "'0' is not allowed; expected an integer, at least 1")),
                Map.entry(EmberKeys.TASK_LAUNCH_AHEAD, List.of("65", "'65' is not allowed; expected an integer, at "
                        + "least 0, at most 64")),
                Map.entry(EmberKeys.TASK_LAUNCH_AHEAD_MAX_TASK_TIME, List.of("-1s", "'-1s' is not a duration such as "
                        + "500ms, 5s, 2m or 1h; expected a duration such as 500ms, 5s, 2m or 1h, at least 0ms")),
                Map.entry(EmberKeys.SCHEDULER_RELOAD_INTERVAL, List.of("often", "'often' is not a duration such as "
                        + "500ms, 5s, 2m or 1h; expected a duration such as 500ms, 5s, 2m or 1h, at least 0ms")),
                Map.entry(EmberKeys.SERIALIZER, List.of("kryo", "'kryo' is not one of fory, java; expected one of fory, java")),
                Map.entry(EmberKeys.TASK_MAX_DIRECT_RESULT_SIZE, List.of("64m", "'64m' is not allowed; expected a size "
                        + "such as 512k, 64m or 2g, at least 0, at most 32m")),
                Map.entry(EmberKeys.DRIVER_MAX_RESULT_SIZE, List.of("1", "'1' is not allowed; expected a size such as "
                        + "512k, 64m or 2g, at least 1k")),
                Map.entry(EmberKeys.MEMORY_FRACTION, List.of("0", "'0' is not allowed; expected a number, greater "
                        + "than 0, at most 1")),
                Map.entry(EmberKeys.MEMORY_STORAGE_FRACTION, List.of("half", "'half' is not a number; expected a "
                        + "number, at least 0, at most 1")),
                Map.entry(EmberKeys.CLEANER_REFERENCE_TRACKING, List.of("no", "'no' is not true or false; expected true "
                        + "or false")),
                Map.entry(EmberKeys.CLEANER_PERIODIC_GC_INTERVAL, List.of("-1m", "'-1m' is not a duration such as "
                        + "500ms, 5s, 2m or 1h; expected a duration such as 500ms, 5s, 2m or 1h, at least 0ms")),
                Map.entry(EmberKeys.SHUFFLE_ACCURATE_BLOCK_THRESHOLD, List.of("0", "'0' is not allowed; expected a "
                        + "size such as 512k, 64m or 2g, at least 1")),
                Map.entry(EmberKeys.LOCALITY_WAIT, List.of("later", "'later' is not a duration such as 500ms, 5s, 2m "
                        + "or 1h; expected a duration such as 500ms, 5s, 2m or 1h, at least 0ms")),
                Map.entry(EmberKeys.DEFAULT_PARALLELISM, List.of("-2", "'-2' is not allowed; expected an integer, at "
                        + "least 0")),
                Map.entry(EmberKeys.CLUSTER, List.of("Prod", "'Prod' is not allowed; expected a string, "
                        + "a cluster name (lower-case letters, digits and -)")),
                Map.entry(EmberKeys.ZOOKEEPER_CONNECT, List.of("zk1,zk2:2181", "'zk1,zk2:2181' is not allowed; expected a string, "
                        + "host:port pairs separated by commas, then an optional /chroot")),
                Map.entry(EmberKeys.ZOOKEEPER_SESSION_TIMEOUT, List.of("100ms", "'100ms' is not allowed; expected a duration such "
                        + "as 500ms, 5s, 2m or 1h, at least 500ms")),
                Map.entry(EmberKeys.ZOOKEEPER_CONNECTION_TIMEOUT, List.of("soon", "'soon' is not a duration such as 500ms, 5s, "
                        + "2m or 1h; expected a duration such as 500ms, 5s, 2m or 1h, at least 100ms")),
                Map.entry(EmberKeys.ZOOKEEPER_BIND_ADDRESS, List.of("my host", "'my host' is not allowed; expected a string, a "
                        + "host name or IP address")),
                Map.entry(EmberKeys.ZOOKEEPER_ADVERTISED_ADDRESS, List.of("my host", "'my host' is not allowed; expected a "
                        + "string, a host name or IP address")),
                Map.entry(EmberKeys.HOST, List.of("my host", "'my host' is not allowed; expected a string, a host name or IP "
                        + "address")),
                Map.entry(EmberKeys.RPC_TIMEOUT, List.of("0", "'0' is not allowed; expected a duration such as 500ms, 5s, 2m or "
                        + "1h, at least 100ms")),
                Map.entry(EmberKeys.RPC_MAX_CONNECTIONS, List.of("many", "'many' is not an integer; expected an integer, "
                        + "at least 1, at most 1000000")),
                Map.entry(EmberKeys.RPC_AUTH_TIMEOUT, List.of("0", "'0' is not allowed; expected a duration such as "
                        + "500ms, 5s, 2m or 1h, at least 100ms")),
                Map.entry(EmberKeys.RPC_IDLE_TIMEOUT, List.of("999ms", "'999ms' is not allowed; expected a duration such "
                        + "as 500ms, 5s, 2m or 1h, at least 1s")),
                Map.entry(EmberKeys.AUTH_SECRET, List.of("short", "the value (not shown) is not allowed; expected a string, at least 16 "
                        + "characters")),
                Map.entry(EmberKeys.MASTER_BIND_ADDRESS, List.of("my host", "'my host' is not allowed; expected a string, a host "
                        + "name or IP address")),
                Map.entry(EmberKeys.MASTER_ADVERTISED_ADDRESS, List.of("my host", "'my host' is not allowed; expected a string, a host "
                        + "name or IP address")),
                Map.entry(EmberKeys.WORKER_BIND_ADDRESS, List.of("my host", "'my host' is not allowed; expected a string, a host "
                        + "name or IP address")),
                Map.entry(EmberKeys.WORKER_ADVERTISED_ADDRESS, List.of("my host", "'my host' is not allowed; expected a string, a host "
                        + "name or IP address")),
                Map.entry(EmberKeys.DRIVER_BIND_ADDRESS, List.of("my host", "'my host' is not allowed; expected a string, a host "
                        + "name or IP address")),
                Map.entry(EmberKeys.DRIVER_ADVERTISED_ADDRESS, List.of("my host", "'my host' is not allowed; expected a string, a host "
                        + "name or IP address")),
                Map.entry(EmberKeys.MASTER_PORT, List.of("70000", "'70000' is not allowed; expected an integer, at least 0, "
                        + "at most 65535")),
                Map.entry(EmberKeys.MASTER_PLACEMENT, List.of("random", "'random' is not one of spread, pack; expected one of "
                        + "spread, pack")),
                Map.entry(EmberKeys.WORKER_PORT, List.of("-1", "'-1' is not allowed; expected an integer, at least 0, "
                        + "at most 65535")),
                Map.entry(EmberKeys.WORKER_CORES, List.of("0", "'0' is not allowed; expected an integer, at least 1")),
                Map.entry(EmberKeys.WORKER_MEMORY, List.of("1m", "'1m' is not allowed; expected a size such as 512k, 64m or 2g, "
                        + "at least 32m")),
                Map.entry(EmberKeys.WORKER_WORK_DIR, List.of(" ", "'' is not allowed; expected a string, not empty")),
                Map.entry(EmberKeys.WORKER_KEEP_WORK_DIRS, List.of("yes", "'yes' is not true or false; expected true or false")),
                Map.entry(EmberKeys.WORKER_CLEANUP_INTERVAL, List.of("0s",
                        "'0s' is not allowed; expected a duration such as 500ms, 5s, 2m or 1h, at least 1s")),
                Map.entry(EmberKeys.WORKER_CLEANUP_GRACE, List.of("soon",
                        "'soon' is not a duration such as 500ms, 5s, 2m or 1h; expected a duration such as 500ms, 5s, 2m or 1h, "
                        + "at least 0ms")),
                Map.entry(EmberKeys.EXECUTOR_MEMORY, List.of("1g1", "'1g1' is not a size such as 512k, 64m or 2g; expected a "
                        + "size such as 512k, 64m or 2g, at least 32m")),
                Map.entry(EmberKeys.EXECUTOR_HEARTBEAT_INTERVAL, List.of("1ms", "'1ms' is not allowed; expected a duration such "
                        + "as 500ms, 5s, 2m or 1h, at least 10ms")),
                Map.entry(EmberKeys.EXECUTOR_HEARTBEAT_TIMEOUT, List.of("50ms", "'50ms' is not allowed; expected a duration "
                        + "such as 500ms, 5s, 2m or 1h, at least 100ms")),
                Map.entry(EmberKeys.EXECUTOR_MAX_LAUNCH_FAILURES, List.of("0", "'0' is not allowed; expected an "
                        + "integer, at least 1")),
                Map.entry(EmberKeys.EXECUTOR_MAX_FAILURES, List.of("none", "'none' is not an integer; expected an "
                        + "integer, at least 1")),
                Map.entry(EmberKeys.APP_NAME, List.of(" ", "'' is not allowed; expected a string, not blank")),
                Map.entry(EmberKeys.APP_QUEUE, List.of("ETL", "'ETL' is not allowed; expected a string, a queue name "
                        + "(lower-case letters, digits and -)")),
                Map.entry(EmberKeys.DRIVER_PORT, List.of("x", "'x' is not an integer; expected an integer, at least 0, "
                        + "at most 65535")),
                Map.entry(EmberKeys.DRIVER_STOP_TIMEOUT, List.of("0s", "'0s' is not allowed; expected a duration such "
                        + "as 500ms, 5s, 2m or 1h, greater than 0ms")),
                Map.entry(EmberKeys.CONSOLE_PROGRESS, List.of("yes", "'yes' is not true or false; expected true or false")),
                Map.entry(EmberKeys.CONSOLE_LOGS, List.of("stderr", "'stderr' is not one of auto, console, file; expected "
                        + "one of auto, console, file")),
                Map.entry(EmberKeys.CONSOLE_LOG_DIR, List.of(" ", "'' is not allowed; expected a string, not empty")),
                Map.entry(EmberKeys.UI_PORT, List.of("-1", "'-1' is not allowed; expected an integer, at least 0, "
                        + "at most 65535")),
                Map.entry(EmberKeys.MASTER_UI_PORT, List.of("65536", "'65536' is not allowed; expected an integer, "
                        + "at least 0, at most 65535")),
                Map.entry(EmberKeys.WORKER_UI_PORT, List.of("http", "'http' is not an integer; expected an integer, "
                        + "at least 0, at most 65535")),
                Map.entry(EmberKeys.HISTORY_UI_PORT, List.of("0", "'0' is not allowed; expected an integer, at least "
                        + "1, at most 65535")),
                Map.entry(EmberKeys.UI_PORT_RETRIES, List.of("-1", "'-1' is not allowed; expected an integer, at "
                        + "least 0, at most 1000")),
                Map.entry(EmberKeys.UI_RETAINED_JOBS, List.of("0", "'0' is not allowed; expected an integer, at least 1")),
                Map.entry(EmberKeys.UI_RETAINED_STAGES, List.of("0", "'0' is not allowed; expected an integer, at "
                        + "least 1")),
                Map.entry(EmberKeys.UI_RETAINED_TASKS, List.of("-1", "'-1' is not allowed; expected an integer, at "
                        + "least 0")),
                Map.entry(EmberKeys.UI_RETAINED_DEAD_EXECUTORS, List.of("many", "'many' is not an integer; expected "
                        + "an integer, at least 0")),
                Map.entry(EmberKeys.EVENT_LOG_ENABLED, List.of("on", "'on' is not true or false; expected true or false")),
                Map.entry(EmberKeys.EVENT_LOG_DIR, List.of(" ", "'' is not allowed; expected a string, not blank")),
                Map.entry(EmberKeys.EVENT_LOG_COMPRESS, List.of("gzip", "'gzip' is not true or false; expected true "
                        + "or false")),
                Map.entry(EmberKeys.EVENT_LOG_ROLL_SIZE, List.of("1", "'1' is not allowed; expected a size such as "
                        + "512k, 64m or 2g, at least 1k")),
                Map.entry(EmberKeys.HISTORY_UPDATE_INTERVAL, List.of("10ms", "'10ms' is not allowed; expected a "
                        + "duration such as 500ms, 5s, 2m or 1h, at least 100ms")),
                Map.entry(EmberKeys.HISTORY_MAX_AGE, List.of("1s", "'1s' is not allowed; expected a duration such as "
                        + "500ms, 5s, 2m or 1h, at least 1m")),
                Map.entry(EmberKeys.HISTORY_MAX_APPLICATIONS, List.of("0", "'0' is not allowed; expected an integer, "
                        + "at least 1")));
        // ember.executor.javaOptions, ember.master, ember.jars and ember.serializer.filter accept any text here
        // (the last two are checked when a driver starts); every other key is pinned here.
        assertEquals(EmberKeys.all().size() - 4, refusals.size());
        refusals.forEach(entry -> {
            ConfigKey<?> key = entry.getKey();
            List<String> refusal = entry.getValue();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> key.parse(refusal.get(0)),
                    key.name());
            assertEquals(refusal.get(1), e.getMessage(), key.name());
        });
    }

    @Test
    void acceptsTypicalValues() {
        assertEquals("my-policy2", EmberKeys.SCHEDULER.parse("my-policy2"));
        assertEquals("/opt/ember/plugins", EmberKeys.PLUGINS_DIR.parse(" /opt/ember/plugins "));
        assertEquals("com.acme., org.slf4j", EmberKeys.PLUGINS_PARENT_FIRST_PACKAGES.parse("com.acme., org.slf4j"));
        assertEquals(0, EmberKeys.EXECUTOR_INSTANCES.parse("0"));
    }

    @Test
    void namesTheSelectorOfEachKind() {
        assertSame(EmberKeys.SCHEDULER, EmberKeys.selector(PolicyKind.SCHEDULER));
        assertSame(EmberKeys.ALLOCATION, EmberKeys.selector(PolicyKind.ALLOCATION));
        assertSame(EmberKeys.SHUFFLE, EmberKeys.selector(PolicyKind.SHUFFLE));
        for (PolicyKind kind : PolicyKind.values()) {
            assertEquals(kind.selectorKey(), EmberKeys.selector(kind).name());
        }
    }

    @Test
    void mapsEveryKeyToItsEnvironmentVariable() {
        assertEquals(List.of("EMBER_SCHEDULER", "EMBER_SCHEDULER_RELOADINTERVAL", "EMBER_ALLOCATION", "EMBER_SHUFFLE",
                        "EMBER_SHUFFLE_SERVICE_ENABLED", "EMBER_SHUFFLE_SERVICE_PORT",
                        "EMBER_SHUFFLE_SERVICE_EMBEDDED", "EMBER_SHUFFLE_SERVICE_MAXCONNECTIONS",
                        "EMBER_SHUFFLE_SERVICE_AUTHTIMEOUT", "EMBER_SHUFFLE_SERVICE_IDLETIMEOUT",
                        "EMBER_SHUFFLE_SERVICE_CONNECTTIMEOUT", "EMBER_PLUGINS_DIR",
                        "EMBER_PLUGINS_PARENTFIRSTPACKAGES", "EMBER_EXECUTOR_INSTANCES", "EMBER_EXECUTOR_CORES",
                        "EMBER_TASK_CPUS", "EMBER_TASK_MAXFAILURES", "EMBER_TASK_LAUNCHAHEAD", "EMBER_TASK_LAUNCHAHEAD_MAXTASKTIME",
                        "EMBER_TASK_MAXDIRECTRESULTSIZE",
                        "EMBER_DRIVER_MAXRESULTSIZE", "EMBER_MEMORY_FRACTION", "EMBER_MEMORY_STORAGEFRACTION",
                        "EMBER_CLEANER_REFERENCETRACKING", "EMBER_CLEANER_PERIODICGC_INTERVAL",
                        "EMBER_SHUFFLE_ACCURATEBLOCKTHRESHOLD", "EMBER_LOCALITY_WAIT",
                        "EMBER_DEFAULT_PARALLELISM", "EMBER_JARS", "EMBER_SERIALIZER", "EMBER_SERIALIZER_FILTER", "EMBER_CLUSTER", "EMBER_ZOOKEEPER_CONNECT", "EMBER_ZOOKEEPER_SESSIONTIMEOUT",
                        "EMBER_ZOOKEEPER_CONNECTIONTIMEOUT", "EMBER_ZOOKEEPER_BINDADDRESS",
                        "EMBER_ZOOKEEPER_ADVERTISEDADDRESS", "EMBER_HOST", "EMBER_RPC_TIMEOUT", "EMBER_RPC_MAXCONNECTIONS",
                        "EMBER_RPC_AUTHTIMEOUT", "EMBER_RPC_IDLETIMEOUT", "EMBER_AUTH_SECRET",
                        "EMBER_MASTER_BINDADDRESS", "EMBER_MASTER_ADVERTISEDADDRESS", "EMBER_MASTER_PORT",
                        "EMBER_MASTER_PLACEMENT", "EMBER_WORKER_BINDADDRESS", "EMBER_WORKER_ADVERTISEDADDRESS",
                        "EMBER_WORKER_PORT", "EMBER_WORKER_CORES",
                        "EMBER_WORKER_MEMORY", "EMBER_WORKER_WORKDIR", "EMBER_WORKER_KEEPWORKDIRS",
                        "EMBER_WORKER_CLEANUP_INTERVAL", "EMBER_WORKER_CLEANUP_GRACE", "EMBER_EXECUTOR_MEMORY",
                        "EMBER_EXECUTOR_JAVAOPTIONS", "EMBER_EXECUTOR_HEARTBEATINTERVAL",
                        "EMBER_EXECUTOR_HEARTBEATTIMEOUT", "EMBER_EXECUTOR_MAXLAUNCHFAILURES",
                        "EMBER_EXECUTOR_MAXFAILURES", "EMBER_MASTER", "EMBER_APP_NAME", "EMBER_APP_QUEUE",
                        "EMBER_DRIVER_BINDADDRESS", "EMBER_DRIVER_ADVERTISEDADDRESS", "EMBER_DRIVER_PORT",
                        "EMBER_DRIVER_STOPTIMEOUT", "EMBER_CONSOLE_PROGRESS",
                        "EMBER_CONSOLE_LOGS", "EMBER_CONSOLE_LOGDIR", "EMBER_UI_PORT", "EMBER_MASTER_UI_PORT",
                        "EMBER_WORKER_UI_PORT", "EMBER_HISTORY_UI_PORT", "EMBER_UI_PORTRETRIES",
                        "EMBER_UI_RETAINEDJOBS", "EMBER_UI_RETAINEDSTAGES", "EMBER_UI_RETAINEDTASKS",
                        "EMBER_UI_RETAINEDDEADEXECUTORS", "EMBER_EVENTLOG_ENABLED", "EMBER_EVENTLOG_DIR",
                        "EMBER_EVENTLOG_COMPRESS", "EMBER_EVENTLOG_ROLLSIZE", "EMBER_HISTORY_UPDATEINTERVAL",
                        "EMBER_HISTORY_MAXAGE", "EMBER_HISTORY_MAXAPPLICATIONS"),
                EmberKeys.all().stream().map(k -> EnvironmentVariables.nameOf(k.name())).toList());
    }
}
