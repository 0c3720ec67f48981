package io.ember.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.api.plugin.PolicyKind;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class UnknownKeysTest {

    private static final KeyCatalog CATALOG = TestingCatalog.catalog();

    @TempDir
    Path root;

    private List<ConfigProblem> problems(ConfigSources sources) {
        return assertThrows(ConfigException.class, () -> EmberConfig.resolve(sources, CATALOG)).problems();
    }

    private List<ConfigProblem> problems(Map<String, String> env, Map<String, String> system, Map<String, String> app) {
        return problems(ConfigSources.read(null, env, system, app));
    }

    @Test
    void aMisspeltKeyInEmberPropertiesSuggestsTheKeyMeant() {
        assertEquals(List.of(new ConfigProblem("ember.executor.core", "conf/ember.properties:2",
                        "unknown key (did you mean ember.executor.cores?)")),
                problems(ConfDir.in(root).write("ember.properties", "# cores", "ember.executor.core=2").sources()));
    }

    @Test
    void aMisspeltKeyInAPolicyFileSuggestsTheRelativeKeyMeant() {
        assertEquals(List.of(new ConfigProblem("ember.scheduler.fair.pool.reports.wieght",
                        "conf/scheduler-fair.properties:1",
                        "unknown key for the fair scheduler policy (did you mean pool.<name>.weight?)")),
                problems(ConfDir.in(root).write("scheduler-fair.properties", "pool.reports.wieght=2").sources()));
    }

    @Test
    void aMisspeltSystemPropertySuggestsTheKeyMeant() {
        assertEquals(List.of(new ConfigProblem("ember.task.cpu", "system property -Dember.task.cpu",
                        "unknown key (did you mean ember.task.cpus?)")),
                problems(Map.of(), Map.of("ember.task.cpu", "2"), Map.of()));
    }

    @Test
    void aMisspeltEnvironmentVariableSuggestsTheVariableMeant() {
        assertEquals(List.of(new ConfigProblem("EMBER_TASK_CPU", "environment variable EMBER_TASK_CPU",
                        "unknown environment variable (did you mean EMBER_TASK_CPUS?)")),
                problems(Map.of("EMBER_TASK_CPU", "2"), Map.of(), Map.of()));
    }

    @Test
    void aMisspeltPolicyKeyInTheEnvironmentSuggestsTheVariableMeant() {
        assertEquals(List.of(new ConfigProblem("EMBER_SCHEDULER_FAIR_RELOAD_INTERVALL",
                        "environment variable EMBER_SCHEDULER_FAIR_RELOAD_INTERVALL",
                        "unknown environment variable (did you mean EMBER_SCHEDULER_FAIR_RELOAD_INTERVAL?)")),
                problems(Map.of("EMBER_SCHEDULER_FAIR_RELOAD_INTERVALL", "1s"), Map.of(), Map.of()));
    }

    @Test
    void aMisspeltApplicationSettingSuggestsTheKeyMeant() {
        assertEquals(List.of(new ConfigProblem("ember.shufle", "application setting",
                        "unknown key (did you mean ember.shuffle?)")),
                problems(Map.of(), Map.of(), Map.of("ember.shufle", "sort")));
    }

    @Test
    void anUnrelatedEnvironmentVariableIsToldHowVariablesMapToKeys() {
        List<ConfigProblem> problems = problems(Map.of("EMBER_ZOOKEEPER_QUORUM_HOSTS", "zk:2181"), Map.of(), Map.of());
        assertEquals(1, problems.size());
        assertEquals("unknown environment variable; EMBER_* variables set Ember keys (ember.task.cpus is "
                + "EMBER_TASK_CPUS; keys with a <name> part have no variable), apart from the launcher's own: "
                + "EMBER_CONF_DIR, EMBER_HOME, EMBER_JAVA, EMBER_JAVA_OPTS, EMBER_LOG_DIR", problems.get(0).message());
    }

    @Test
    void aPatternKeyHasNoEnvironmentVariable() {
        List<ConfigProblem> problems =
                problems(Map.of("EMBER_SCHEDULER_FAIR_POOL_REPORTS_WEIGHT", "2"), Map.of(), Map.of());
        assertEquals(1, problems.size());
        assertTrue(problems.get(0).message().startsWith("unknown environment variable"), problems.get(0).message());
    }

    @Test
    void theLauncherVariablesAreNotSettings() {
        EmberConfig config = EmberConfig.resolve(ConfigSources.read(null, Map.of("EMBER_HOME", "/opt/ember",
                "EMBER_CONF_DIR", "/etc/ember", "EMBER_JAVA_OPTS", "-Xmx2g", "EMBER_JAVA", "/usr/bin/java",
                "EMBER_LOG_DIR", "/var/log/ember"), Map.of(), Map.of()), CATALOG);
        assertEquals("plugins", config.get(EmberKeys.PLUGINS_DIR));
    }

    @Test
    void keysOutsideEmbersNamespaceAreIgnoredOutsideEmberProperties() {
        EmberConfig config = EmberConfig.resolve(ConfigSources.read(null, Map.of("PATH", "/bin", "JAVA_HOME", "/jdk"),
                Map.of("java.version", "17", "user.dir", "/"), Map.of("myapp.input", "/data")), CATALOG);
        assertEquals(1, config.get(EmberKeys.TASK_CPUS));
    }

    @Test
    void aKeyOutsideEmbersNamespaceInEmberPropertiesIsAnError() {
        assertEquals(List.of(new ConfigProblem("task.cpus", "conf/ember.properties:1",
                        "is not an Ember key; keys in ember.properties start with 'ember.' (did you mean ember.task.cpus?)")),
                problems(ConfDir.in(root).write("ember.properties", "task.cpus=2").sources()));
    }

    @Test
    void aFullKeyInAPolicyFileIsToldToBeRelative() {
        assertEquals(List.of(new ConfigProblem("ember.scheduler.fair.reload.interval", "conf/scheduler-fair.properties:1",
                        "keys in this file are relative to ember.scheduler.fair.; write reload.interval")),
                problems(ConfDir.in(root)
                        .write("scheduler-fair.properties", "ember.scheduler.fair.reload.interval=1s").sources()));
    }

    @Test
    void aPolicyFileForAPolicyNoPluginOffersListsTheAvailableOnes() {
        assertEquals(List.of(new ConfigProblem("", "conf/scheduler-fiar.properties",
                        "is for a scheduler policy named 'fiar', which no loaded plugin offers "
                                + "(did you mean scheduler-fair.properties?); available scheduler policies: fair, fifo")),
                problems(ConfDir.in(root)
                        .write("scheduler-fiar.properties", "pool.a.weight=1", "pool.b.weight=2").sources()));
    }

    @Test
    void aPolicyFileForAnUnknownPolicyIsFineWhenItSetsNothing() {
        EmberConfig config = EmberConfig.resolve(ConfDir.in(root)
                .write("allocation-elastic.properties", "# nothing here yet", "").sources(), CATALOG);
        assertEquals("static", config.selected(PolicyKind.ALLOCATION));
    }

    @Test
    void aPrefixedKeyForAPolicyNoPluginOffersListsTheAvailableOnes() {
        assertEquals(List.of(new ConfigProblem("ember.allocation.dynamc.minExecutors", "system property -Dember.allocation.dynamc.minExecutors",
                        "no loaded plugin offers an allocation policy named 'dynamc' (did you mean dynamic?); "
                                + "available: dynamic, static")),
                problems(Map.of(), Map.of("ember.allocation.dynamc.minExecutors", "1"), Map.of()));
    }

    @Test
    void leavesCheckingTheSelectedNameToThePluginHost() {
        EmberConfig config = EmberConfig.resolve(ConfDir.in(root).write("ember.properties", "ember.scheduler=fiar")
                .sources(), CATALOG);
        assertEquals("fiar", config.selected(PolicyKind.SCHEDULER));
    }
}
