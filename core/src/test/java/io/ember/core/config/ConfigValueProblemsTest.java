package io.ember.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class ConfigValueProblemsTest {

    private static final KeyCatalog CATALOG = TestingCatalog.catalog();

    @TempDir
    Path root;

    private static List<ConfigProblem> problems(ConfigSources sources, KeyCatalog catalog) {
        return assertThrows(ConfigException.class, () -> EmberConfig.resolve(sources, catalog)).problems();
    }

    @Test
    void aValueOfTheWrongTypeNamesKeyFileLineAndAllowedValues() {
        assertEquals(List.of(new ConfigProblem("ember.executor.cores", "conf/ember.properties:3",
                        "'four' is not an integer; expected an integer, at least 1")),
                problems(ConfDir.in(root).write("ember.properties", "# executors", "", "ember.executor.cores = four")
                        .sources(), CATALOG));
    }

    @Test
    void aValueOutOfRangeInAPolicyFileNamesTheFullKeyFileLineAndAllowedValues() {
        assertEquals(List.of(new ConfigProblem("ember.scheduler.fair.reload.interval", "conf/scheduler-fair.properties:2",
                        "'10ms' is not allowed; expected a duration such as 500ms, 5s, 2m or 1h, at least 100ms")),
                problems(ConfDir.in(root).write("scheduler-fair.properties", "pool.a.weight=1", "reload.interval=10ms")
                        .sources(), CATALOG));
    }

    @Test
    void aValueNotAmongTheChoicesListsThem() {
        assertEquals(List.of(new ConfigProblem("ember.scheduler.fair.pool.etl.mode", "conf/scheduler-fair.properties:1",
                        "'lifo' is not one of FIFO, FAIR; expected one of FIFO, FAIR")),
                problems(ConfDir.in(root).write("scheduler-fair.properties", "pool.etl.mode=lifo").sources(), CATALOG));
    }

    @Test
    void executorJavaOptionsThatAreNoJvmOptionsAreRefusedWithTheRule() {
        List<ConfigProblem> problems = problems(ConfDir.in(root)
                .write("ember.properties", "ember.executor.javaOptions=-Xss2m Xmx1g").sources(), CATALOG);
        assertEquals(1, problems.size(), problems.toString());
        assertEquals("ember.executor.javaOptions", problems.get(0).key());
        assertEquals("conf/ember.properties:1", problems.get(0).origin());
        assertTrue(problems.get(0).message().contains(JavaOptions.DESCRIPTION), problems.get(0).message());
    }

    @Test
    void aBadValueFromTheEnvironmentNamesTheVariable() {
        assertEquals(List.of(new ConfigProblem("ember.task.cpus", "environment variable EMBER_TASK_CPUS",
                        "'0' is not allowed; expected an integer, at least 1")),
                problems(ConfigSources.read(null, Map.of("EMBER_TASK_CPUS", "0"), Map.of(), Map.of()), CATALOG));
    }

    @Test
    void aBadValueIsReportedEvenWhenAHigherLayerOverridesIt() {
        assertEquals(List.of(new ConfigProblem("ember.executor.instances", "conf/ember.properties:1",
                        "'many' is not an integer; expected an integer, at least 0")),
                problems(ConfDir.in(root).write("ember.properties", "ember.executor.instances=many")
                        .sources(Map.of(), Map.of("ember.executor.instances", "3"), Map.of()), CATALOG));
    }

    @Test
    void aKeySetTwiceInOneFileNamesBothLines() {
        assertEquals(List.of(new ConfigProblem("ember.scheduler.fair.pool.a.weight", "conf/scheduler-fair.properties:4",
                        "is set twice in this file, also at line 1")),
                problems(ConfDir.in(root).write("scheduler-fair.properties",
                        "pool.a.weight=1", "pool.b.weight=1", "", "pool.a.weight=2").sources(), CATALOG));
    }

    @Test
    void aRequiredKeyWithoutValueIsAProblem() {
        assertEquals(List.of(new ConfigProblem("ember.shuffle.spill.spill.dir", "default",
                        "is required and has no value; expected a string")),
                problems(ConfigSources.read(null, Map.of(), Map.of(), Map.of()), TestingCatalog.catalogWithRequiredKey()));
    }

    @Test
    void moreCoresPerTaskThanPerExecutorIsAProblem() {
        assertEquals(List.of(new ConfigProblem("ember.task.cpus", "application setting",
                        "4 exceeds ember.executor.cores (2, from conf/ember.properties:1), so no executor could run a task")),
                problems(ConfDir.in(root).write("ember.properties", "ember.executor.cores=2")
                        .sources(Map.of(), Map.of(), Map.of("ember.task.cpus", "4")), CATALOG));
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        ConfigSources sources = ConfDir.in(root)
                .write("ember.properties", "ember.executor.cores=0", "ember.task.cpu=1", "ember.plugins.dir= ")
                .write("scheduler-fair.properties", "pool.a.weight=-1", "pool.a.weight=2")
                .write("shuffle-sorted.properties", "compress.codec=lz4")
                .sources(Map.of("EMBER_EXECUTOR_INSTANCES", "x", "EMBER_NOPE", "1"),
                        Map.of("ember.allocation.dynamic.minExecutors", "-2"),
                        Map.of("ember.shuffle.sort.compress.codec", "gzip"));
        ConfigException e = assertThrows(ConfigException.class, () -> EmberConfig.resolve(sources, CATALOG));
        assertEquals(List.of(
                        "ember.scheduler.fair.pool.a.weight (conf/scheduler-fair.properties:2)",
                        "ember.executor.cores (conf/ember.properties:1)",
                        "ember.task.cpu (conf/ember.properties:2)",
                        "ember.plugins.dir (conf/ember.properties:3)",
                        "ember.scheduler.fair.pool.a.weight (conf/scheduler-fair.properties:1)",
                        " (conf/shuffle-sorted.properties)",
                        "ember.executor.instances (environment variable EMBER_EXECUTOR_INSTANCES)",
                        "EMBER_NOPE (environment variable EMBER_NOPE)",
                        "ember.allocation.dynamic.minExecutors (system property -Dember.allocation.dynamic.minExecutors)",
                        "ember.shuffle.sort.compress.codec (application setting)"),
                e.problems().stream().map(p -> p.key() + " (" + p.origin() + ")").toList());
        assertEquals("10 configuration problems:", e.getMessage().lines().findFirst().orElseThrow());
        assertEquals(11, e.getMessage().lines().count());
    }
}
