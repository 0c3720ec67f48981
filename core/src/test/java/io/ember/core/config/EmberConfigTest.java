package io.ember.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ember.api.config.InvalidSettingException;
import io.ember.api.config.Settings;
import io.ember.api.plugin.PolicyKind;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class EmberConfigTest {

    private static final KeyCatalog CATALOG = TestingCatalog.catalog();

    @TempDir
    Path root;

    @Test
    void usesEveryDefaultWithoutAnySource() {
        EmberConfig config = EmberConfig.resolve(ConfigSources.read(null, Map.of(), Map.of(), Map.of()), CATALOG);
        assertEquals("fifo", config.selected(PolicyKind.SCHEDULER));
        assertEquals("static", config.selected(PolicyKind.ALLOCATION));
        assertEquals("sort", config.selected(PolicyKind.SHUFFLE));
        assertEquals(2, config.get(EmberKeys.EXECUTOR_INSTANCES));
        assertEquals("default", config.core().origin("ember.executor.instances"));
        assertFalse(config.core().isSet("ember.executor.instances"));
    }

    @Test
    void usesEveryDefaultWithAnEmptyConfDir() {
        EmberConfig config = EmberConfig.resolve(ConfDir.in(root).sources(), CATALOG);
        assertEquals("plugins", config.get(EmberKeys.PLUGINS_DIR));
    }

    @Test
    void givesTheCoreViewByFullKey() {
        EmberConfig config = EmberConfig.resolve(ConfDir.in(root)
                .write("ember.properties", "ember.scheduler=fair", "ember.plugins.parentFirstPackages=com.acme.")
                .sources(), CATALOG);
        Settings core = config.core();
        assertEquals("", core.prefix());
        assertEquals("fair", core.get(EmberKeys.SCHEDULER));
        assertEquals("fair", config.selected(PolicyKind.SCHEDULER));
        assertEquals("com.acme.", config.get(EmberKeys.PLUGINS_PARENT_FIRST_PACKAGES));
    }

    @Test
    void aPolicyRefusingAValueNamesTheFullKeyAndTheLineItCameFrom() {
        EmberConfig config = EmberConfig.resolve(ConfDir.in(root)
                .write("allocation-dynamic.properties", "", "minExecutors=3").sources(), CATALOG);
        Settings dynamic = config.policy(PolicyKind.ALLOCATION, "dynamic");
        InvalidSettingException e = dynamic.invalid("minExecutors", "must not exceed maxExecutors (2)");
        assertEquals("ember.allocation.dynamic.minExecutors (conf/allocation-dynamic.properties:2): "
                + "must not exceed maxExecutors (2)", e.getMessage());
    }

    @Test
    void givesAViewOfAPolicyThatIsNotSelected() {
        EmberConfig config = EmberConfig.resolve(ConfDir.in(root)
                .write("scheduler-fair.properties", "pool.a.weight=5").sources(), CATALOG);
        assertEquals("fifo", config.selected(PolicyKind.SCHEDULER));
        assertEquals(5, config.policy(PolicyKind.SCHEDULER, "fair").get(TestingCatalog.WEIGHT, "a"));
    }

    @Test
    void refusesAViewOfAPolicyNotInTheCatalogListingTheAvailableOnes() {
        EmberConfig config = EmberConfig.resolve(ConfigSources.read(null, Map.of(), Map.of(), Map.of()), CATALOG);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> config.policy(PolicyKind.SCHEDULER, "lottery"));
        assertEquals("no scheduler policy named 'lottery'; available: fair, fifo", e.getMessage());
    }

    @Test
    void checksPerApplicationOverridesAsAWhole() {
        EmberConfig cluster = EmberConfig.resolve(ConfigSources.read(null, Map.of(), Map.of(), Map.of()), CATALOG);
        ConfigException e = assertThrows(ConfigException.class,
                () -> cluster.withOverrides(Map.of("ember.executor.cores", "0", "ember.scheduler.fair.pool.x.wieght", "1")));
        assertEquals(2, e.problems().size());
        assertEquals("application setting", e.problems().get(0).origin());
    }

    @Test
    void ignoresPerApplicationSettingsOutsideEmbersNamespace() {
        EmberConfig cluster = EmberConfig.resolve(ConfigSources.read(null, Map.of(), Map.of(), Map.of()), CATALOG);
        EmberConfig app = cluster.withOverrides(Map.of("myapp.input", "/data", "ember.executor.cores", "4"));
        assertEquals(4, app.get(EmberKeys.EXECUTOR_CORES));
    }
}
