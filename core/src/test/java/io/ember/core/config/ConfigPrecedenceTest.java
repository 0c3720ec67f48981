package io.ember.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ember.api.config.Settings;
import io.ember.api.plugin.PolicyKind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class ConfigPrecedenceTest {

    private static final KeyCatalog CATALOG = TestingCatalog.catalog();

    @TempDir
    Path root;

    /** Sets a core key and a policy key in the first {@code layers} layers above the defaults. */
    private EmberConfig configWithLayers(int layers) {
        ConfDir conf = ConfDir.in(root.resolve("layers" + layers));
        Map<String, String> env = new HashMap<>();
        Map<String, String> system = new HashMap<>();
        Map<String, String> app = new HashMap<>();
        if (layers >= 1) {
            conf.write("ember.properties", "ember.executor.instances=1");
            conf.write("scheduler-fair.properties", "reload.interval=1s");
        }
        if (layers >= 2) {
            env.put("EMBER_EXECUTOR_INSTANCES", "2");
            env.put("EMBER_SCHEDULER_FAIR_RELOAD_INTERVAL", "2s");
        }
        if (layers >= 3) {
            system.put("ember.executor.instances", "3");
            system.put("ember.scheduler.fair.reload.interval", "3s");
        }
        if (layers >= 4) {
            app.put("ember.executor.instances", "4");
            app.put("ember.scheduler.fair.reload.interval", "4s");
        }
        return EmberConfig.resolve(conf.sources(env, system, app), CATALOG);
    }

    @Test
    void eachLayerOverridesTheOnesBelowIt() {
        List<String> coreOrigins = List.of("default", "conf/ember.properties:1",
                "environment variable EMBER_EXECUTOR_INSTANCES", "system property -Dember.executor.instances",
                "application setting");
        List<String> policyOrigins = List.of("default", "conf/scheduler-fair.properties:1",
                "environment variable EMBER_SCHEDULER_FAIR_RELOAD_INTERVAL",
                "system property -Dember.scheduler.fair.reload.interval", "application setting");
        for (int layers = 0; layers <= 4; layers++) {
            EmberConfig config = configWithLayers(layers);
            Settings fair = config.policy(PolicyKind.SCHEDULER, "fair");
            assertEquals(layers == 0 ? 2 : layers, config.get(EmberKeys.EXECUTOR_INSTANCES), "layers: " + layers);
            assertEquals(coreOrigins.get(layers), config.core().origin("ember.executor.instances"));
            assertEquals(layers == 0 ? Duration.ofSeconds(10) : Duration.ofSeconds(layers),
                    fair.get(TestingCatalog.RELOAD_INTERVAL), "layers: " + layers);
            assertEquals(policyOrigins.get(layers), fair.origin("reload.interval"));
        }
    }

    @Test
    void perApplicationOverridesComeAboveEverythingElse() {
        EmberConfig cluster = configWithLayers(4);
        EmberConfig app = cluster.withOverrides(Map.of("ember.executor.instances", "5",
                "ember.scheduler.fair.reload.interval", "5s"));
        assertEquals(5, app.get(EmberKeys.EXECUTOR_INSTANCES));
        assertEquals(Duration.ofSeconds(5), app.policy(PolicyKind.SCHEDULER, "fair").get(TestingCatalog.RELOAD_INTERVAL));
        assertEquals(4, cluster.get(EmberKeys.EXECUTOR_INSTANCES));
    }

    @Test
    void aKeyInAPolicyFileEqualsTheSameKeyWithThePolicyPrefixInEmberProperties() {
        EmberConfig relative = EmberConfig.resolve(ConfDir.in(root.resolve("a"))
                .write("scheduler-fair.properties", "pool.reports.weight=3", "pool.reports.mode=fair")
                .sources(), CATALOG);
        EmberConfig global = EmberConfig.resolve(ConfDir.in(root.resolve("b"))
                .write("ember.properties", "ember.scheduler.fair.pool.reports.weight=3",
                        "ember.scheduler.fair.pool.reports.mode=fair")
                .sources(), CATALOG);
        for (EmberConfig config : List.of(relative, global)) {
            Settings fair = config.policy(PolicyKind.SCHEDULER, "fair");
            assertEquals(3, fair.get(TestingCatalog.WEIGHT, "reports"));
            assertEquals("FAIR", fair.get(TestingCatalog.MODE, "reports"));
            assertEquals(List.of("reports"), List.copyOf(fair.names(TestingCatalog.WEIGHT)));
            assertEquals("ember.scheduler.fair.", fair.prefix());
        }
    }

    @Test
    void thePolicyFileWinsOverEmberPropertiesForTheSameKey() {
        EmberConfig config = EmberConfig.resolve(ConfDir.in(root)
                .write("ember.properties", "ember.scheduler.fair.pool.a.weight=1")
                .write("scheduler-fair.properties", "pool.a.weight=2")
                .sources(), CATALOG);
        Settings fair = config.policy(PolicyKind.SCHEDULER, "fair");
        assertEquals(2, fair.get(TestingCatalog.WEIGHT, "a"));
        assertEquals("conf/scheduler-fair.properties:1", fair.origin("pool.a.weight"));
    }

    @Test
    void aPolicyKeyMayBeGivenInFullByTheApplication() {
        EmberConfig config = EmberConfig.resolve(
                ConfigSources.read(null, Map.of(), Map.of(), Map.of("ember.shuffle.sort.compress.codec", "ZSTD")),
                CATALOG);
        assertEquals("zstd", config.policy(PolicyKind.SHUFFLE, "sort").get(TestingCatalog.COMPRESS_CODEC));
    }
}
