package io.ember.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.api.config.ConfigKey;
import io.ember.api.plugin.PolicyKind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class ConfigTemplatesTest {

    private static final KeyCatalog CATALOG = TestingCatalog.catalog();

    @TempDir
    Path root;

    @Test
    void theCoreTemplateListsEveryCoreKeyCommentedOutWithItsDefault() {
        List<String> lines = ConfigTemplates.coreTemplate(CATALOG).lines().toList();
        for (ConfigKey<?> key : EmberKeys.all()) {
            String expected = "# " + key.name() + "=" + formattedDefault(key);
            assertTrue(lines.contains(expected), expected);
        }
        assertTrue(lines.contains("# ember.executor.cores=1"));
        assertTrue(lines.contains("# ember.plugins.parentFirstPackages="));
    }

    @Test
    void aPolicyTemplateListsRelativeKeysAndPatternsForAnExampleName() {
        List<String> lines = ConfigTemplates.policyTemplate(CATALOG, PolicyKind.SCHEDULER, "fair").lines().toList();
        assertTrue(lines.contains("# pool.example.weight=1"), lines.toString());
        assertTrue(lines.contains("# pool.example.mode=FIFO"), lines.toString());
        assertTrue(lines.contains("# reload.interval=10s"), lines.toString());
        assertTrue(lines.contains("# Allowed: an integer, at least 0. Default: 1."), lines.toString());
    }

    @Test
    void aTemplateSetsNothing() {
        assertEquals(List.of(), PropertiesFile.parse(ConfigTemplates.coreTemplate(CATALOG)).entries());
        assertEquals(List.of(), PropertiesFile.parse(
                ConfigTemplates.policyTemplate(CATALOG, PolicyKind.SCHEDULER, "fair")).entries());
    }

    @Test
    void keepsCommentLinesWithinOneHundredCharacters() {
        String template = ConfigTemplates.coreTemplate(CATALOG);
        template.lines().forEach(line -> assertTrue(line.length() <= 100, line));
    }

    @Test
    void uncommentingEverySettingGivesAValidConfigurationOfDefaults() throws IOException {
        Path conf = root.resolve("conf");
        ConfigTemplates.write(conf, CATALOG);
        try (Stream<Path> files = Files.list(conf)) {
            for (Path file : files.toList()) {
                Files.write(file, uncommentSettings(Files.readAllLines(file, StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
            }
        }
        ConfigSources sources = ConfigSources.read(conf, Map.of(), Map.of(), Map.of());
        EmberConfig config = EmberConfig.resolve(sources, CATALOG);
        assertEquals(1, config.get(EmberKeys.EXECUTOR_CORES));
        assertEquals("conf/ember.properties:" + lineOf(conf.resolve("ember.properties"), "ember.executor.cores="),
                config.core().origin("ember.executor.cores"));
        assertEquals(List.of("example"),
                List.copyOf(config.policy(PolicyKind.SCHEDULER, "fair").names(TestingCatalog.WEIGHT)));
    }

    @Test
    void writesOneFilePerPolicyBesideEmberProperties() throws IOException {
        List<Path> written = ConfigTemplates.write(root.resolve("out"), CATALOG);
        assertEquals(List.of("ember.properties", "scheduler-fair.properties", "scheduler-fifo.properties",
                        "allocation-dynamic.properties", "allocation-static.properties", "shuffle-sort.properties"),
                written.stream().map(p -> p.getFileName().toString()).toList());
        assertTrue(Files.readString(root.resolve("out/scheduler-fifo.properties")).contains("This policy has no settings."));
    }

    @Test
    void mainWritesTheTemplatesOfThePluginsOnTheClassPath() throws IOException {
        Path out = root.resolve("templates");
        ConfigTemplates.main(new String[] {out.toString()});
        for (String name : List.of("ember.properties", "scheduler-fifo.properties", "scheduler-fair.properties",
                "allocation-static.properties", "allocation-dynamic.properties", "shuffle-sort.properties")) {
            assertTrue(Files.isRegularFile(out.resolve(name)), name);
        }
    }

    @Test
    void mainRefusesAnythingButOneDirectory() {
        assertThrows(IllegalArgumentException.class, () -> ConfigTemplates.main(new String[0]));
    }

    /** Uncomments the last line of every block after the header: the setting itself. */
    private static List<String> uncommentSettings(List<String> lines) {
        List<String> out = new ArrayList<>(lines);
        boolean header = true;
        for (int i = 0; i < out.size(); i++) {
            boolean lastOfBlock = !out.get(i).isEmpty() && (i + 1 == out.size() || out.get(i + 1).isEmpty());
            // A key without a default is listed as "# key=": there is nothing to uncomment it to.
            if (lastOfBlock && !header && out.get(i).startsWith("# ") && !out.get(i).endsWith("=")) {
                out.set(i, out.get(i).substring(2));
            }
            if (lastOfBlock) {
                header = false;
            }
        }
        return out;
    }

    private static <T> String formattedDefault(ConfigKey<T> key) {
        return key.defaultValue().map(value -> key.type().format(value)).orElse("");
    }

    private static int lineOf(Path file, String prefix) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(prefix)) {
                return i + 1;
            }
        }
        throw new AssertionError(prefix + " not in " + file);
    }
}
