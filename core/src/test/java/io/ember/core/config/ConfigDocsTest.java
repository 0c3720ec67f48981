package io.ember.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.api.config.ConfigKey;
import io.ember.api.plugin.PolicyKind;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class ConfigDocsTest {

    private static final String DOCUMENT = """
            # Configuration

            Hand-written text.

            <!-- BEGIN GENERATED KEYS -->
            stale tables
            <!-- END GENERATED KEYS -->

            More hand-written text.
            """;

    @Test
    void rendersOneRowPerKeyWithAllowedValuesDefaultVariableAndDoc() {
        List<String> lines = ConfigDocs.render(TestingCatalog.catalog()).lines().toList();
        assertTrue(lines.contains("| `ember.executor.cores` | an integer, at least 1 | `1` | `EMBER_EXECUTOR_CORES` "
                + "| Cores each executor offers to tasks. |"), lines.toString());
        assertTrue(lines.contains("| `reload.interval` | a duration such as 500ms, 5s, 2m or 1h, at least 100ms | `10s` "
                + "| `EMBER_SCHEDULER_FAIR_RELOAD_INTERVAL` | How often pools are re-read. |"), lines.toString());
    }

    @Test
    void givesPatternKeysNoEnvironmentVariable() {
        assertTrue(ConfigDocs.render(TestingCatalog.catalog()).contains(
                "| `pool.<name>.weight` | an integer, at least 0 | `1` | none | Weight of the pool. |"));
    }

    @Test
    void rendersASectionPerPolicyNamingItsFileAndPrefix() {
        String docs = ConfigDocs.render(TestingCatalog.catalog());
        assertTrue(docs.contains("### Scheduler policy `fair`\n\nSelected with `ember.scheduler=fair`. Keys as written "
                + "in `conf/scheduler-fair.properties`; anywhere else, prefix them with `ember.scheduler.fair.`."), docs);
        assertTrue(docs.contains("### Allocation policy `static`\n\nSelected with `ember.allocation=static`. Keys as "
                + "written in `conf/allocation-static.properties`; anywhere else, prefix them with "
                + "`ember.allocation.static.`.\n\nThis policy has no settings.\n"), docs);
        assertTrue(docs.indexOf("policy `fair`") < docs.indexOf("policy `fifo`"), docs);
        assertTrue(docs.indexOf("policy `fifo`") < docs.indexOf("policy `dynamic`"), docs);
    }

    @Test
    void showsEmptyDescribedAndRequiredDefaultsAsSuch() {
        ConfigKey<Long> max = ConfigKey.longKey("max").defaultValue(Long.MAX_VALUE).defaultDescription("unbounded")
                .doc("Most.").build();
        ConfigKey<String> optional = ConfigKey.stringKey("label").doc("A label.").build();
        KeyCatalog catalog = new KeyCatalog(EmberKeys.all(), Map.of(PolicyKind.SHUFFLE,
                Map.of("sort", List.of(max, optional, TestingCatalog.SPILL_DIR))));
        String docs = ConfigDocs.render(catalog);
        assertTrue(docs.contains("| `ember.plugins.parentFirstPackages` | a string, comma-separated Java package names "
                + "| *(empty)* |"), docs);
        assertTrue(docs.contains("| `max` | an integer | unbounded |"), docs);
        assertTrue(docs.contains("| `label` | a string | (none) |"), docs);
        assertTrue(docs.contains("| `spill.dir` | a string | **required** |"), docs);
    }

    @Test
    void escapesTableAndHtmlSyntaxInText() {
        ConfigKey<String> odd = ConfigKey.stringKey("odd").defaultValue("a|b")
                .doc("Per <name>, a | b\nsecond line.").build();
        KeyCatalog catalog = new KeyCatalog(List.of(), Map.of(PolicyKind.SHUFFLE, Map.of("sort", List.of(odd))));
        assertTrue(ConfigDocs.render(catalog).contains(
                "| `odd` | a string | `a\\|b` | `EMBER_SHUFFLE_SORT_ODD` | Per &lt;name&gt;, a \\| b second line. |"));
    }

    @Test
    void replacesOnlyTheTextBetweenTheMarkers() {
        KeyCatalog catalog = TestingCatalog.catalog();
        String updated = ConfigDocs.withGeneratedSection(DOCUMENT, catalog);
        assertEquals("# Configuration\n\nHand-written text.\n\n" + ConfigDocs.BEGIN_MARKER + "\n\n"
                + ConfigDocs.render(catalog) + "\n" + ConfigDocs.END_MARKER + "\n\nMore hand-written text.\n", updated);
        assertEquals(updated, ConfigDocs.withGeneratedSection(updated, catalog));
    }

    @Test
    void refusesADocumentWithoutBothMarkers() {
        KeyCatalog catalog = TestingCatalog.catalog();
        assertThrows(IllegalArgumentException.class, () -> ConfigDocs.withGeneratedSection("# nothing", catalog));
        assertThrows(IllegalArgumentException.class, () -> ConfigDocs.withGeneratedSection(
                ConfigDocs.END_MARKER + "\n" + ConfigDocs.BEGIN_MARKER, catalog));
    }
}
