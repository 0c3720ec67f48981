package io.ember.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class ConfigSourcesTest {

    @TempDir
    Path root;

    private Path conf;

    @BeforeEach
    void createConfDir() throws IOException {
        conf = Files.createDirectory(root.resolve("conf"));
    }

    @Test
    void readsNothingFromAMissingConfDir() {
        ConfigSources sources = ConfigSources.read(root.resolve("absent"), Map.of(), Map.of(), Map.of());
        assertEquals(List.of(), sources.inPrecedenceOrder());
        assertEquals(List.of(), sources.problems());
    }

    @Test
    void readsNothingWithoutAConfDir() {
        ConfigSources sources = ConfigSources.read(null, Map.of(), Map.of(), Map.of());
        assertEquals(List.of(), sources.inPrecedenceOrder());
    }

    @Test
    void reportsAConfPathThatIsAFile() throws IOException {
        Path file = Files.writeString(root.resolve("conf-file"), "x");
        ConfigSources sources = ConfigSources.read(file, Map.of(), Map.of(), Map.of());
        assertEquals(List.of(new ConfigProblem("", file.toString(), "is not a directory")), sources.problems());
    }

    @Test
    void readsOnlyEmberPropertiesAndPolicyFiles() throws IOException {
        write("ember.properties", "ember.task.cpus=1");
        write("scheduler-fair.properties", "reload.interval=1s");
        write("shuffle-my-sort.properties", "codec=lz4");
        write("log4j.properties", "rootLogger=INFO");
        write("scheduler-fair.properties.bak", "reload.interval=2s");
        write("tasks-fair.properties", "x=1");
        write("notes.txt", "ember.task.cpus=9");
        ConfigSources sources = ConfigSources.read(conf, Map.of(), Map.of(), Map.of());
        assertEquals(List.of("conf/ember.properties:1", "conf/scheduler-fair.properties:1",
                        "conf/shuffle-my-sort.properties:1"),
                sources.inPrecedenceOrder().stream().map(RawSetting::origin).toList());
        assertEquals(Optional.of("lz4"), sources.rawValue("ember.shuffle.my-sort.codec"));
    }

    @Test
    void givesTheRawValueOfTheHighestLayerThatSetsAKey() throws IOException {
        write("ember.properties", "ember.executor.instances=1");
        Map<String, String> env = Map.of("EMBER_EXECUTOR_INSTANCES", "2");
        Map<String, String> system = Map.of("ember.executor.instances", "3");
        Map<String, String> app = Map.of("ember.executor.instances", "4");
        String key = "ember.executor.instances";
        assertEquals(Optional.of("1"), ConfigSources.read(conf, Map.of(), Map.of(), Map.of()).rawValue(key));
        assertEquals(Optional.of("2"), ConfigSources.read(conf, env, Map.of(), Map.of()).rawValue(key));
        assertEquals(Optional.of("3"), ConfigSources.read(conf, env, system, Map.of()).rawValue(key));
        assertEquals(Optional.of("4"), ConfigSources.read(conf, env, system, app).rawValue(key));
        assertEquals(Optional.empty(), ConfigSources.read(conf, env, system, app).rawValue("ember.task.cpus"));
    }

    @Test
    void givesAPolicyFileValueUnderItsFullKeyAbovePropertiesInEmberProperties() throws IOException {
        write("ember.properties", "ember.scheduler.fair.reload.interval=1s");
        write("scheduler-fair.properties", "reload.interval=2s");
        ConfigSources sources = ConfigSources.read(conf, Map.of(), Map.of(), Map.of());
        assertEquals(Optional.of("2s"), sources.rawValue("ember.scheduler.fair.reload.interval"));
    }

    @Test
    void ignoresTheLauncherVariablesAndEverythingOutsideEmbersNamespace() {
        Map<String, String> env = Map.of("EMBER_HOME", "/opt/ember", "EMBER_CONF_DIR", "/etc/ember",
                "EMBER_JAVA_OPTS", "-Xmx1g", "EMBER_JAVA", "java", "EMBER_LOG_DIR", "/var/log", "PATH", "/bin",
                "EMBER_TASK_CPUS", "2");
        Map<String, String> system = Map.of("java.home", "/jdk", "embers.x", "1", "ember.task.cpus", "3");
        Map<String, String> app = Map.of("myapp.input", "/data", "ember.executor.cores", "4");
        ConfigSources sources = ConfigSources.read(null, env, system, app);
        assertEquals(List.of("environment variable EMBER_TASK_CPUS", "system property -Dember.task.cpus",
                        "application setting"),
                sources.inPrecedenceOrder().stream().map(RawSetting::origin).toList());
    }

    @Test
    void stacksApplicationSettingsOnTopOfThoseGivenBefore() {
        ConfigSources sources = ConfigSources.read(null, Map.of(), Map.of(),
                        Map.of("ember.task.cpus", "1", "ember.executor.cores", "2"))
                .withApplicationSettings(Map.of("ember.task.cpus", "2"));
        assertEquals(Optional.of("2"), sources.rawValue("ember.task.cpus"));
        assertEquals(Optional.of("2"), sources.rawValue("ember.executor.cores"));
    }

    @Test
    void namesFilesRelativeToTheConfDirsParent() throws IOException {
        write("ember.properties", "# comment", "ember.task.cpus=1", "ember.task.cpus=2");
        ConfigSources sources = ConfigSources.read(conf, Map.of(), Map.of(), Map.of());
        assertEquals(List.of(new ConfigProblem("ember.task.cpus", "conf/ember.properties:3",
                "is set twice in this file, also at line 2")), sources.problems());
    }

    @Test
    void namesAProblemInAPolicyFileByItsFullKey() throws IOException {
        write("scheduler-fair.properties", "pool.a.weight=\\uZZZZ");
        ConfigSources sources = ConfigSources.read(conf, Map.of(), Map.of(), Map.of());
        assertEquals(List.of(new ConfigProblem("ember.scheduler.fair.pool.a.weight", "conf/scheduler-fair.properties:1",
                "malformed escape '\\uZZZZ': \\u must be followed by four hexadecimal digits")), sources.problems());
    }

    private void write(String name, String... lines) throws IOException {
        Files.writeString(conf.resolve(name), String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    }
}
